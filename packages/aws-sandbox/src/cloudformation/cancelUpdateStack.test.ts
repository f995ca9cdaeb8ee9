/*
 * Contract tests, through the AWS SDK: CancelUpdateStack stops an update
 * that waits for an ECS service which cannot stabilise (no circuit breaker,
 * tasks crashing), and the stack rolls back to the previous task definition.
 * The clock only moves when these tests advance it (stackWaitClockStepMs 0).
 */
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateClusterCommand,
  DescribeServicesCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { useSandbox, waitFor } from '../__testUtils__/sandbox';
import { ecsServiceTemplate } from '../__testUtils__/ecsServiceTemplate';

const CLUSTER = 'cancel-cluster';
const NOT_NOW = 'CancelUpdateStack cannot be called from current stack status';

describe('CancelUpdateStack', () => {
  const t = useSandbox({ stackWaitClockStepMs: 0 });
  const cfn = () => new CloudFormationClient(t.config);
  const ecs = () => new ECSClient(t.config);

  beforeAll(async () => {
    await ecs().send(new CreateClusterCommand({ clusterName: CLUSTER }));
  });

  afterEach(() => t.sb.clearFaults());

  const status = async (name: string) =>
    (await cfn().send(new DescribeStacksCommand({ StackName: name })))
      .Stacks![0].StackStatus;

  const untilStatus = (name: string, wanted: string) =>
    waitFor(async () => (await status(name)) === wanted);

  /** Oldest first. */
  const events = async (name: string) =>
    (
      await cfn().send(new DescribeStackEventsCommand({ StackName: name }))
    ).StackEvents!.reverse();

  const taskDefinitionOf = async (name: string) =>
    (
      await ecs().send(
        new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }),
      )
    )
      .services![0].taskDefinition!.split('/')
      .pop();

  const cancel = (name: string) =>
    cfn().send(new CancelUpdateStackCommand({ StackName: name }));

  const update = (name: string, image: string) =>
    cfn().send(
      new UpdateStackCommand({
        StackName: name,
        TemplateBody: ecsServiceTemplate({ cluster: CLUSTER, name, image }),
      }),
    );

  /** Moves the clock 5 s at a time until the stack has `wanted` (at most 5 min). */
  async function advanceUntil(name: string, wanted: string) {
    for (let i = 0; i < 60 && (await status(name)) !== wanted; i++) {
      t.sb.advance(5);
      await new Promise(r => setTimeout(r, 10));
    }
    expect(await status(name)).toBe(wanted);
  }

  async function createStable(name: string) {
    await cfn().send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: ecsServiceTemplate({ cluster: CLUSTER, name }),
      }),
    );
    await waitFor(async () =>
      (
        await events(name)
      ).some(
        e =>
          e.LogicalResourceId === 'Service' &&
          e.ResourceStatusReason === 'Resource creation Initiated',
      ),
    );
    t.sb.advance(60);
    await untilStatus(name, 'CREATE_COMPLETE');
  }

  it('stops an update waiting for a crashing service; the stack rolls back to the previous task definition', async () => {
    await createStable('stuck');
    t.sb.addFault({
      type: 'crashloop',
      cluster: CLUSTER,
      service: 'stuck',
      taskDefinition: 'stuck:2',
    });
    await update('stuck', 'app:2');
    await waitFor(async () =>
      (
        await events('stuck')
      ).some(
        e =>
          e.LogicalResourceId === 'Service' &&
          e.ResourceStatus === 'UPDATE_IN_PROGRESS',
      ),
    );
    // Without a circuit breaker the update would wait for hours.
    for (let i = 0; i < 4; i++) t.sb.advance(900);
    expect(await status('stuck')).toBe('UPDATE_IN_PROGRESS');
    expect(await taskDefinitionOf('stuck')).toBe('stuck:2');

    await cancel('stuck');
    // A retry while the update stops is accepted, as AWS takes a retried
    // request (ClientRequestToken) again.
    const retry = await cancel('stuck').then(
      () => 'accepted',
      e => `${e.name}: ${e.message}`,
    );
    // ...unless the rollback has already begun.
    expect(['accepted', `ValidationError: ${NOT_NOW}`]).toContain(retry);
    await waitFor(async () => (await status('stuck')) !== 'UPDATE_IN_PROGRESS');
    // The previous task definition runs: the crash loop is only stuck:2's.
    await advanceUntil('stuck', 'UPDATE_ROLLBACK_COMPLETE');
    expect(await taskDefinitionOf('stuck')).toBe('stuck:1');

    const lines = (await events('stuck')).map(e =>
      [
        e.LogicalResourceId,
        e.ResourceStatus,
        e.ResourceStatusReason ?? '',
      ].join(' '),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        'Service UPDATE_FAILED Resource update cancelled',
        'stuck UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Service]. ',
        'stuck UPDATE_ROLLBACK_COMPLETE ',
      ]),
    );
    // The cancellation is spent: the next update runs to completion.
    await update('stuck', 'app:3');
    await advanceUntil('stuck', 'UPDATE_COMPLETE');
  });

  it('refuses a stack that is not updating, with AWS’s message', async () => {
    await createStable('settled');
    await expect(cancel('settled')).rejects.toMatchObject({
      name: 'ValidationError',
      message: NOT_NOW,
    });
    await expect(cancel('no-such-stack')).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id no-such-stack does not exist',
    });
  });
});
