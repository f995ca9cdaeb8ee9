import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AwsEnvironmentConfig,
  consoleUrl,
  environmentResourceNames,
} from '@envplane/plugin-aws-environments-common';
import { SynthesizedEnvironment } from '@envplane/aws-environments-infra';
import { StackDiffSummary } from '@envplane/plugin-aws-environments-node';
import { ecsServiceArn } from '../entities';
import { forTaskLog } from '../taskErrors';

/** One environment's result, as `aws:environments:provision` outputs it. */
export interface EnvironmentResult {
  name: string;
  stackName: string;
  /** CloudFormation's stack status, or WOULD_CREATE / WOULD_UPDATE in a dry run. */
  status: string;
  operation: 'create' | 'update';
  accountId: string;
  region: string;
  clusterName: string;
  serviceName: string;
  serviceArn: string;
  logGroupName: string;
  parameterPath: string;
  secretParameterName: string;
  loadBalancerDnsName?: string;
  serviceUrl: string;
  stackUrl: string;
  resourceCount: number;
  resourceCountsByType: Record<string, number>;
  changes?: StackDiffSummary['counts'];
  error?: string;
}

/**
 * What is known of an environment before anything is deployed: the names
 * of the convention, the console links and the synthesized resources.
 */
export function baseResult(
  project: string,
  environment: AwsEnvironmentConfig,
  stack: SynthesizedEnvironment,
): EnvironmentResult {
  const names = environmentResourceNames(project, environment.name);
  return {
    name: environment.name,
    stackName: names.stackName,
    status: 'PENDING',
    operation: 'create',
    accountId: environment.accountId,
    region: environment.region,
    clusterName: names.clusterName,
    serviceName: names.serviceName,
    serviceArn: ecsServiceArn(
      environment,
      names.clusterName,
      names.serviceName,
    ),
    logGroupName: names.logGroupName,
    parameterPath: names.parameterPath,
    secretParameterName: names.appSecretParameterName,
    serviceUrl: consoleUrl(
      environment.region,
      `/ecs/v2/clusters/${names.clusterName}/services/${names.serviceName}?region=${environment.region}`,
    ),
    stackUrl: consoleUrl(
      environment.region,
      `/cloudformation/home?region=${
        environment.region
      }#/stacks/stackinfo?stackId=${encodeURIComponent(names.stackName)}`,
    ),
    resourceCount: stack.resourceCount,
    resourceCountsByType: stack.resourceCountsByType,
  };
}

/** The `links` output: each environment's service and stack in the console. */
export function resultLinks(
  results: EnvironmentResult[],
): Array<{ title: string; url: string }> {
  return results.flatMap(r => [
    { title: `${r.name}: ECS service`, url: r.serviceUrl },
    { title: `${r.name}: CloudFormation stack`, url: r.stackUrl },
  ]);
}

/**
 * The lines that close the task log, where the template's output text
 * points to. Only for what now exists: a failed stack has nothing to open.
 */
export function logResults(
  logger: LoggerService,
  results: EnvironmentResult[],
): void {
  for (const r of results.filter(result => !result.error)) {
    logger.info(
      `${r.name}: ${r.stackName} ${r.status}, cluster ${r.clusterName}, service ${r.serviceName}`,
    );
    logger.info(`${r.name}: ECS service ${r.serviceUrl}`);
    logger.info(`${r.name}: CloudFormation stack ${r.stackUrl}`);
  }
}

/**
 * The task's error when any environment failed, naming each with its
 * reason; the task log shows its message only (no stack frames).
 */
export function failureOf(results: EnvironmentResult[]): Error | undefined {
  const failed = results.filter(r => r.error);
  if (failed.length === 0) return undefined;
  return forTaskLog(
    new Error(
      `Provisioning failed for ${failed.map(f => f.name).join(', ')}:\n${failed
        .map(f => `${f.name}: ${f.error}`)
        .join('\n')}`,
    ),
  );
}

/** "1 VPC, 6 EC2::Subnet, …" for the log line of a synthesized stack. */
export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([type, n]) => `${n} ${type.replace(/^AWS::/, '')}`)
    .join(', ');
}
