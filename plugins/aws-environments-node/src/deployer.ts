import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CredentialIdentityProvider } from './aws';

/**
 * The boundary between its callers (the scaffolder actions, promotions) and
 * AWS CDK's toolkit. The real implementation (`CdkToolkitDeployer`) wraps
 * `@aws-cdk/toolkit-lib`; tests substitute their own. Everything else (SSM,
 * CloudFormation reads, events) goes through SDK clients the callers create
 * themselves (`awsForEnvironment`).
 *
 * @public
 */
export interface EnvironmentDeployer {
  /** Creates or updates the stack; throws when CloudFormation fails. */
  deploy(request: DeployRequest): Promise<DeployOutcome>;
  /** Compares the synthesized template with the deployed one. */
  diff(request: StackRequest): Promise<StackDiffSummary>;
}

/**
 * One environment's stack, for {@link EnvironmentDeployer}.
 *
 * @public
 */
export interface StackRequest {
  /** The environment the stack belongs to. */
  environment: AwsEnvironmentConfig;
  /** The CloudFormation stack name. */
  stackName: string;
  /** The stack's artifact id in the assembly `synthesize` produces. */
  artifactId: string;
  /**
   * Synthesizes this environment's stack in-process into `outdir`, with the
   * context the toolkit passes (toolkit-lib's `fromAssemblyBuilder`).
   */
  synthesize(props: {
    outdir: string;
    context?: Record<string, unknown>;
  }): CloudAssembly;
  /** An empty directory owned by this request. */
  outdir: string;
  /** Credentials of the environment's account. */
  credentials: CredentialIdentityProvider;
  /** Progress lines ("resource N of M") and failures with reasons. */
  logger: LoggerService;
}

/**
 * A stack to create or update, with its parameter values.
 *
 * @public
 */
export interface DeployRequest extends StackRequest {
  /** CloudFormation parameter values, all of them (none kept from before). */
  parameters: Record<string, string>;
}

/**
 * The deployed stack.
 *
 * @public
 */
export interface DeployOutcome {
  /** The stack's ARN. */
  stackArn?: string;
  /** The stack's outputs by key. */
  outputs: Record<string, string>;
}

/**
 * What a deployment would do to one resource.
 *
 * @public
 */
export type ResourceChange = 'add' | 'remove' | 'update' | 'replace';

/**
 * How the synthesized template differs from the deployed stack.
 *
 * @public
 */
export interface StackDiffSummary {
  /** False when the stack does not exist yet (everything is an addition). */
  stackExists: boolean;
  /** Number of resources per kind of change. */
  counts: Record<ResourceChange, number>;
  /** Each resource that would change. */
  changes: Array<{
    logicalId: string;
    resourceType: string;
    change: ResourceChange;
  }>;
  /** Whether IAM policies or roles would change. */
  iamChanges: boolean;
  /** Whether security group rules would change. */
  securityGroupChanges: boolean;
}
