/*
 * Part of the AWS CLI contract: CloudWatch Logs (the task's awslogs stream)
 * and Application Auto Scaling (the stack's scalable target and policy),
 * with their errors. Not a Jest file: ../../awsCli.contract.test.ts
 * registers the parts, in order, on its one sandbox.
 */
/* eslint-disable jest/no-export -- exported to register its tests */
import { AwsCli, CLUSTER, ISO_TIME, STACK } from './context';

/** Registers this part's tests, in order. */
export function logsAutoScalingTests(cli: AwsCli) {
  const { ok, fails } = cli;

  it('Logs describe-log-groups, describe-log-streams, get-log-events show the task’s awslogs stream; errors', async () => {
    const [groups, streams] = await Promise.all([
      ok(
        'logs',
        'describe-log-groups',
        '--log-group-name-prefix',
        `/ecs/${STACK}`,
      ),
      ok(
        'logs',
        'describe-log-streams',
        '--log-group-name',
        `/ecs/${STACK}`,
        '--order-by',
        'LastEventTime',
        '--descending',
      ),
    ]);
    expect(groups.logGroups).toEqual([
      expect.objectContaining({
        logGroupName: `/ecs/${STACK}`,
        arn: `arn:aws:logs:us-east-1:000000000000:log-group:/ecs/${STACK}:*`,
        creationTime: expect.any(Number),
        retentionInDays: 7,
        metricFilterCount: 0,
        storedBytes: expect.any(Number),
      }),
    ]);
    expect(streams.logStreams).toHaveLength(1);
    // awslogs names streams <prefix>/<container>/<task id>.
    const stream = streams.logStreams[0].logStreamName;
    expect(stream).toMatch(/^web\/web\/[0-9a-f]{32}$/);

    const [events] = await Promise.all([
      ok(
        'logs',
        'get-log-events',
        '--log-group-name',
        `/ecs/${STACK}`,
        '--log-stream-name',
        stream,
        '--start-from-head',
      ),
      fails(
        'ResourceAlreadyExistsException',
        'logs',
        'create-log-group',
        '--log-group-name',
        `/ecs/${STACK}`,
      ),
      // 2 days is not one of the retention periods CloudWatch Logs takes.
      fails(
        'InvalidParameterException',
        'logs',
        'put-retention-policy',
        '--log-group-name',
        `/ecs/${STACK}`,
        '--retention-in-days',
        '2',
      ),
    ]);
    expect(events.events.length).toBeGreaterThan(0);
    expect(events.events[0]).toEqual({
      timestamp: expect.any(Number),
      message: expect.any(String),
      ingestionTime: expect.any(Number),
    });
    expect(events.nextForwardToken).toMatch(/^f\//);
    expect(events.nextBackwardToken).toMatch(/^b\//);
  });

  it('Application Auto Scaling describes the stack’s scalable target and policy; errors', async () => {
    const [targets, policies] = await Promise.all([
      ok(
        'application-autoscaling',
        'describe-scalable-targets',
        '--service-namespace',
        'ecs',
      ),
      ok(
        'application-autoscaling',
        'describe-scaling-policies',
        '--service-namespace',
        'ecs',
        '--resource-id',
        `service/${CLUSTER}/web`,
      ),
      fails(
        'ValidationException',
        'application-autoscaling',
        'register-scalable-target',
        '--service-namespace',
        'ecs',
        '--scalable-dimension',
        'ecs:service:DesiredCount',
        '--resource-id',
        `service/${CLUSTER}/web`,
        '--min-capacity',
        '5',
        '--max-capacity',
        '2',
      ),
    ]);
    expect(targets.ScalableTargets).toEqual([
      {
        ServiceNamespace: 'ecs',
        ResourceId: `service/${CLUSTER}/web`,
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 1,
        MaxCapacity: 4,
        RoleARN: expect.stringMatching(
          /^arn:aws:iam::000000000000:role\/aws-service-role\/ecs\.application-autoscaling\.amazonaws\.com\//,
        ),
        CreationTime: expect.stringMatching(ISO_TIME),
        SuspendedState: {
          DynamicScalingInSuspended: false,
          DynamicScalingOutSuspended: false,
          ScheduledScalingSuspended: false,
        },
      },
    ]);
    expect(policies.ScalingPolicies).toEqual([
      expect.objectContaining({
        PolicyName: 'cpu-target',
        PolicyType: 'TargetTrackingScaling',
        PolicyARN: expect.stringMatching(
          new RegExp(
            `^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource/ecs/service/${CLUSTER}/web:policyName/cpu-target$`,
          ),
        ),
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 60,
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
          },
        },
        CreationTime: expect.stringMatching(ISO_TIME),
      }),
    ]);
  });
}
