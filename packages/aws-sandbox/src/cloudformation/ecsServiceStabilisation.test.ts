/*
 * Contract tests, through the AWS SDK: a stack's ECS service is complete only
 * once it has stabilised on the simulated clock, and the deployment circuit
 * breaker fails it (and the stack rolls back) when its tasks keep failing.
 * The clock only moves when these tests advance it (stackWaitClockStepMs 0).
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  StackEvent,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateClusterCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  Service,
} from '@aws-sdk/client-ecs';
import { useSandbox, waitFor } from '../__testUtils__/sandbox';
import {
  ecsServiceTemplate,
  EcsServiceOptions,
} from '../__testUtils__/ecsServiceTemplate';

const CLUSTER = 'stabilise-cluster';
const template = (o: Omit<EcsServiceOptions, 'cluster'>) =>
  ecsServiceTemplate({ cluster: CLUSTER, ...o });

const BREAKER_REASON =
  /^Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'\." \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: GeneralServiceException\)$/;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('CloudFormation waits for ECS services to stabilise', () => {
  const t = useSandbox({ stackWaitClockStepMs: 0 });
  const cfn = () => new CloudFormationClient(t.config);
  const ecs = () => new ECSClient(t.config);

  beforeAll(async () => {
    await ecs().send(new CreateClusterCommand({ clusterName: CLUSTER }));
  });

  afterEach(() => t.sb.clearFaults());

  async function stack(name: string) {
    return (await cfn().send(new DescribeStacksCommand({ StackName: name })))
      .Stacks![0];
  }

  /** Oldest first. */
  async function events(name: string): Promise<StackEvent[]> {
    return (
      await cfn().send(new DescribeStackEventsCommand({ StackName: name }))
    ).StackEvents!.reverse();
  }

  async function resource(name: string, logicalId: string) {
    const all = (
      await cfn().send(new DescribeStackResourcesCommand({ StackName: name }))
    ).StackResources!;
    return all.find(r => r.LogicalResourceId === logicalId);
  }

  async function service(name: string): Promise<Service> {
    return (
      await ecs().send(
        new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }),
      )
    ).services![0];
  }

  async function untilStatus(name: string, status: string) {
    return waitFor(async () => {
      const s = await stack(name);
      return s.StackStatus === status ? s : undefined;
    });
  }

  /** Until the service's handler has returned ("Resource creation Initiated"). */
  async function initiated(name: string) {
    await waitFor(async () =>
      (
        await events(name)
      ).some(
        e =>
          e.LogicalResourceId === 'Service' &&
          e.ResourceStatusReason === 'Resource creation Initiated',
      ),
    );
  }

  /** The stack keeps `status` for a while of wall time (nothing else moves). */
  async function stays(name: string, status: string) {
    for (let i = 0; i < 5; i++) {
      await sleep(40);
      expect((await stack(name)).StackStatus).toBe(status);
    }
  }

  /** Advances the clock in 5 s steps until `done` holds (at most `max` s). */
  async function advanceUntil(
    done: () => Promise<boolean>,
    max: number,
  ): Promise<number> {
    for (let s = 0; s <= max; s += 5) {
      if (await done()) return s;
      t.sb.advance(5);
    }
    throw new Error(`not done after ${max} simulated seconds`);
  }

  it('keeps a new service CREATE_IN_PROGRESS until its tasks run, then completes', async () => {
    await cfn().send(
      new CreateStackCommand({
        StackName: 'web',
        TemplateBody: template({ name: 'web' }),
      }),
    );
    await initiated('web');
    await stays('web', 'CREATE_IN_PROGRESS');
    expect(await resource('web', 'Service')).toMatchObject({
      ResourceStatus: 'CREATE_IN_PROGRESS',
      PhysicalResourceId: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/web`,
    });
    let svc = await service('web');
    expect(svc).toMatchObject({ runningCount: 0, pendingCount: 2 });
    expect(svc.deployments![0].rolloutState).toBe('IN_PROGRESS');

    // Running, but not yet for long enough to count as a completed rollout.
    t.sb.advance(15);
    svc = await service('web');
    expect(svc.runningCount).toBe(2);
    expect(svc.deployments![0].rolloutState).toBe('IN_PROGRESS');
    await stays('web', 'CREATE_IN_PROGRESS');

    t.sb.advance(30);
    await untilStatus('web', 'CREATE_COMPLETE');
    svc = await service('web');
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 2,
    });
    const serviceEvents = (await events('web')).filter(
      e => e.LogicalResourceId === 'Service',
    );
    expect(serviceEvents.map(e => e.ResourceStatus)).toEqual([
      'CREATE_IN_PROGRESS',
      'CREATE_IN_PROGRESS',
      'CREATE_COMPLETE',
    ]);
    const [, started, complete] = serviceEvents;
    // Less a few ms: events of one instant are 1 ms apart.
    expect(
      complete.Timestamp!.getTime() - started.Timestamp!.getTime(),
    ).toBeGreaterThanOrEqual(45_000 - 100);
    expect((await resource('web', 'Service'))!.ResourceStatus).toBe(
      'CREATE_COMPLETE',
    );
  });

  it('fails a create whose tasks crash once the circuit breaker trips, and rolls the stack back', async () => {
    t.sb.addFault({ type: 'crashloop', cluster: CLUSTER, service: 'broken' });
    await cfn().send(
      new CreateStackCommand({
        StackName: 'broken',
        TemplateBody: template({
          name: 'broken',
          breaker: { Enable: true, Rollback: true },
        }),
      }),
    );
    await initiated('broken');
    // Threshold for 2 desired tasks: min(max(ceil(0.5 * 2), 3), 200) = 3.
    await advanceUntil(
      async () =>
        (await service('broken')).deployments![0].rolloutState === 'FAILED',
      600,
    );
    await untilStatus('broken', 'ROLLBACK_COMPLETE');

    const all = await events('broken');
    const failed = all.find(e => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed).toMatchObject({
      LogicalResourceId: 'Service',
      PhysicalResourceId: `arn:aws:ecs:us-east-1:000000000000:service/${CLUSTER}/broken`,
    });
    expect(failed!.ResourceStatusReason).toMatch(BREAKER_REASON);
    expect(
      all.find(e => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')
        ?.ResourceStatusReason,
    ).toBe(
      'The following resource(s) failed to create: [Service]. Rollback requested by user.',
    );
    expect(
      all
        .filter(e => e.ResourceStatus === 'DELETE_COMPLETE')
        .map(e => e.LogicalResourceId),
    ).toEqual(['Service', 'TaskDef']);

    // ECS's view: the deployment the breaker failed, with no earlier one
    // to roll back to, and the service deleted by the stack's rollback.
    const svc = await service('broken');
    expect(svc.status).toBe('INACTIVE');
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      rolloutState: 'FAILED',
      rolloutStateReason:
        'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(svc.deployments![0].failedTasks).toBeGreaterThanOrEqual(3);
  });

  it('stops launching tasks for a failed deployment (create without stack rollback)', async () => {
    t.sb.addFault({ type: 'crashloop', cluster: CLUSTER, service: 'kept' });
    await cfn().send(
      new CreateStackCommand({
        StackName: 'kept',
        DisableRollback: true,
        TemplateBody: template({
          name: 'kept',
          desiredCount: 8,
          breaker: { Enable: true, Rollback: false },
        }),
      }),
    );
    await initiated('kept');
    await advanceUntil(
      async () =>
        (await service('kept')).deployments![0].rolloutState === 'FAILED',
      600,
    );
    const failedStack = await untilStatus('kept', 'CREATE_FAILED');
    expect(failedStack.StackStatusReason).toBe(
      'The following resource(s) failed to create: [Service]. ',
    );
    expect(await resource('kept', 'Service')).toMatchObject({
      ResourceStatus: 'CREATE_FAILED',
      ResourceStatusReason: expect.stringMatching(BREAKER_REASON),
    });

    let svc = await service('kept');
    // Threshold for 8 desired tasks: ceil(0.5 * 8) = 4.
    expect(svc.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'FAILED',
      rolloutStateReason:
        'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect(svc.deployments![0].failedTasks).toBeGreaterThanOrEqual(4);
    expect(svc.events!.map(e => e.message)).toContainEqual(
      expect.stringMatching(
        /^\(service kept\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/,
      ),
    );
    const launched = async () =>
      [
        ...(
          await ecs().send(
            new ListTasksCommand({ cluster: CLUSTER, serviceName: 'kept' }),
          )
        ).taskArns!,
        ...(
          await ecs().send(
            new ListTasksCommand({
              cluster: CLUSTER,
              serviceName: 'kept',
              desiredStatus: 'STOPPED',
            }),
          )
        ).taskArns!,
      ].length;
    const before = await launched();
    t.sb.advance(1800);
    svc = await service('kept');
    expect([svc.runningCount, svc.pendingCount]).toEqual([0, 0]);
    expect(await launched()).toBe(before);
  });

  describe('updates', () => {
    async function createHealthy(name: string, rollback: boolean) {
      await cfn().send(
        new CreateStackCommand({
          StackName: name,
          TemplateBody: template({
            name,
            breaker: { Enable: true, Rollback: rollback },
          }),
        }),
      );
      await initiated(name);
      t.sb.advance(60);
      await untilStatus(name, 'CREATE_COMPLETE');
    }

    async function taskDefinitionOf(name: string) {
      return (await service(name)).taskDefinition!.split('/').pop();
    }

    async function update(name: string, image: string, rollback: boolean) {
      await cfn().send(
        new UpdateStackCommand({
          StackName: name,
          TemplateBody: template({
            name,
            image,
            breaker: { Enable: true, Rollback: rollback },
          }),
        }),
      );
      await waitFor(async () =>
        (
          await events(name)
        ).some(
          e =>
            e.LogicalResourceId === 'Service' &&
            e.ResourceStatus === 'UPDATE_IN_PROGRESS',
        ),
      );
    }

    it('completes an update once the new deployment has rolled out', async () => {
      await createHealthy('roll', true);
      await update('roll', 'app:2', true);
      await stays('roll', 'UPDATE_IN_PROGRESS');
      expect((await service('roll')).deployments!.length).toBe(2);
      const waited = await advanceUntil(
        async () => (await stack('roll')).StackStatus === 'UPDATE_COMPLETE',
        300,
      );
      expect(waited).toBeGreaterThanOrEqual(40);
      expect(await taskDefinitionOf('roll')).toBe('roll:2');
      const svc = await service('roll');
      expect(svc.deployments).toHaveLength(1);
      expect(svc.deployments![0].rolloutState).toBe('COMPLETED');
    });

    it('with Rollback, fails the update after ECS has rolled back, and the stack rolls back', async () => {
      await createHealthy('api', true);
      t.sb.addFault({
        type: 'crashloop',
        cluster: CLUSTER,
        service: 'api',
        taskDefinition: 'api:2',
      });
      await update('api', 'app:2', true);

      // ECS trips the breaker and starts its own rollback; CloudFormation
      // hears of the failure only once that rollback has completed.
      const rollingBack = (s: Service) =>
        s.deployments![0].rolloutState === 'IN_PROGRESS' &&
        s.deployments![0].rolloutStateReason!.startsWith(
          'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/',
        );
      await advanceUntil(async () => rollingBack(await service('api')), 600);
      await stays('api', 'UPDATE_IN_PROGRESS');
      const during = await service('api');
      expect(rollingBack(during)).toBe(true);
      expect(during.taskDefinition).toMatch(/:task-definition\/api:1$/);
      expect(during.deployments![0].taskDefinition).toMatch(
        /:task-definition\/api:1$/,
      );
      expect(during.events!.map(e => e.message)).toContainEqual(
        expect.stringMatching(
          /^\(service api\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/,
        ),
      );

      await advanceUntil(
        async () =>
          (await stack('api')).StackStatus!.startsWith('UPDATE_ROLLBACK'),
        300,
      );
      await untilStatus('api', 'UPDATE_ROLLBACK_COMPLETE');
      const all = await events('api');
      const failed = all.find(e => e.ResourceStatus === 'UPDATE_FAILED');
      expect(failed?.LogicalResourceId).toBe('Service');
      expect(failed?.ResourceStatusReason).toMatch(BREAKER_REASON);
      expect(
        all.find(e => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')
          ?.ResourceStatusReason,
      ).toBe('The following resource(s) failed to update: [Service]. ');

      // The previous task definition, in ECS and in the stack's record; the
      // new revision was the replacement the rollback removed.
      expect(await taskDefinitionOf('api')).toBe('api:1');
      const svc = await service('api');
      expect(svc.deployments).toHaveLength(1);
      expect(svc.deployments![0]).toMatchObject({
        rolloutState: 'COMPLETED',
        runningCount: 2,
      });
      expect((await resource('api', 'TaskDef'))!.PhysicalResourceId).toMatch(
        /:task-definition\/api:1$/,
      );
      const revision2 = await ecs().send(
        new DescribeTaskDefinitionCommand({ taskDefinition: 'api:2' }),
      );
      expect(revision2.taskDefinition!.status).toBe('INACTIVE');
    });

    it('without Rollback, fails the update at once and the stack rollback redeploys the previous task definition', async () => {
      await createHealthy('worker', false);
      t.sb.addFault({
        type: 'crashloop',
        cluster: CLUSTER,
        service: 'worker',
        taskDefinition: 'worker:2',
      });
      await update('worker', 'app:2', false);
      // The breaker fails the deployment; CloudFormation fails the service
      // at once and its rollback puts the old task definition back, then
      // waits for that deployment too (the clock stands still meanwhile).
      await advanceUntil(
        async () =>
          (await stack('worker')).StackStatus === 'UPDATE_ROLLBACK_IN_PROGRESS',
        600,
      );
      await waitFor(async () =>
        (await taskDefinitionOf('worker')) === 'worker:1' ? true : undefined,
      );
      const svcDuring = await service('worker');
      expect(svcDuring.events!.map(e => e.message)).toContainEqual(
        expect.stringMatching(
          /^\(service worker\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/,
        ),
      );
      // The old tasks kept serving through the failed rollout.
      expect(
        svcDuring.deployments!.map(d => [
          d.status,
          d.taskDefinition!.split('/').pop(),
          d.rolloutState,
          d.runningCount,
        ]),
      ).toEqual([
        ['PRIMARY', 'worker:1', 'IN_PROGRESS', 0],
        ['ACTIVE', 'worker:1', 'COMPLETED', 2],
      ]);
      await stays('worker', 'UPDATE_ROLLBACK_IN_PROGRESS');
      await advanceUntil(
        async () =>
          (await stack('worker')).StackStatus === 'UPDATE_ROLLBACK_COMPLETE',
        300,
      );
      const all = await events('worker');
      expect(
        all.find(e => e.ResourceStatus === 'UPDATE_FAILED')
          ?.ResourceStatusReason,
      ).toMatch(BREAKER_REASON);
      const svc = await service('worker');
      expect(svc.deployments).toHaveLength(1);
      expect(svc.deployments![0]).toMatchObject({
        taskDefinition: expect.stringMatching(/:task-definition\/worker:1$/),
        rolloutState: 'COMPLETED',
        runningCount: 2,
      });
    });

    it('ends UPDATE_ROLLBACK_FAILED when the restored service cannot stabilise either', async () => {
      await createHealthy('stuck', false);
      // Every revision of the service crashes from now on.
      t.sb.addFault({ type: 'crashloop', cluster: CLUSTER, service: 'stuck' });
      await update('stuck', 'app:2', false);
      await advanceUntil(
        async () =>
          (await stack('stuck')).StackStatus === 'UPDATE_ROLLBACK_FAILED',
        1200,
      );
      const failed = await stack('stuck');
      expect(failed.StackStatusReason).toBe(
        'The following resource(s) failed to update: [Service]. ',
      );
      const reasons = (await events('stuck'))
        .filter(
          e =>
            e.LogicalResourceId === 'Service' &&
            e.ResourceStatus === 'UPDATE_FAILED',
        )
        .map(e => e.ResourceStatusReason);
      // The update's failure, then the rollback's.
      expect(reasons).toHaveLength(2);
      for (const reason of reasons) expect(reason).toMatch(BREAKER_REASON);
      expect(await resource('stuck', 'Service')).toMatchObject({
        ResourceStatus: 'UPDATE_FAILED',
      });
      expect(await taskDefinitionOf('stuck')).toBe('stuck:1');
    });
  });

  it('without the breaker keeps waiting while the tasks crash, and completes once they run', async () => {
    t.sb.addFault({ type: 'crashloop', cluster: CLUSTER, service: 'patient' });
    await cfn().send(
      new CreateStackCommand({
        StackName: 'patient',
        TemplateBody: template({ name: 'patient' }),
      }),
    );
    await initiated('patient');
    // Longer than AWS's three hours: the sandbox does not time out.
    for (let i = 0; i < 16; i++) t.sb.advance(900);
    await stays('patient', 'CREATE_IN_PROGRESS');
    expect((await service('patient')).deployments![0]).toMatchObject({
      rolloutState: 'IN_PROGRESS',
    });
    expect(
      (await service('patient')).deployments![0].failedTasks,
    ).toBeGreaterThan(10);

    t.sb.clearFaults();
    await advanceUntil(
      async () => (await stack('patient')).StackStatus === 'CREATE_COMPLETE',
      1200,
    );
  });
});

describe('with the clock moving while stacks wait (the default)', () => {
  const t = useSandbox();

  it('completes a stack with a service without anyone advancing the clock', async () => {
    const cfn = new CloudFormationClient(t.config);
    await new ECSClient(t.config).send(
      new CreateClusterCommand({ clusterName: CLUSTER }),
    );
    const start = t.sb.clock.now();
    await cfn.send(
      new CreateStackCommand({
        StackName: 'auto',
        TemplateBody: template({ name: 'auto' }),
      }),
    );
    const done = await waitFor(async () => {
      const s = (
        await cfn.send(new DescribeStacksCommand({ StackName: 'auto' }))
      ).Stacks![0];
      return s.StackStatus === 'CREATE_IN_PROGRESS' ? undefined : s;
    });
    expect(done.StackStatus).toBe('CREATE_COMPLETE');
    // Simulated time passed while the service stabilised.
    expect(t.sb.clock.now() - start).toBeGreaterThanOrEqual(40_000);
    const svc = (
      await new ECSClient(t.config).send(
        new DescribeServicesCommand({ cluster: CLUSTER, services: ['auto'] }),
      )
    ).services![0];
    expect(svc).toMatchObject({ runningCount: 2 });
    expect(svc.deployments![0].rolloutState).toBe('COMPLETED');
  });
});
