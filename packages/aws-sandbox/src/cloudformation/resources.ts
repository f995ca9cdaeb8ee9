/*
 * Resource providers: how each CloudFormation resource type is created,
 * updated in place and deleted. Types that map onto a simulated service
 * (ECS, SSM, Logs, Application Auto Scaling, EC2 networking) create live
 * objects those APIs return; the rest (IAM, ELB, ...) get believable
 * physical ids and the attributes Fn::GetAtt needs. The providers are per
 * resource family (ecsResources.ts, ssmResources.ts, logsResources.ts,
 * autoscalingResources.ts, iamResources.ts, elbResources.ts and the
 * ec2*Resources.ts files); this file holds the id-only types of no family
 * and the table of them all.
 */
import { generatedName, hexId, Provider } from './provider';
import { ec2Providers } from './ec2Resources';
import { iamProviders } from './iamResources';
import { elbProviders } from './elbResources';
import { logsProviders } from './logsResources';
import { ssmProviders } from './ssmResources';
import { ecsProviders } from './ecsResources';
import { autoscalingProviders } from './autoscalingResources';
import { idResource, simple } from './resourceHelpers';

export type { Provider, ResourceContext, ResourceResult } from './provider';
export { camelize } from './resourceHelpers';

export const providers: Record<string, Provider> = {
  'AWS::CDK::Metadata': simple((_p, ctx) => ({
    physicalId: ctx.sandbox.random.uuid(),
    attributes: {},
  })),

  'AWS::CloudFormation::WaitConditionHandle': simple((_p, ctx) => ({
    physicalId: `https://cloudformation-waitcondition-${
      ctx.region
    }.s3.amazonaws.com/${encodeURIComponent(ctx.stackId)}/${ctx.logicalId}`,
    attributes: {},
  })),

  // ---- EC2 / VPC ----------------------------------------------------------
  // VPCs, subnets, route tables, security groups, NAT gateways and EIPs are
  // live records the EC2 API describes (ec2Resources.ts).
  ...ec2Providers,
  'AWS::EC2::InternetGateway': idResource('igw', 'InternetGatewayId'),
  'AWS::EC2::VPCGatewayAttachment': simple(
    (p, ctx) => ({
      physicalId: `IGW|${p.VpcId ?? ctx.sandbox.random.hex(8)}`,
      attributes: {},
    }),
    ['VpcId', 'InternetGatewayId', 'VpnGatewayId'],
  ),
  'AWS::EC2::VPCEndpoint': simple(
    (_p, ctx) => {
      const id = hexId(ctx, 'vpce');
      return {
        physicalId: id,
        attributes: {
          Id: id,
          DnsEntries: [],
          NetworkInterfaceIds: [],
          CreationTimestamp: new Date(ctx.now).toISOString(),
        },
      };
    },
    ['VpcId', 'ServiceName', 'VpcEndpointType'],
  ),
  'AWS::EC2::FlowLog': idResource('fl', 'Id', 'all'),

  // ---- One file per family ----------------------------------------------
  ...iamProviders,
  ...elbProviders,
  ...logsProviders,
  ...ssmProviders,
  ...ecsProviders,
  ...autoscalingProviders,

  // ---- A few more common types -------------------------------------------
  'AWS::S3::Bucket': simple(
    (p, ctx) => {
      const name = p.BucketName ?? generatedName(ctx, 63, true);
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
          WebsiteURL: `http://${name}.s3-website-${ctx.region}.amazonaws.com`,
        },
      };
    },
    ['BucketName'],
  ),
  'AWS::SNS::Topic': simple(
    (p, ctx) => {
      const name = p.TopicName ?? generatedName(ctx, 256);
      const arn = `arn:aws:sns:${ctx.region}:${ctx.caller.account}:${name}`;
      return {
        physicalId: arn,
        attributes: { TopicArn: arn, TopicName: name },
      };
    },
    ['TopicName', 'FifoTopic'],
  ),
  'AWS::SQS::Queue': simple(
    (p, ctx) => {
      const name = p.QueueName ?? generatedName(ctx, 80);
      return {
        physicalId: `https://sqs.${ctx.region}.amazonaws.com/${ctx.caller.account}/${name}`,
        attributes: {
          Arn: `arn:aws:sqs:${ctx.region}:${ctx.caller.account}:${name}`,
          QueueName: name,
          QueueUrl: `https://sqs.${ctx.region}.amazonaws.com/${ctx.caller.account}/${name}`,
        },
      };
    },
    ['QueueName', 'FifoQueue'],
  ),
  'AWS::CloudWatch::Alarm': simple(
    (p, ctx) => {
      const name = p.AlarmName ?? generatedName(ctx, 255);
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.caller.account}:alarm:${name}`,
        },
      };
    },
    ['AlarmName'],
  ),
  'AWS::KMS::Key': simple((_p, ctx) => {
    const id = ctx.sandbox.random.uuid();
    return {
      physicalId: id,
      attributes: {
        Arn: `arn:aws:kms:${ctx.region}:${ctx.caller.account}:key/${id}`,
        KeyId: id,
      },
    };
  }),
  'AWS::ServiceDiscovery::PrivateDnsNamespace': simple(
    (_p, ctx) => {
      const id = `ns-${ctx.sandbox.random.alnum(16).toLowerCase()}`;
      return {
        physicalId: id,
        attributes: {
          Id: id,
          Arn: `arn:aws:servicediscovery:${ctx.region}:${ctx.caller.account}:namespace/${id}`,
          HostedZoneId: `Z${ctx.sandbox.random.alnum(20)}`,
        },
      };
    },
    ['Name', 'Vpc'],
  ),
};

export const supportedTypes = () => Object.keys(providers).sort();
