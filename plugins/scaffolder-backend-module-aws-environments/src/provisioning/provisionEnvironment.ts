import { environmentTags } from '@envplane/aws-environments-infra';
import { deployEnvironmentStack } from '@envplane/plugin-aws-environments-node';
import { WrittenSecret } from '../secrets';
import { undoAppSecret, writeAppSecret } from './appSecret';
import { EnvironmentContext, synthesizerFor } from './environmentContext';
import { EnvironmentResult } from './environmentResult';

/**
 * Creates or updates one environment: its stack through the one deploy path
 * (`deployEnvironmentStack`), its SecureString just before. Throws when the
 * stack is refused or its deployment failed, after undoing this run's write
 * of the SecureString; the error names the stack, its final status, what
 * was undone and this run's failing resources.
 */
export async function provisionEnvironment(
  c: EnvironmentContext & { secret?: string },
): Promise<EnvironmentResult> {
  const { aws, environment, logger, stackInputs } = c;
  const name = environment.name;
  const stackName = c.stack.stackName;
  let written: WrittenSecret | undefined;
  const result = await deployEnvironmentStack({
    deployer: c.deployer,
    cloudFormation: aws.cloudFormation,
    credentials: aws.credentials,
    environment,
    project: stackInputs.project,
    stackName,
    outdir: c.outdir,
    logger,
    plan: () => ({
      artifactId: c.stack.artifactId,
      synthesize: synthesizerFor(c),
      parameters: {
        ImageUri: stackInputs.image,
        DesiredCount: String(stackInputs.desiredCount),
      },
    }),
    beforeDeploy: async existing => {
      written = await writeAppSecret(aws.ssm, {
        name: c.base.secretParameterName,
        secret: c.secret,
        tags: environmentTags(stackInputs, name),
        environment: name,
        logger,
      });
      logger.info(
        `${name}: ${existing ? 'updating' : 'creating'} ${stackName}`,
      );
    },
  });

  if (!result.ok) {
    const cleanup = written
      ? await undoAppSecret(written, aws.ssm, aws.cloudFormation, result)
      : '';
    // The stack, its final status and this run's failing resources with
    // CloudFormation's reasons; toolkit-lib's own text stays the cause.
    throw new Error(
      `${stackName} ${result.stack?.StackStatus ?? 'failed'}${cleanup}:\n${
        result.reason
      }`,
      { cause: result.error },
    );
  }

  const { outputs } = result;
  // Logged with cluster and service once all environments are done.
  return {
    ...c.base,
    status: result.stack.StackStatus ?? 'UNKNOWN',
    operation: result.existing ? 'update' : 'create',
    clusterName: outputs.ClusterName ?? c.base.clusterName,
    serviceName: outputs.ServiceName ?? c.base.serviceName,
    logGroupName: outputs.LogGroupName ?? c.base.logGroupName,
    loadBalancerDnsName: outputs.LoadBalancerDnsName,
  };
}
