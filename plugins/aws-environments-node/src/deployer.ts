import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CredentialIdentityProvider } from './aws';

/**
 * The boundary between its callers (the scaffolder actions, promotions) and
 * AWS CDK's toolkit. The real implementation (`CdkToolkitDeployer`) wraps
 * @aws-cdk/toolkit-lib; tests substitute their own. Everything else (SSM,
 * CloudFormation reads, events) goes through SDK clients the callers create
 * themselves (`awsForEnvironment`).
 */
export interface EnvironmentDeployer {
  /** Creates or updates the stack; throws when CloudFormation fails. */
  deploy(request: DeployRequest): Promise<DeployOutcome>;
  /** Compares the synthesized template with the deployed one. */
  diff(request: StackRequest): Promise<StackDiffSummary>;
}

export interface StackRequest {
  environment: AwsEnvironmentConfig;
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
  credentials: CredentialIdentityProvider;
  /** Progress lines ("resource N of M") and failures with reasons. */
  logger: LoggerService;
}

export interface DeployRequest extends StackRequest {
  /** CloudFormation parameter values, all of them (none kept from before). */
  parameters: Record<string, string>;
}

export interface DeployOutcome {
  stackArn?: string;
  outputs: Record<string, string>;
}

export type ResourceChange = 'add' | 'remove' | 'update' | 'replace';

export interface StackDiffSummary {
  /** False when the stack does not exist yet (everything is an addition). */
  stackExists: boolean;
  counts: Record<ResourceChange, number>;
  changes: Array<{
    logicalId: string;
    resourceType: string;
    change: ResourceChange;
  }>;
  iamChanges: boolean;
  securityGroupChanges: boolean;
}
