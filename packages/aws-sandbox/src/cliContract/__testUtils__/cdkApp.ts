/*
 * The CDK app cdkCli.contract.test.ts deploys with the `cdk` CLI: a VPC and a
 * Fargate service in an explicit environment, so the CLI looks up the
 * region's availability zones (EC2 DescribeAvailabilityZones) as it does for
 * a real account. The context value `version` changes the image tag, the
 * SSM parameter and the desired count, which the second deploy applies.
 *
 * LegacyStackSynthesizer: the template goes inline in CreateChangeSet and
 * nothing is published, so no bootstrap stack (S3 bucket, ECR repository,
 * cdk-hnb659fds-* roles, /cdk-bootstrap/ parameter) is needed; the sandbox
 * has none, and the product's deployer synthesizes the same way.
 */
/* eslint-disable no-new -- a construct adds itself to the tree */
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';

// aws-cdk-lib's template validation during synth costs 10 s and hundreds of
// MB per synth here (FACTS.md); it checks the template, not the sandbox.
process.env.CDK_VALIDATION ??= 'false';

const app = new cdk.App();
const version = String(app.node.tryGetContext('version') ?? '1');
const stack = new cdk.Stack(app, 'CliContract', {
  env: { account: '000000000000', region: 'us-east-1' },
  synthesizer: new cdk.LegacyStackSynthesizer(),
  description: 'aws-sandbox contract test for the AWS CDK CLI',
});
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 1,
  // Without this Vpc adds a Lambda custom resource, a file asset that
  // would need the bootstrap bucket.
  restrictDefaultSecurityGroup: false,
});
const cluster = new ecs.Cluster(stack, 'Cluster', {
  vpc,
  clusterName: 'cli-contract',
});
const logGroup = new logs.LogGroup(stack, 'Logs', {
  logGroupName: '/ecs/cli-contract',
  retention: logs.RetentionDays.ONE_WEEK,
  removalPolicy: cdk.RemovalPolicy.DESTROY,
});
const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task', {
  cpu: 256,
  memoryLimitMiB: 512,
});
taskDefinition.addContainer('web', {
  image: ecs.ContainerImage.fromRegistry(
    `public.ecr.aws/docker/library/nginx:1.${version}`,
  ),
  portMappings: [{ containerPort: 80 }],
  logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'web' }),
});
const service = new ecs.FargateService(stack, 'Service', {
  cluster,
  taskDefinition,
  serviceName: 'web',
  desiredCount: version === '1' ? 1 : 2,
  circuitBreaker: { rollback: true },
});
new ssm.StringParameter(stack, 'Version', {
  parameterName: '/cli-contract/version',
  stringValue: version,
});
new cdk.CfnOutput(stack, 'ServiceName', { value: service.serviceName });
new cdk.CfnOutput(stack, 'AvailabilityZones', {
  value: stack.availabilityZones.join(','),
});
app.synth();
