import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataCommandInput,
  InvalidNextToken,
  InvalidParameterValueException,
  ListMetricsCommand,
  MissingRequiredParameterException,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  InvalidNextTokenException,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  ValidationException,
  paginateDescribeScalableTargets,
} from '@aws-sdk/client-application-auto-scaling';
import { useSandbox } from '../__testUtils__/sandbox';
import { metricValue } from '../simulation/metrics';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('CloudWatch and Application Auto Scaling', () => {
  const t = useSandbox();

  beforeAll(async () => {
    const ecs = new ECSClient(t.config);
    await ecs.send(new CreateClusterCommand({ clusterName: 'c1' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'f',
        containerDefinitions: [{ name: 'app', image: 'x', memory: 128 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'c1',
        serviceName: 's1',
        taskDefinition: 'f',
        desiredCount: 2,
      }),
    );
    t.sb.advance(600);
  });

  it('serves seeded ECS metrics for the last 7 days, newest first', async () => {
    const cw = new CloudWatchClient(t.config);
    const now = t.sb.clock.now();
    const dims = [
      { Name: 'ClusterName', Value: 'c1' },
      { Name: 'ServiceName', Value: 's1' },
    ];
    const res = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 7 * 86400_000),
        EndTime: new Date(now),
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ECS',
                MetricName: 'CPUUtilization',
                Dimensions: dims,
              },
              Period: 60,
              Stat: 'Average',
            },
          },
          {
            Id: 'tasks',
            MetricStat: {
              Metric: {
                Namespace: 'ECS/ContainerInsights',
                MetricName: 'RunningTaskCount',
                Dimensions: dims,
              },
              Period: 300,
              Stat: 'Maximum',
            },
          },
          { Id: 'pct', Expression: 'cpu / 100' },
        ],
      }),
    );
    const [cpu, tasks, pct] = res.MetricDataResults!;
    expect(cpu.StatusCode).toBe('Complete');
    expect(cpu.Timestamps!.length).toBeGreaterThan(7 * 1440 - 20);
    expect(cpu.Timestamps![0].getTime()).toBeGreaterThan(
      cpu.Timestamps![1].getTime(),
    );
    const newest = cpu.Timestamps![0].getTime();
    expect(cpu.Values![0]).toBeCloseTo(
      metricValue(7, 'CPUUtilization', 'c1', 's1', newest),
      6,
    );
    expect(tasks.Values![0]).toBe(2);
    expect(tasks.Values![tasks.Values!.length - 1]).toBe(2);
    expect(pct.Values![0]).toBeCloseTo(cpu.Values![0] / 100, 6);
    expect(START).toBeLessThan(newest);

    const paged = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 3600_000),
        EndTime: new Date(now),
        MaxDatapoints: 30,
        MetricDataQueries: [
          {
            Id: 'cpu',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/ECS',
                MetricName: 'CPUUtilization',
                Dimensions: dims,
              },
              Period: 60,
              Stat: 'Average',
            },
          },
        ],
      }),
    );
    expect(paged.MetricDataResults![0].Values).toHaveLength(30);
    expect(paged.NextToken).toBeDefined();
  });

  it('lists and stores metrics', async () => {
    const cw = new CloudWatchClient(t.config);
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'App',
        MetricData: [
          {
            MetricName: 'Requests',
            Value: 5,
            Timestamp: new Date(t.sb.clock.now() - 120_000),
          },
        ],
      }),
    );
    const listed = await cw.send(
      new ListMetricsCommand({ Namespace: 'AWS/ECS' }),
    );
    expect(listed.Metrics!.map(m => m.MetricName).sort()).toEqual([
      'CPUUtilization',
      'CPUUtilization',
      'MemoryUtilization',
      'MemoryUtilization',
    ]);
    const custom = await cw.send(new ListMetricsCommand({ Namespace: 'App' }));
    expect(custom.Metrics).toEqual([
      { Namespace: 'App', MetricName: 'Requests', Dimensions: [] },
    ]);
  });

  it('registers scalable targets and policies', async () => {
    const aas = new ApplicationAutoScalingClient(t.config);
    await aas.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/c1/s1',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 1,
        MaxCapacity: 4,
      }),
    );
    await aas.send(
      new PutScalingPolicyCommand({
        PolicyName: 'cpu',
        ServiceNamespace: 'ecs',
        ResourceId: 'service/c1/s1',
        ScalableDimension: 'ecs:service:DesiredCount',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60,
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
          },
        },
      }),
    );
    const targets = await aas.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }),
    );
    expect(targets.ScalableTargets).toEqual([
      expect.objectContaining({
        ResourceId: 'service/c1/s1',
        MinCapacity: 1,
        MaxCapacity: 4,
      }),
    ]);
    const policies = await aas.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs' }),
    );
    expect(policies.ScalingPolicies![0]).toMatchObject({
      PolicyName: 'cpu',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 60 },
    });
    expect(policies.ScalingPolicies![0].Alarms).toHaveLength(2);
  });

  it('follows GetMetricData pages through NextToken', async () => {
    const cw = new CloudWatchClient(t.config);
    const now = t.sb.clock.now();
    const stat = (MetricName: string) => ({
      Metric: {
        Namespace: 'AWS/ECS',
        MetricName,
        Dimensions: [
          { Name: 'ClusterName', Value: 'c1' },
          { Name: 'ServiceName', Value: 's1' },
        ],
      },
      Period: 60,
      Stat: 'Average',
    });
    const input: GetMetricDataCommandInput = {
      StartTime: new Date(now - 3600_000),
      EndTime: new Date(now),
      MetricDataQueries: [
        { Id: 'cpu', MetricStat: stat('CPUUtilization') },
        { Id: 'mem', MetricStat: stat('MemoryUtilization') },
      ],
    };
    const whole = await cw.send(new GetMetricDataCommand(input));
    expect(whole.NextToken).toBeUndefined();
    const [cpu, mem] = whole.MetricDataResults!;
    expect(cpu.Values!.length).toBeGreaterThan(50);
    expect(mem.Values!.length).toBe(cpu.Values!.length);

    const collected = new Map<string, { t: number[]; v: number[] }>();
    const statuses: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await cw.send(
        new GetMetricDataCommand({
          ...input,
          MaxDatapoints: 25,
          NextToken: token,
        }),
      );
      pages++;
      let size = 0;
      for (const r of page.MetricDataResults!) {
        const acc = collected.get(r.Id!) ?? { t: [], v: [] };
        acc.t.push(...r.Timestamps!.map(d => d.getTime()));
        acc.v.push(...r.Values!);
        collected.set(r.Id!, acc);
        size += r.Values!.length;
        statuses.push(`${pages}:${r.Id}:${r.StatusCode}`);
      }
      expect(size).toBeLessThanOrEqual(25);
      token = page.NextToken;
    } while (token);
    const total = cpu.Values!.length * 2;
    expect(pages).toBe(Math.ceil(total / 25));
    expect(collected.get('cpu')).toEqual({
      t: cpu.Timestamps!.map(d => d.getTime()),
      v: cpu.Values,
    });
    expect(collected.get('mem')).toEqual({
      t: mem.Timestamps!.map(d => d.getTime()),
      v: mem.Values,
    });
    expect(statuses[0]).toBe('1:cpu:PartialData');
    expect(statuses[statuses.length - 1]).toBe(`${pages}:mem:Complete`);

    const second = await cw.send(
      new GetMetricDataCommand({ ...input, MaxDatapoints: 25 }),
    );
    // A token from one time range cannot continue another.
    await expect(
      cw.send(
        new GetMetricDataCommand({
          ...input,
          StartTime: new Date(now - 7200_000),
          NextToken: second.NextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextToken);
  });

  it('raises CloudWatch typed errors', async () => {
    const cw = new CloudWatchClient(t.config);
    const now = t.sb.clock.now();
    const query = {
      Id: 'cpu',
      MetricStat: {
        Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization' },
        Period: 60,
        Stat: 'Average',
      },
    };
    await expect(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now),
          EndTime: new Date(now - 60_000),
          MetricDataQueries: [query],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 60_000),
          EndTime: new Date(now),
          MetricDataQueries: [],
        }),
      ),
    ).rejects.toBeInstanceOf(MissingRequiredParameterException);
    await expect(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 60_000),
          EndTime: new Date(now),
          MetricDataQueries: [query],
          NextToken: 'not-a-token',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextToken);
    await expect(
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/ECS',
          MetricData: [{ MetricName: 'CPUUtilization', Value: 1 }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
  });

  it('pages DescribeScalableTargets', async () => {
    const aas = new ApplicationAutoScalingClient(t.config);
    const dim = 'dynamodb:table:ReadCapacityUnits';
    for (let i = 0; i < 7; i++) {
      await aas.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'dynamodb',
          ResourceId: `table/t${i}`,
          ScalableDimension: dim,
          MinCapacity: 1,
          MaxCapacity: 10 + i,
        }),
      );
    }
    const first = await aas.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'dynamodb',
        MaxResults: 3,
      }),
    );
    expect(first.ScalableTargets!.map(x => x.ResourceId)).toEqual([
      'table/t0',
      'table/t1',
      'table/t2',
    ]);
    const next = await aas.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'dynamodb',
        MaxResults: 3,
        NextToken: first.NextToken,
      }),
    );
    expect(next.ScalableTargets!.map(x => x.ResourceId)).toEqual([
      'table/t3',
      'table/t4',
      'table/t5',
    ]);
    const pages: string[][] = [];
    for await (const page of paginateDescribeScalableTargets(
      { client: aas, pageSize: 3 },
      { ServiceNamespace: 'dynamodb', ScalableDimension: dim },
    )) {
      pages.push(page.ScalableTargets!.map(x => x.ResourceId!));
    }
    expect(pages.map(p => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(
      Array.from({ length: 7 }, (_, i) => `table/t${i}`),
    );
    await expect(
      aas.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: 'dynamodb',
          ScalableDimension: 'dynamodb:table:WriteCapacityUnits',
          NextToken: first.NextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidNextTokenException);
    await expect(
      aas.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: 'dynamodb',
          MaxResults: 51,
        }),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it('raises Application Auto Scaling typed errors', async () => {
    const aas = new ApplicationAutoScalingClient(t.config);
    await expect(
      aas.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: 'nope' as any,
        }),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(
      aas.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/c1/missing',
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: "ECS service doesn't exist: service/c1/missing",
    });
    await expect(
      aas.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/c1/s1',
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 5,
          MaxCapacity: 2,
        }),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
    const target = {
      ServiceNamespace: 'ecs' as const,
      ResourceId: 'service/c1/unregistered',
      ScalableDimension: 'ecs:service:DesiredCount' as const,
    };
    await expect(
      aas.send(new DeregisterScalableTargetCommand(target)),
    ).rejects.toBeInstanceOf(ObjectNotFoundException);
    await expect(
      aas.send(
        new PutScalingPolicyCommand({
          ...target,
          PolicyName: 'p',
          PolicyType: 'StepScaling',
        }),
      ),
    ).rejects.toBeInstanceOf(ObjectNotFoundException);
    await expect(
      aas.send(
        new DeleteScalingPolicyCommand({
          ...target,
          ResourceId: 'service/c1/s1',
          PolicyName: 'never-created',
        }),
      ),
    ).rejects.toBeInstanceOf(ObjectNotFoundException);
  });
});
