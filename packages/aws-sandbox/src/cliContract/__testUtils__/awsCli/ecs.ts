/*
 * Part of the AWS CLI contract: ECS on the stack's cluster and service:
 * describe-clusters, describe-services, the services-stable waiter,
 * list-tasks, describe-tasks. Not a Jest file:
 * ../../awsCli.contract.test.ts registers the parts, in order, on its one
 * sandbox.
 */
/* eslint-disable jest/no-export -- exported to register its tests */
import { AwsCli, CLUSTER, ISO_TIME, STACK } from './context';

/** Registers this part's tests, in order. */
export function ecsTests(cli: AwsCli) {
  const { ok, fails, wait } = cli;

  it('ECS describe-clusters, describe-services, wait services-stable, list-tasks, describe-tasks on the stack’s service', async () => {
    const [clusters, services, stable, tasks] = await Promise.all([
      ok(
        'ecs',
        'describe-clusters',
        '--clusters',
        CLUSTER,
        'nope',
        '--include',
        'STATISTICS',
      ),
      ok(
        'ecs',
        'describe-services',
        '--cluster',
        CLUSTER,
        '--services',
        'web',
        'gone',
      ),
      wait(
        'ecs',
        'wait',
        'services-stable',
        '--cluster',
        CLUSTER,
        '--services',
        'web',
      ),
      ok('ecs', 'list-tasks', '--cluster', CLUSTER, '--service-name', 'web'),
    ]);
    expect(clusters.clusters[0]).toMatchObject({
      clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${CLUSTER}`,
      clusterName: CLUSTER,
      status: 'ACTIVE',
      activeServicesCount: 1,
      runningTasksCount: 1,
    });
    expect(
      Object.fromEntries(
        clusters.clusters[0].statistics.map((s: any) => [s.name, s.value]),
      ),
    ).toMatchObject({
      runningFargateTasksCount: '1',
      activeFargateServiceCount: '1',
    });
    expect(clusters.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope',
        reason: 'MISSING',
      },
    ]);

    const svc = services.services[0];
    expect(svc).toMatchObject({
      serviceArn: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/web`,
      serviceName: 'web',
      status: 'ACTIVE',
      launchType: 'FARGATE',
      desiredCount: 1,
      runningCount: 1,
      pendingCount: 0,
      taskDefinition: `arn:aws:ecs:us-east-1:000000000000:task-definition/${STACK}-web:1`,
      createdAt: expect.stringMatching(ISO_TIME),
      deploymentConfiguration: expect.objectContaining({
        deploymentCircuitBreaker: { enable: true, rollback: true },
      }),
    });
    expect(svc.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        runningCount: 1,
      }),
    ]);
    expect(svc.events[0].message).toBe(
      '(service web) has reached a steady state.',
    );
    expect(services.failures).toEqual([
      {
        arn: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/gone`,
        reason: 'MISSING',
      },
    ]);
    // The waiter's DescribeServices found the service stable at once.
    expect(stable).toEqual({ code: 0, stdout: '', stderr: '' });

    expect(tasks.taskArns).toEqual([
      expect.stringMatching(
        new RegExp(
          `^arn:aws:ecs:us-east-1:000000000000:task/${CLUSTER}/[0-9a-f]{32}$`,
        ),
      ),
    ]);
    const [described] = await Promise.all([
      ok(
        'ecs',
        'describe-tasks',
        '--cluster',
        CLUSTER,
        '--tasks',
        tasks.taskArns[0],
      ),
      fails(
        'ClusterNotFoundException',
        'ecs',
        'describe-services',
        '--cluster',
        'no-such-cluster',
        '--services',
        'web',
      ),
    ]);
    const [task] = described.tasks;
    expect(task).toMatchObject({
      taskArn: tasks.taskArns[0],
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      launchType: 'FARGATE',
      group: 'service:web',
      availabilityZone: 'us-east-1a',
      cpu: '256',
      memory: '512',
    });
    expect(task.containers[0]).toMatchObject({
      name: 'web',
      image: 'public.ecr.aws/docker/library/nginx:1.1',
      lastStatus: 'RUNNING',
    });
  });
}
