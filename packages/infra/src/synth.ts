import { App, Stack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { AppEnvironmentStack } from './stack';
import type { EnvironmentStackInputs } from './stackInputs';

/**
 * Options of {@link synthesizeEnvironments}.
 *
 * @public
 */
export interface SynthesizeOptions {
  /** Where the cloud assembly is written; one directory per run. */
  outdir: string;
  /**
   * Run aws-cdk-lib's built-in CloudFormation validation (+2.5 s and +360 MB
   * per synth). Off by default at run time: the templates are fixed by this
   * package and its tests run with validation on and failing on any finding.
   */
  validate?: boolean;
  /** Context from the toolkit's assembly builder, passed on unchanged. */
  context?: Record<string, unknown>;
}

/**
 * One synthesized stack, described.
 *
 * @public
 */
export interface SynthesizedEnvironment {
  /** The environment's name. */
  environment: string;
  /** The CloudFormation stack name. */
  stackName: string;
  /** The stack's artifact id in the cloud assembly (the toolkit selects by it). */
  artifactId: string;
  /** The AWS account the stack deploys to. */
  account: string;
  /** The AWS region the stack deploys to. */
  region: string;
  /** Number of resources in the template. */
  resourceCount: number;
  /** Number of resources per CloudFormation type. */
  resourceCountsByType: Record<string, number>;
  /** Size of the template's JSON. */
  templateBytes: number;
}

/**
 * The result of {@link synthesizeEnvironments}.
 *
 * @public
 */
export interface SynthesizedEnvironments {
  /** The CDK app holding the stacks. */
  app: App;
  /** The synthesized cloud assembly. */
  assembly: CloudAssembly;
  /** The cloud assembly directory (= outdir). */
  directory: string;
  /** The stacks, in the order of the environments given. */
  stacks: SynthesizedEnvironment[];
  /** The stack names, in the same order. */
  stackNames: string[];
}

/** The CDK context key that turns validation findings into errors. */
export const VALIDATE_AGAINST_DEFAULT_RULES =
  '@aws-cdk/core:validateAgainstDefaultRules';
/** The CDK context key that turns validation warnings into errors too. */
export const STRICT_CFN_VALIDATE_ERRORS =
  '@aws-cdk/core:strictCfnValidateErrors';

/**
 * Builds (without synthesizing) an App holding one `AppEnvironmentStack` per
 * environment, in the given order.
 *
 * @public
 */
export function buildEnvironmentsApp(
  inputs: EnvironmentStackInputs,
  environments: AwsEnvironmentConfig[],
  options: Pick<SynthesizeOptions, 'outdir' | 'validate' | 'context'>,
): { app: App; stacks: AppEnvironmentStack[] } {
  if (environments.length === 0) {
    throw new Error('at least one environment is needed');
  }
  const app = new App({
    outdir: options.outdir,
    context: {
      ...options.context,
      // When validating, every finding (warnings included) fails the synth;
      // deliberate deviations are acknowledged where they are made.
      ...(options.validate
        ? {
            [VALIDATE_AGAINST_DEFAULT_RULES]: true,
            [STRICT_CFN_VALIDATE_ERRORS]: true,
          }
        : {}),
    },
    // The construct tree file is only for the CDK console view.
    treeMetadata: false,
  });
  const stacks = environments.map(
    environment =>
      new AppEnvironmentStack(app, `${inputs.project}-${environment.name}`, {
        inputs,
        environment,
      }),
  );
  return { app, stacks };
}

/**
 * Synthesizes the stacks of one run in-process and describes them. Usable
 * directly (dry runs, tests, benchmarks) and inside toolkit-lib's
 * `fromAssemblyBuilder` (pass its `outdir` and `context`).
 *
 * @public
 */
export function synthesizeEnvironments(
  inputs: EnvironmentStackInputs,
  environments: AwsEnvironmentConfig[],
  options: SynthesizeOptions,
): SynthesizedEnvironments {
  const { app, stacks } = buildEnvironmentsApp(inputs, environments, options);
  const assembly = withCdkValidation(options.validate ?? false, () =>
    app.synth(),
  );
  const described = stacks.map((stack, i) =>
    describeStack(stack, environments[i], assembly),
  );
  return {
    app,
    assembly,
    directory: assembly.directory,
    stacks: described,
    stackNames: described.map(s => s.stackName),
  };
}

function describeStack(
  stack: Stack,
  environment: AwsEnvironmentConfig,
  assembly: CloudAssembly,
): SynthesizedEnvironment {
  const artifact = assembly.getStackArtifact(stack.artifactId);
  const template = artifact.template as {
    Resources?: Record<string, { Type: string }>;
  };
  const resourceCountsByType: Record<string, number> = {};
  for (const resource of Object.values(template.Resources ?? {})) {
    resourceCountsByType[resource.Type] =
      (resourceCountsByType[resource.Type] ?? 0) + 1;
  }
  return {
    environment: environment.name,
    stackName: stack.stackName,
    artifactId: stack.artifactId,
    account: environment.accountId,
    region: environment.region,
    resourceCount: Object.keys(template.Resources ?? {}).length,
    resourceCountsByType,
    templateBytes: Buffer.byteLength(JSON.stringify(template)),
  };
}

/**
 * aws-cdk-lib 2.270 has no App property for its built-in template validation;
 * only the CDK_VALIDATION environment variable, read when `synth()` runs.
 * Synthesis is synchronous, so setting the variable around it and restoring
 * it afterwards cannot leak into other work on the event loop.
 */
export function withCdkValidation<T>(validate: boolean, fn: () => T): T {
  const previous = process.env.CDK_VALIDATION;
  if (validate) {
    delete process.env.CDK_VALIDATION;
  } else {
    process.env.CDK_VALIDATION = 'false';
  }
  try {
    return fn();
  } finally {
    if (previous === undefined) {
      delete process.env.CDK_VALIDATION;
    } else {
      process.env.CDK_VALIDATION = previous;
    }
  }
}
