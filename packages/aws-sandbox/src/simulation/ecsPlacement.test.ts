/*
 * Fargate places a service's tasks evenly across the availability zones of
 * its awsvpc subnets; a task's availabilityZone, the subnet of its ENI
 * attachment and its private address agree with the subnet EC2 describes.
 * The same seed places the same tasks the same way. Also DescribeClusters'
 * STATISTICS for Fargate and EC2 tasks and services.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  Task,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { credentials, waitFor } from '../__testUtils__/sandbox';
import { all, queryRequest, text } from '../__testUtils__/query';
import { RunningSandbox, startSandbox } from '../index';

jest.setTimeout(60_000);

const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** A VPC with a subnet in each of three zones and a second one in the first. */
const network = JSON.stringify({
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.9.0.0/16' } },
    ...Object.fromEntries(
      zones.map((az, i) => [
        `Private${i}`,
        {
          Type: 'AWS::EC2::Subnet',
          Properties: {
            VpcId: { Ref: 'Vpc' },
            CidrBlock: `10.9.${i}.0/24`,
            AvailabilityZone: az,
          },
        },
      ]),
    ),
    Extra: {
      Type: 'AWS::EC2::Subnet',
      Properties: {
        VpcId: { Ref: 'Vpc' },
        CidrBlock: '10.9.100.0/28',
        AvailabilityZone: zones[0],
      },
    },
  },
});

interface World {
  sb: RunningSandbox;
  ecs: ECSClient;
  subnets: Record<string, string>;
}

async function world(seed: number): Promise<World> {
  const sb = await startSandbox({
    port: 0,
    clock: 'manual',
    startTime: Date.UTC(2026, 0, 15, 12, 0, 0),
    resourceDelayMs: 0,
    seed,
  });
  const config = {
    endpoint: sb.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  };
  const cfn = new CloudFormationClient(config);
  await cfn.send(
    new CreateStackCommand({ StackName: 'net', TemplateBody: network }),
  );
  await waitFor(async () => {
    const s = (await cfn.send(new DescribeStacksCommand({ StackName: 'net' })))
      .Stacks![0];
    return s.StackStatus === 'CREATE_COMPLETE';
  });
  const resources = await cfn.send(
    new DescribeStackResourcesCommand({ StackName: 'net' }),
  );
  const subnets = Object.fromEntries(
    resources
      .StackResources!.filter(r => r.ResourceType === 'AWS::EC2::Subnet')
      .map(r => [r.LogicalResourceId!, r.PhysicalResourceId!]),
  );
  const ecs = new ECSClient(config);
  await ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'app:1' }],
    }),
  );
  return { sb, ecs, subnets };
}

async function createService(
  w: World,
  name: string,
  subnets: string[],
  desiredCount: number,
) {
  await w.ecs.send(
    new CreateServiceCommand({
      cluster: 'c',
      serviceName: name,
      taskDefinition: 'web',
      desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets } },
    }),
  );
}

async function tasksOf(w: World, service: string): Promise<Task[]> {
  const arns = (
    await w.ecs.send(
      new ListTasksCommand({ cluster: 'c', serviceName: service }),
    )
  ).taskArns!;
  if (arns.length === 0) return [];
  return (
    await w.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: arns }))
  ).tasks!;
}

const subnetOf = (task: Task) =>
  task.attachments![0].details!.find(d => d.name === 'subnetId')!.value!;
const addressOf = (task: Task) =>
  task.attachments![0].details!.find(d => d.name === 'privateIPv4Address')!
    .value!;

function perZone(tasks: Task[]) {
  const counts: Record<string, number> = {};
  for (const task of tasks) {
    counts[task.availabilityZone!] = (counts[task.availabilityZone!] ?? 0) + 1;
  }
  return counts;
}

describe('Fargate task placement', () => {
  let w: World;

  beforeAll(async () => {
    w = await world(11);
  });

  afterAll(async () => {
    await w?.sb.close();
  });

  it('spreads tasks evenly over the zones of the service subnets', async () => {
    const subnets = [0, 1, 2].map(i => w.subnets[`Private${i}`]);
    await createService(w, 'web', subnets, 6);
    let tasks = await tasksOf(w, 'web');
    expect(perZone(tasks)).toEqual({
      'us-east-1a': 2,
      'us-east-1b': 2,
      'us-east-1c': 2,
    });

    // The zone agrees with the subnet EC2 describes, and the address is in it.
    const described = await queryRequest(w.sb, 'ec2', {
      Action: 'DescribeSubnets',
      Version: '2016-11-15',
      ...Object.fromEntries(subnets.map((s, i) => [`SubnetId.${i + 1}`, s])),
    });
    const subnetZone = Object.fromEntries(
      all(described.xml, 'subnetSet', 'item').map(s => [
        text(s, 'subnetId'),
        [text(s, 'availabilityZone'), text(s, 'cidrBlock')],
      ]),
    );
    for (const task of tasks) {
      const [zone, cidr] = subnetZone[subnetOf(task)];
      expect(task.availabilityZone).toBe(zone);
      expect(addressOf(task)).toMatch(
        new RegExp(`^${cidr.split('.').slice(0, 3).join('\\.')}\\.\\d+$`),
      );
    }

    // One more goes to some zone; three more even them out again.
    await w.ecs.send(
      new UpdateServiceCommand({
        cluster: 'c',
        service: 'web',
        desiredCount: 7,
      }),
    );
    tasks = await tasksOf(w, 'web');
    expect(Object.values(perZone(tasks)).sort()).toEqual([2, 2, 3]);
    await w.ecs.send(
      new UpdateServiceCommand({
        cluster: 'c',
        service: 'web',
        desiredCount: 9,
      }),
    );
    tasks = await tasksOf(w, 'web');
    expect(perZone(tasks)).toEqual({
      'us-east-1a': 3,
      'us-east-1b': 3,
      'us-east-1c': 3,
    });
  });

  it('balances zones first, then the subnets within a zone', async () => {
    // Two subnets in us-east-1a, one in us-east-1b.
    const subnets = [w.subnets.Private0, w.subnets.Extra, w.subnets.Private1];
    await createService(w, 'api', subnets, 4);
    const tasks = await tasksOf(w, 'api');
    expect(perZone(tasks)).toEqual({ 'us-east-1a': 2, 'us-east-1b': 2 });
    const bySubnet = tasks.map(subnetOf).sort();
    expect(bySubnet).toEqual(
      [
        w.subnets.Private0,
        w.subnets.Extra,
        w.subnets.Private1,
        w.subnets.Private1,
      ].sort(),
    );
    const extra = tasks.find(task => subnetOf(task) === w.subnets.Extra)!;
    expect(addressOf(extra)).toMatch(/^10\.9\.100\.(\d|1[0-4])$/);
  });

  it('places the same tasks the same way for the same seed', async () => {
    const placed = async () => {
      const fresh = await world(11);
      try {
        await createService(
          fresh,
          'web',
          [0, 1, 2].map(i => fresh.subnets[`Private${i}`]),
          6,
        );
        return (await tasksOf(fresh, 'web')).map(task => [
          task.taskArn,
          task.availabilityZone,
          subnetOf(task),
          addressOf(task),
        ]);
      } finally {
        await fresh.sb.close();
      }
    };
    const first = await placed();
    expect(first).toHaveLength(6);
    expect(await placed()).toEqual(first);
  });

  it('reports STATISTICS by launch type, draining services included', async () => {
    const stats = async () =>
      Object.fromEntries(
        (
          await w.ecs.send(
            new DescribeClustersCommand({
              clusters: ['c'],
              include: ['STATISTICS'],
            }),
          )
        ).clusters![0].statistics!.map(s => [s.name, s.value]),
      );
    await w.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'worker',
        containerDefinitions: [{ name: 'w', image: 'w:1', memory: 128 }],
      }),
    );
    await w.ecs.send(
      new CreateServiceCommand({
        cluster: 'c',
        serviceName: 'worker',
        taskDefinition: 'worker',
        desiredCount: 1,
        launchType: 'EC2',
      }),
    );
    w.sb.advance(20);
    expect(await stats()).toEqual({
      runningEC2TasksCount: '1',
      runningFargateTasksCount: '13',
      pendingEC2TasksCount: '0',
      pendingFargateTasksCount: '0',
      activeEC2ServiceCount: '1',
      activeFargateServiceCount: '2',
      drainingEC2ServiceCount: '0',
      drainingFargateServiceCount: '0',
    });
    await w.ecs.send(
      new DeleteServiceCommand({ cluster: 'c', service: 'api', force: true }),
    );
    expect(await stats()).toMatchObject({
      activeFargateServiceCount: '1',
      drainingFargateServiceCount: '1',
    });
  });
});
