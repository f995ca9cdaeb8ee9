import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
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
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
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
});
