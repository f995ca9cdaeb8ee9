import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import {
  DeployOutcome,
  DeployRequest,
  EnvironmentDeployer,
  ResourceChange,
  StackDiffSummary,
  StackRequest,
} from './deployer';
import { StackDeployError, stripAnsi } from './deployError';
import { LoggerIoHost } from './LoggerIoHost';

/**
 * Options of {@link CdkToolkitDeployer}.
 *
 * @public
 */
export interface CdkToolkitDeployerOptions {
  /** Milliseconds between CloudFormation polls. toolkit-lib's default: 2000. */
  pollIntervalMs?: number;
}

type ToolkitLib = typeof import('@aws-cdk/toolkit-lib');

/**
 * Deploys with `@aws-cdk/toolkit-lib`, in-process: one Toolkit per request,
 * seeded with the environment's credentials (from
 * `@backstage/integration-aws-node`) and region; the cloud assembly comes
 * from `fromAssemblyBuilder` without touching process.env
 * (`clobberEnv: false`), so several environments can deploy at once.
 *
 * @public
 */
export class CdkToolkitDeployer implements EnvironmentDeployer {
  private lib?: Promise<ToolkitLib>;

  constructor(private readonly options: CdkToolkitDeployerOptions = {}) {}

  /**
   * Rejects with a `StackDeployError`: the stack and the resources that
   * failed with CloudFormation's reasons, toolkit-lib's error as its cause.
   */
  async deploy(request: DeployRequest): Promise<DeployOutcome> {
    const lib = await this.load();
    const { toolkit, ioHost } = this.toolkit(lib, request);
    const source = await this.source(lib, toolkit, request);
    try {
      const result = await toolkit.deploy(source, {
        stacks: {
          strategy: lib.StackSelectionStrategy.PATTERN_MUST_MATCH_SINGLE,
          patterns: [request.artifactId],
        },
        // Every parameter explicitly: CloudFormation would otherwise keep
        // the previous ImageUri on an update.
        parameters: lib.StackParameters.exactly(request.parameters),
        deploymentMethod: { method: 'change-set' },
        rollback: true,
        stackEventPollingInterval: this.options.pollIntervalMs,
      });
      const stack = result.stacks[0];
      return { stackArn: stack?.stackArn, outputs: stack?.outputs ?? {} };
    } catch (error) {
      // toolkit-lib's own text (emoji, source locations of the failing
      // constructs, stack trace) for whoever reads the debug log; the
      // error thrown names the stack and the failing resources only.
      request.logger.debug(
        `${request.environment.name}: toolkit-lib: ${stripAnsi(
          error instanceof Error ? error.stack ?? error.message : String(error),
        )}`,
      );
      throw new StackDeployError(request.stackName, ioHost.failures, error);
    }
  }

  /** Compares the synthesized template with the deployed one (no change set). */
  async diff(request: StackRequest): Promise<StackDiffSummary> {
    const lib = await this.load();
    const { toolkit } = this.toolkit(lib, request);
    const source = await this.source(lib, toolkit, request);
    const diffs = await toolkit.diff(source, {
      stacks: {
        strategy: lib.StackSelectionStrategy.PATTERN_MUST_MATCH_SINGLE,
        patterns: [request.artifactId],
      },
      // Compares with GetTemplate: cheap, no change set is created.
      method: lib.DiffMethod.TemplateOnly(),
    });
    const diff = Object.values(diffs)[0];
    const changes: StackDiffSummary['changes'] = [];
    const counts: Record<ResourceChange, number> = {
      add: 0,
      remove: 0,
      update: 0,
      replace: 0,
    };
    let stackExists = false;
    if (diff) {
      for (const [logicalId, change] of Object.entries(
        diff.resources.changes,
      )) {
        if (change.oldValue) stackExists = true;
        if (!change.isDifferent) continue;
        let kind: ResourceChange = 'update';
        if (change.isAddition) kind = 'add';
        else if (change.isRemoval) kind = 'remove';
        else if (/REPLACE/.test(change.changeImpact)) kind = 'replace';
        counts[kind] += 1;
        changes.push({
          logicalId,
          resourceType: change.resourceType ?? '?',
          change: kind,
        });
      }
    }
    return {
      stackExists,
      counts,
      changes,
      iamChanges: diff?.permissionsAnyChanges ?? false,
      securityGroupChanges: diff ? diff.securityGroupChanges.hasChanges : false,
    };
  }

  private load(): Promise<ToolkitLib> {
    // Loading toolkit-lib costs ~0.8 s; only runs that deploy pay for it.
    // require, not import(): the backend is CommonJS, and Jest's VM cannot
    // run a dynamic import without --experimental-vm-modules.
    this.lib ??= Promise.resolve().then(
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      () => require('@aws-cdk/toolkit-lib') as ToolkitLib,
    );
    return this.lib;
  }

  private toolkit(lib: ToolkitLib, request: StackRequest) {
    const ioHost = new LoggerIoHost(request.logger, request.environment.name);
    const toolkit = new lib.Toolkit({
      ioHost,
      color: false,
      emojis: false,
      sdkConfig: {
        baseCredentials: lib.BaseCredentials.custom({
          provider: request.credentials,
          region: request.environment.region,
        }),
      },
    });
    return { toolkit, ioHost };
  }

  private source(
    lib: ToolkitLib,
    toolkit: InstanceType<ToolkitLib['Toolkit']>,
    request: StackRequest,
  ) {
    return toolkit.fromAssemblyBuilder(
      async props =>
        request.synthesize({
          outdir: props.outdir ?? request.outdir,
          context: props.context,
        }) as CloudAssembly,
      {
        outdir: request.outdir,
        clobberEnv: false,
        resolveDefaultEnvironment: false,
        // Context lives in memory: no cdk.context.json in the backend's cwd.
        contextStore: new lib.MemoryContext(),
        // Everything is known at synth time; a lookup would be a bug.
        lookups: false,
      },
    );
  }
}
