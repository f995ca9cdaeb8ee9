/*
 * Part of the AWS CLI contract: a create that fails and rolls back (waiter
 * exit 255), then delete-stack of both stacks and what the deletes leave
 * behind. Not a Jest file: ../../awsCli.contract.test.ts registers the
 * parts, in order, on its one sandbox.
 */
/* eslint-disable jest/no-export -- exported to register its tests */
import { AwsCli, BROKEN, CLUSTER, STACK, TEMPLATE } from './context';

/** Registers this part's tests, in order. */
export function failuresAndDeleteTests(cli: AwsCli) {
  const { ok, fails, wait } = cli;

  it('a failing create rolls back and wait stack-create-complete exits 255; delete-stack and wait stack-delete-complete', async () => {
    cli.sb.addFault({
      type: 'resourceFailure',
      stackName: BROKEN,
      logicalIdPrefix: 'Service',
      resourceType: 'AWS::ECS::Service',
      message: 'Resource handler returned message: "Invalid request"',
    });
    await ok(
      'cloudformation',
      'create-stack',
      '--stack-name',
      BROKEN,
      '--template-body',
      TEMPLATE,
    );
    const [rolledBack] = await Promise.all([
      wait(
        'cloudformation',
        'wait',
        'stack-create-complete',
        '--stack-name',
        BROKEN,
      ),
      ok('cloudformation', 'delete-stack', '--stack-name', STACK),
    ]);
    expect(rolledBack.code).toBe(255);
    expect(rolledBack.stderr).toBe(
      'Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: For expression "Stacks[].StackStatus" we matched expected path: "ROLLBACK_COMPLETE" at least once',
    );
    const [events] = await Promise.all([
      ok('cloudformation', 'describe-stack-events', '--stack-name', BROKEN),
      wait(
        'cloudformation',
        'wait',
        'stack-delete-complete',
        '--stack-name',
        STACK,
      ).then(r => expect(r).toEqual({ code: 0, stdout: '', stderr: '' })),
    ]);
    expect(
      events.StackEvents.find((e: any) => e.ResourceStatus === 'CREATE_FAILED'),
    ).toMatchObject({
      LogicalResourceId: 'Service',
      ResourceStatusReason:
        'Resource handler returned message: "Invalid request"',
    });

    const [missing, cluster, logGroups] = await Promise.all([
      fails(
        'ValidationError',
        'cloudformation',
        'describe-stacks',
        '--stack-name',
        STACK,
      ),
      ok(
        'ecs',
        'describe-clusters',
        '--clusters',
        CLUSTER,
        '--query',
        'clusters[0].status',
      ),
      ok(
        'logs',
        'describe-log-groups',
        '--log-group-name-prefix',
        `/ecs/${STACK}`,
        '--query',
        'logGroups',
      ),
      ok('cloudformation', 'delete-stack', '--stack-name', BROKEN),
    ]);
    expect(missing.message).toBe(`Stack with id ${STACK} does not exist`);
    // Its live objects went with it: a deleted cluster stays INACTIVE.
    expect(cluster).toBe('INACTIVE');
    expect(logGroups).toEqual([]);
    expect(
      await wait(
        'cloudformation',
        'wait',
        'stack-delete-complete',
        '--stack-name',
        BROKEN,
      ),
    ).toEqual({ code: 0, stdout: '', stderr: '' });
  });
}
