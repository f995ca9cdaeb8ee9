import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProvisioningInputs } from './provisioningInputs';
import { AppEnvironmentStack, checkStackInputs } from './stack';
import { buildEnvironmentsApp, withCdkValidation } from './synth';

/** The seed's environment matrix (ARCHITECTURE.md), as `awsEnvironments` config. */
const SEED_ENVIRONMENTS: AwsEnvironmentConfig[] = (
  [
    ['test', '10.3.0.0/16', 'manual', false],
    ['qa', '10.1.0.0/16', 'manual', true],
    ['staging', '10.2.0.0/16', 'auto', true],
    ['prod', '10.0.0.0/16', 'manual', true],
  ] as const
).map(([name, vpcCidr, trigger, reviewRequired]) => ({
  name,
  title: name,
  accountId: '000000000000',
  region: 'us-east-1',
  vpcCidr,
  promotion: { trigger, reviewRequired, approvers: [] },
}));

const SEED_TABLE = SEED_ENVIRONMENTS.map(env => ({
  env: env.name,
  octet: env.vpcCidr.split('.')[1],
}));

const INPUTS = {
  project: 'devops-app',
  owner: 'group:default/devops-team',
  image: 'public.ecr.aws/docker/library/python:3.12-slim',
};

const EXPECTED_TAG_KEYS = [
  'Environment',
  'Project',
  'Owner',
  'CreatedBy',
  'ManagedBy',
  'Application',
];

type Json = any;

/** Resolves the Fn::Join/Ref shapes CDK emits for ARNs into plain strings. */
function flatten(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.Ref === 'AWS::Partition') return 'aws';
  if (value?.Ref) return `{${value.Ref}}`;
  if (value?.['Fn::Join']) {
    const [sep, parts] = value['Fn::Join'];
    return parts.map(flatten).join(sep);
  }
  if (value?.['Fn::GetAtt']) return `{${value['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}

function statementsOf(template: Template, roleLogicalId: string): Json[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p: Json) =>
      p.Properties.Roles.some((r: Json) => r.Ref === roleLogicalId),
    )
    .flatMap((p: Json) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: Json): string[] {
  return [statement.Action].flat();
}

function resourcesOf(statement: Json): string[] {
  return [statement.Resource].flat().map(flatten);
}

function logicalIdOf(stack: Stack, construct: CfnResource): string {
  return stack.resolve(construct.logicalId);
}

function synthesizeAll(loadBalancer: boolean) {
  const outdir = mkdtempSync(join(tmpdir(), 'infra-test-'));
  const { app, stacks } = buildEnvironmentsApp(
    { ...INPUTS, loadBalancer },
    SEED_ENVIRONMENTS,
    { outdir, validate: true },
  );
  // One synth (with aws-cdk-lib's CloudFormation validation, failing on any
  // finding) for all four stacks; Template.fromStack reuses the assembly.
  withCdkValidation(true, () => app.synth());
  const byEnv = new Map(
    stacks.map(stack => [
      stack.node.id.replace(`${INPUTS.project}-`, ''),
      { stack, template: Template.fromStack(stack) },
    ]),
  );
  return { outdir, byEnv };
}

describe('AppEnvironmentStack (seed values, all environments)', () => {
  let plain: ReturnType<typeof synthesizeAll>;

  beforeAll(() => {
    plain = synthesizeAll(false);
  });
  afterAll(() => rmSync(plain.outdir, { recursive: true, force: true }));

  const get = (env: string) => plain.byEnv.get(env)!;

  describe.each(SEED_TABLE)('$env (10.$octet.0.0/16)', ({ env, octet }) => {
    const prefix = `devops-app-${env}`;

    it('has the VPC CIDR and Name tag', () => {
      get(env).template.resourceCountIs('AWS::EC2::VPC', 1);
      get(env).template.hasResourceProperties('AWS::EC2::VPC', {
        CidrBlock: `10.${octet}.0.0/16`,
        EnableDnsHostnames: true,
        EnableDnsSupport: true,
        Tags: Match.arrayWith([{ Key: 'Name', Value: `${prefix}-vpc` }]),
      });
    });

    it.each([
      ['public', 1, 'a'],
      ['public', 2, 'b'],
      ['public', 3, 'c'],
      ['private', 101, 'a'],
      ['private', 102, 'b'],
      ['private', 103, 'c'],
    ])('has the %s subnet 10.x.%i.0/24 in zone %s', (kind, third, zone) => {
      get(env).template.hasResourceProperties('AWS::EC2::Subnet', {
        CidrBlock: `10.${octet}.${third}.0/24`,
        AvailabilityZone: `us-east-1${zone}`,
        MapPublicIpOnLaunch: kind === 'public',
        Tags: Match.arrayWith([
          {
            Key: 'aws-cdk:subnet-type',
            Value: kind === 'public' ? 'Public' : 'Private',
          },
        ]),
      });
    });

    it('has exactly six subnets', () => {
      get(env).template.resourceCountIs('AWS::EC2::Subnet', 6);
    });

    it('has an internet gateway attached to the VPC', () => {
      const { template } = get(env);
      template.resourceCountIs('AWS::EC2::InternetGateway', 1);
      const [igwId] = Object.keys(
        template.findResources('AWS::EC2::InternetGateway'),
      );
      const [vpcId] = Object.keys(template.findResources('AWS::EC2::VPC'));
      template.hasResourceProperties('AWS::EC2::VPCGatewayAttachment', {
        InternetGatewayId: { Ref: igwId },
        VpcId: { Ref: vpcId },
      });
    });

    it('has three NAT gateways, one in each public subnet', () => {
      const { template } = get(env);
      const subnets = template.findResources('AWS::EC2::Subnet');
      const publicIds = Object.entries(subnets)
        .filter(([, s]: [string, Json]) => s.Properties.MapPublicIpOnLaunch)
        .map(([id]) => id)
        .sort();
      const nats = Object.values(
        template.findResources('AWS::EC2::NatGateway'),
      ) as Json[];
      expect(nats).toHaveLength(3);
      expect(nats.map(n => n.Properties.SubnetId.Ref).sort()).toEqual(
        publicIds,
      );
      template.resourceCountIs('AWS::EC2::EIP', 3);
    });

    it('routes public subnets to the IGW and private ones to their zone’s NAT', () => {
      const { template } = get(env);
      const subnets = template.findResources('AWS::EC2::Subnet') as Json;
      const associations = Object.values(
        template.findResources('AWS::EC2::SubnetRouteTableAssociation'),
      ) as Json[];
      const routes = Object.values(
        template.findResources('AWS::EC2::Route'),
      ) as Json[];
      const nats = template.findResources('AWS::EC2::NatGateway') as Json;
      const [igwId] = Object.keys(
        template.findResources('AWS::EC2::InternetGateway'),
      );
      expect(routes).toHaveLength(6);
      const seen: Array<{ destination: string; via: Json; expected: Json }> =
        [];
      for (const [subnetId, subnet] of Object.entries<Json>(subnets)) {
        const association = associations.find(
          a => a.Properties.SubnetId.Ref === subnetId,
        );
        const tableId = association.Properties.RouteTableId.Ref;
        const route = routes.find(
          r => r.Properties.RouteTableId.Ref === tableId,
        );
        const isPublic = Boolean(subnet.Properties.MapPublicIpOnLaunch);
        const nat = isPublic
          ? undefined
          : nats[route.Properties.NatGatewayId.Ref];
        seen.push({
          destination: route.Properties.DestinationCidrBlock,
          via: isPublic
            ? route.Properties.GatewayId
            : subnets[nat.Properties.SubnetId.Ref].Properties.AvailabilityZone,
          expected: isPublic
            ? { Ref: igwId }
            : subnet.Properties.AvailabilityZone,
        });
      }
      expect(seen).toHaveLength(6);
      for (const route of seen) {
        expect(route.destination).toBe('0.0.0.0/0');
        expect(route.via).toEqual(route.expected);
      }
    });

    it('names the ECS cluster', () => {
      get(env).template.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterName: `${prefix}-ecs-cluster`,
      });
    });

    it('runs a Fargate service in the private subnets without public IPs', () => {
      const { template } = get(env);
      const subnets = template.findResources('AWS::EC2::Subnet') as Json;
      const privateIds = Object.keys(subnets)
        .filter(id => !subnets[id].Properties.MapPublicIpOnLaunch)
        .map(id => ({ Ref: id }));
      template.hasResourceProperties('AWS::ECS::Service', {
        ServiceName: `${prefix}-service`,
        LaunchType: 'FARGATE',
        DesiredCount: { Ref: 'DesiredCount' },
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            Subnets: Match.arrayEquals(privateIds),
          },
        },
      });
    });

    it('defines the task: port 5000, 256 CPU, 512 MB, awsvpc', () => {
      get(env).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: `${prefix}-task`,
        Cpu: '256',
        Memory: '512',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [
          Match.objectLike({
            Image: { Ref: 'ImageUri' },
            PortMappings: [{ ContainerPort: 5000, Protocol: 'tcp' }],
          }),
        ],
      });
    });

    it('injects APP_SECRET from the SSM parameter ARN, never a value', () => {
      const { template } = get(env);
      const [taskDef] = Object.values(
        template.findResources('AWS::ECS::TaskDefinition'),
      ) as Json[];
      const [container] = taskDef.Properties.ContainerDefinitions;
      expect(container.Secrets).toHaveLength(1);
      expect(container.Secrets[0].Name).toBe('APP_SECRET');
      expect(flatten(container.Secrets[0].ValueFrom)).toBe(
        `arn:aws:ssm:us-east-1:000000000000:parameter/devops-app/${env}/app-secret`,
      );
      expect(container.Environment.map((e: Json) => e.Name)).not.toContain(
        'APP_SECRET',
      );
    });

    it('has no SSM parameter resource (SecureStrings are written by the SDK)', () => {
      const { template } = get(env);
      template.resourceCountIs('AWS::SSM::Parameter', 0);
      expect(JSON.stringify(template.toJSON())).not.toContain('SecureString');
    });

    it('autoscales between 1 and 10 tasks', () => {
      get(env).template.hasResourceProperties(
        'AWS::ApplicationAutoScaling::ScalableTarget',
        {
          MinCapacity: 1,
          MaxCapacity: 10,
          ScalableDimension: 'ecs:service:DesiredCount',
          ServiceNamespace: 'ecs',
        },
      );
    });

    it.each([
      ['ECSServiceAverageCPUUtilization', 70],
      ['ECSServiceAverageMemoryUtilization', 80],
    ])('tracks %s at %i%%', (metric, target) => {
      get(env).template.hasResourceProperties(
        'AWS::ApplicationAutoScaling::ScalingPolicy',
        {
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: Match.objectLike({
            PredefinedMetricSpecification: {
              PredefinedMetricType: metric,
            },
            TargetValue: target,
          }),
        },
      );
    });

    it('rolls back failed deployments (circuit breaker)', () => {
      get(env).template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        }),
      });
    });

    it('opens 80 and 443 from anywhere on the tasks’ group and all egress (seed rules)', () => {
      const { template } = get(env);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupName: `${prefix}-ecs-tasks-sg`,
        SecurityGroupIngress: Match.arrayEquals([
          Match.objectLike({
            CidrIp: '0.0.0.0/0',
            IpProtocol: 'tcp',
            FromPort: 80,
            ToPort: 80,
          }),
          Match.objectLike({
            CidrIp: '0.0.0.0/0',
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
          }),
        ]),
        SecurityGroupEgress: [
          Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }),
        ],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    it('limits the task role’s SSM reads to its own path', () => {
      const { stack, template } = get(env);
      const roleId = logicalIdOf(
        stack,
        (stack as AppEnvironmentStack).app.taskRole.node
          .defaultChild as CfnResource,
      );
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `${prefix}-ecs-task-role`,
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [
            Match.objectLike({
              Principal: { Service: 'ecs-tasks.amazonaws.com' },
            }),
          ],
        }),
      });
      const statements = statementsOf(template, roleId);
      const ssm = statements.filter(s =>
        actionsOf(s).some(a => a.startsWith('ssm:')),
      );
      expect(ssm.flatMap(actionsOf).sort()).toEqual([
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:GetParametersByPath',
      ]);
      const pathArn = `arn:aws:ssm:us-east-1:000000000000:parameter/devops-app/${env}`;
      for (const resource of ssm.flatMap(resourcesOf)) {
        expect([pathArn, `${pathArn}/*`]).toContain(resource);
      }
      const logs = statements.filter(s =>
        actionsOf(s).some(a => a.startsWith('logs:')),
      );
      expect(logs.flatMap(actionsOf).sort()).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ]);
      for (const resource of logs.flatMap(resourcesOf)) {
        expect(resource).toMatch(new RegExp(`:log-group:/ecs/${prefix}:`));
      }
      // Nothing else: no wildcard actions or resources for the application.
      expect(statements.flatMap(actionsOf).every(a => !a.includes('*'))).toBe(
        true,
      );
      expect(statements.flatMap(resourcesOf)).not.toContain('*');
    });

    it('gives the execution role ECR pull, log writes and SSM read on the path', () => {
      const { stack, template } = get(env);
      const roleId = logicalIdOf(
        stack,
        (stack as AppEnvironmentStack).app.executionRole.node
          .defaultChild as CfnResource,
      );
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `${prefix}-ecs-execution-role`,
      });
      const statements = statementsOf(template, roleId);
      const actions = new Set(statements.flatMap(actionsOf));
      for (const action of [
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchCheckLayerAvailability',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'ssm:GetParameters',
      ]) {
        expect(actions).toContain(action);
      }
      const pathPrefix = `arn:aws:ssm:us-east-1:000000000000:parameter/devops-app/${env}/`;
      const ssmResources = statements
        .filter(st => actionsOf(st).some(a => a.startsWith('ssm:')))
        .flatMap(resourcesOf);
      expect(ssmResources.length).toBeGreaterThan(0);
      for (const resource of ssmResources) {
        expect(resource.startsWith(pathPrefix)).toBe(true);
      }
      const logResources = statements
        .filter(st => actionsOf(st).some(a => a.startsWith('logs:')))
        .flatMap(resourcesOf);
      for (const resource of logResources) {
        // Either our ARN built from the name or CDK's grant on the group.
        expect(resource).toMatch(new RegExp(`/ecs/${prefix}|\\{AppLogGroup`));
      }
    });

    it('keeps container logs 30 days in /ecs/<project>-<env> and deletes them with the stack', () => {
      get(env).template.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          LogGroupName: `/ecs/${prefix}`,
          RetentionInDays: 30,
        },
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
      });
    });

    it('tags every taggable resource with the seed’s tags', () => {
      const { stack, template } = get(env);
      const resources = template.toJSON().Resources as Record<string, Json>;
      const taggable = stack.node
        .findAll()
        .filter(
          (c): c is CfnResource =>
            CfnResource.isCfnResource(c) &&
            (TagManager.isTaggable(c) || TagManager.isTaggableV2(c)),
        );
      // VPC, 6 subnets, 6 route tables, 3 EIPs, 3 NATs, IGW, cluster, group,
      // log group, 2 roles, task definition, service.
      expect(taggable.length).toBe(27);
      for (const construct of taggable) {
        const id = logicalIdOf(stack, construct);
        const tags = resources[id].Properties.Tags;
        const asMap: Record<string, string> = Array.isArray(tags)
          ? Object.fromEntries(tags.map((t: Json) => [t.Key, t.Value]))
          : tags;
        expect({ id, keys: Object.keys(asMap ?? {}) }).toEqual({
          id,
          keys: expect.arrayContaining(EXPECTED_TAG_KEYS),
        });
        expect(asMap).toMatchObject({
          Environment: env,
          Project: 'devops-app',
          Owner: 'group:default/devops-team',
          CreatedBy: 'backstage',
          ManagedBy: 'aws-cdk',
          Application: 'app',
        });
      }
    });

    it('takes the image and desired count as stack parameters', () => {
      const { template } = get(env);
      template.hasParameter('ImageUri', {
        Type: 'String',
        Default: INPUTS.image,
      });
      template.hasParameter('DesiredCount', {
        Type: 'Number',
        Default: 1,
        MinValue: 1,
        MaxValue: 10,
      });
    });

    it('outputs what the portal needs to find the environment', () => {
      const outputs = get(env).template.toJSON().Outputs;
      expect(Object.keys(outputs).sort()).toEqual(
        [
          'ClusterName',
          'LogGroupName',
          'ParameterPath',
          'ProvisioningInputs',
          'ServiceArn',
          'ServiceName',
          'TaskRoleArn',
          'VpcId',
        ].sort(),
      );
      expect(outputs.ParameterPath.Value).toBe(`/devops-app/${env}/`);
    });

    it('outputs its non-secret inputs other than the image, defaults resolved', () => {
      const outputs = get(env).template.toJSON().Outputs;
      const value = outputs.ProvisioningInputs.Value;
      expect(typeof value).toBe('string');
      expect(JSON.parse(value)).toEqual({
        project: 'devops-app',
        owner: 'group:default/devops-team',
        application: 'app',
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 10,
        loadBalancer: false,
        synthesizer: 'legacy',
      });
      expect(value).not.toContain(INPUTS.image);
      expect(
        readProvisioningInputs({ ProvisioningInputs: value }, prefix),
      ).toEqual(JSON.parse(value));
    });

    it('needs no bootstrap stack (legacy synthesizer, no assets)', () => {
      const json = get(env).template.toJSON();
      expect(json.Parameters.BootstrapVersion).toBeUndefined();
      expect(json.Rules).toBeUndefined();
      expect(JSON.stringify(json)).not.toContain('AWS::Lambda::Function');
      expect(JSON.stringify(json)).not.toContain('Custom::');
    });

    it('stays under the 51,200-byte inline template limit', () => {
      const bytes = Buffer.byteLength(
        JSON.stringify(get(env).template.toJSON()),
      );
      expect(bytes).toBeLessThan(51_200);
    });
  });
});

describe('AppEnvironmentStack with the load balancer option', () => {
  let alb: ReturnType<typeof synthesizeAll>;

  beforeAll(() => {
    alb = synthesizeAll(true);
  });
  afterAll(() => rmSync(alb.outdir, { recursive: true, force: true }));

  describe.each(SEED_TABLE)('$env', ({ env }) => {
    const prefix = `devops-app-${env}`;

    it('puts an internet-facing ALB in the public subnets', () => {
      const { template } = alb.byEnv.get(env)!;
      const subnets = template.findResources('AWS::EC2::Subnet') as Json;
      const publicIds = Object.keys(subnets)
        .filter(id => subnets[id].Properties.MapPublicIpOnLaunch)
        .map(id => ({ Ref: id }));
      template.hasResourceProperties(
        'AWS::ElasticLoadBalancingV2::LoadBalancer',
        {
          Name: `${prefix}-alb`,
          Scheme: 'internet-facing',
          Type: 'application',
          Subnets: Match.arrayEquals(publicIds),
        },
      );
    });

    it('forwards listener 80 to an IP target group on port 5000', () => {
      const { template } = alb.byEnv.get(env)!;
      const [tgId] = Object.keys(
        template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'),
      );
      template.hasResourceProperties(
        'AWS::ElasticLoadBalancingV2::TargetGroup',
        { Port: 5000, Protocol: 'HTTP', TargetType: 'ip' },
      );
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: tgId } }],
      });
      template.hasResourceProperties('AWS::ECS::Service', {
        LoadBalancers: [
          {
            ContainerName: 'app',
            ContainerPort: 5000,
            TargetGroupArn: { Ref: tgId },
          },
        ],
      });
    });

    it('admits 5000 to the tasks from the ALB’s group only (no 80/443)', () => {
      const { stack, template } = alb.byEnv.get(env)!;
      const app = (stack as AppEnvironmentStack).app;
      const lb = (stack as AppEnvironmentStack).loadBalancer!;
      const tasksSgId = logicalIdOf(
        stack,
        app.securityGroup.node.defaultChild as CfnResource,
      );
      const albSgId = logicalIdOf(
        stack,
        lb.securityGroup.node.defaultChild as CfnResource,
      );
      const tasksSg = template.toJSON().Resources[tasksSgId];
      expect(tasksSg.Properties.GroupName).toBe(`${prefix}-ecs-tasks-sg`);
      expect(tasksSg.Properties.SecurityGroupIngress).toBeUndefined();
      const ingress = Object.values(
        template.findResources('AWS::EC2::SecurityGroupIngress'),
      ) as Json[];
      const intoTasks = ingress.filter(
        i => i.Properties.GroupId['Fn::GetAtt']?.[0] === tasksSgId,
      );
      expect(intoTasks).toHaveLength(1);
      expect(intoTasks[0].Properties).toMatchObject({
        IpProtocol: 'tcp',
        FromPort: 5000,
        ToPort: 5000,
        SourceSecurityGroupId: { 'Fn::GetAtt': [albSgId, 'GroupId'] },
      });
      expect(intoTasks[0].Properties.CidrIp).toBeUndefined();
    });

    it('outputs the load balancer’s DNS name and stays under the size limit', () => {
      const json = alb.byEnv.get(env)!.template.toJSON();
      expect(json.Outputs.LoadBalancerDnsName).toBeDefined();
      expect(Buffer.byteLength(JSON.stringify(json))).toBeLessThan(51_200);
    });
  });
});

describe('synthesizer option', () => {
  it('uses the bootstrap stack only when asked', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'infra-test-'));
    try {
      const { app, stacks } = buildEnvironmentsApp(
        { ...INPUTS, synthesizer: 'default' },
        SEED_ENVIRONMENTS.slice(0, 1),
        { outdir },
      );
      withCdkValidation(false, () => app.synth());
      const json = Template.fromStack(stacks[0]).toJSON();
      expect(json.Parameters.BootstrapVersion).toBeDefined();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('ProvisioningInputs output', () => {
  it('keeps the largest template (ALB, longest description) under the limit', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'infra-test-'));
    try {
      // The wizard allows 500 characters; quotes are escaped twice (once in
      // the output's JSON, once in the template's).
      const description = '"'.repeat(500);
      const { app, stacks } = buildEnvironmentsApp(
        { ...INPUTS, loadBalancer: true, description },
        SEED_ENVIRONMENTS.slice(0, 1),
        { outdir },
      );
      withCdkValidation(false, () => app.synth());
      const json = Template.fromStack(stacks[0]).toJSON();
      expect(JSON.parse(json.Outputs.ProvisioningInputs.Value)).toMatchObject({
        description,
        loadBalancer: true,
      });
      // Too long for the stack's own description: that one falls back.
      expect(json.Description).toBe(
        'devops-app test environment (VPC 10.3.0.0/16, ECS Fargate), provisioned from Backstage',
      );
      const bytes = Buffer.byteLength(JSON.stringify(json));
      expect(bytes).toBeLessThan(51_200);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('checkStackInputs', () => {
  it.each([
    [{ project: 'Bad_Name' }, /project "Bad_Name"/],
    [{ image: ' ' }, /image/],
    [{ minCapacity: 0 }, /minCapacity/],
    [{ maxCapacity: 11 }, /maxCapacity/],
    [
      { minCapacity: 5, maxCapacity: 3, desiredCount: 4 },
      /minCapacity must not exceed/,
    ],
    [{ minCapacity: 2, desiredCount: 1 }, /desiredCount/],
  ])('rejects %j', (override, message) => {
    expect(() => checkStackInputs({ ...INPUTS, ...override })).toThrow(message);
  });

  it('accepts the seed defaults', () => {
    expect(() => checkStackInputs(INPUTS)).not.toThrow();
  });
});
