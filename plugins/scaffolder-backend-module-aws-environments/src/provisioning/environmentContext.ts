import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import {
  EnvironmentStackInputs,
  synthesizeEnvironments,
  SynthesizedEnvironment,
} from '@envplane/aws-environments-infra';
import {
  EnvironmentAws,
  EnvironmentDeployer,
  StackRequest,
} from '@envplane/plugin-aws-environments-node';
import { EnvironmentResult } from './environmentResult';

/** One environment of a provision run, as its dry run or deploy sees it. */
export interface EnvironmentContext {
  /** The stack inputs of the run, the same for every environment. */
  stackInputs: EnvironmentStackInputs;
  environment: AwsEnvironmentConfig;
  aws: EnvironmentAws;
  deployer: EnvironmentDeployer;
  logger: LoggerService;
  /** The environment's stack as the run's plan synthesized it. */
  stack: SynthesizedEnvironment;
  /** An empty directory of this environment's deployment. */
  outdir: string;
  base: EnvironmentResult;
}

/**
 * Synthesizes exactly this environment's stack, for the deployer (which
 * passes its own outdir and context); validation ran in the run's plan.
 */
export function synthesizerFor(
  c: EnvironmentContext,
): StackRequest['synthesize'] {
  return props =>
    synthesizeEnvironments(c.stackInputs, [c.environment], {
      outdir: props.outdir,
      context: props.context,
      validate: false,
    }).assembly;
}
