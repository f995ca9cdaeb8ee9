/*
 * Part of the AWS CLI contract: CloudFormation change sets on the stack:
 * create, wait, describe, execute; an unknown one deleted, an empty one
 * FAILED. Not a Jest file: ../../awsCli.contract.test.ts registers the
 * parts, in order, on its one sandbox.
 */
/* eslint-disable jest/no-export -- exported to register its tests */
import { AwsCli, CLUSTER, ISO_TIME, STACK } from './context';

/** Registers this part's tests, in order. */
export function changeSetsTests(cli: AwsCli) {
  const { ok, fails, wait } = cli;

  it('CloudFormation change sets: create, wait, describe, execute, wait stack-update-complete; an unknown one deletes, an empty one fails', async () => {
    const created = await ok(
      'cloudformation',
      'create-change-set',
      '--stack-name',
      STACK,
      '--change-set-name',
      'v2',
      '--use-previous-template',
      '--parameters',
      'ParameterKey=Version,ParameterValue=2',
      'ParameterKey=DesiredCount,UsePreviousValue=true',
    );
    expect(created).toEqual({
      Id: expect.stringMatching(
        /^arn:aws:cloudformation:us-east-1:000000000000:changeSet\/v2\/[0-9a-f-]{36}$/,
      ),
      StackId: cli.stackId,
    });
    const [ready, deletedUnknown] = await Promise.all([
      wait(
        'cloudformation',
        'wait',
        'change-set-create-complete',
        '--stack-name',
        STACK,
        '--change-set-name',
        'v2',
      ),
      // Deleting a change set the stack does not have succeeds, as on AWS
      // (the CDK CLI clears its change set's name this way).
      ok(
        'cloudformation',
        'delete-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'never-created',
      ),
    ]);
    expect(ready).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(deletedUnknown).toBeNull();

    const [cs, unknown] = await Promise.all([
      ok(
        'cloudformation',
        'describe-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'v2',
      ),
      fails(
        'ChangeSetNotFound',
        'cloudformation',
        'describe-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'never-created',
      ),
    ]);
    expect(unknown.message).toBe('ChangeSet [never-created] does not exist');
    expect(cs).toMatchObject({
      ChangeSetName: 'v2',
      ChangeSetId: created.Id,
      StackId: cli.stackId,
      StackName: STACK,
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
      CreationTime: expect.stringMatching(ISO_TIME),
    });
    const changes = Object.fromEntries(
      cs.Changes.map((c: any) => {
        expect(c.Type).toBe('Resource');
        return [c.ResourceChange.LogicalResourceId, c.ResourceChange];
      }),
    );
    expect(Object.keys(changes).sort()).toEqual([
      'Service',
      'TaskDefinition',
      'VersionParameter',
    ]);
    expect(changes.TaskDefinition).toMatchObject({
      Action: 'Modify',
      ResourceType: 'AWS::ECS::TaskDefinition',
      Replacement: 'True',
      Scope: ['Properties'],
    });
    // The service changes because what it refers to is replaced.
    expect(changes.Service).toMatchObject({
      Action: 'Modify',
      Replacement: 'False',
      Details: expect.arrayContaining([
        expect.objectContaining({
          Target: expect.objectContaining({
            Attribute: 'Properties',
            Name: 'TaskDefinition',
            RequiresRecreation: 'Never',
          }),
          ChangeSource: 'ResourceReference',
          CausingEntity: 'TaskDefinition',
        }),
      ]),
    });
    expect(changes.VersionParameter).toMatchObject({
      Action: 'Modify',
      Details: expect.arrayContaining([
        expect.objectContaining({
          ChangeSource: 'ParameterReference',
          CausingEntity: 'Version',
        }),
      ]),
    });

    expect(
      await ok(
        'cloudformation',
        'execute-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'v2',
      ),
    ).toBeNull();
    expect(
      await wait(
        'cloudformation',
        'wait',
        'stack-update-complete',
        '--stack-name',
        STACK,
      ),
    ).toEqual({ code: 0, stdout: '', stderr: '' });
    const [stacks, services] = await Promise.all([
      ok('cloudformation', 'describe-stacks', '--stack-name', STACK),
      ok(
        'ecs',
        'describe-services',
        '--cluster',
        CLUSTER,
        '--services',
        'web',
        '--query',
        'services[0].[taskDefinition, runningCount, deployments[0].rolloutState]',
      ),
      // The same parameters again: nothing to change.
      ok(
        'cloudformation',
        'create-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'same',
        '--use-previous-template',
        '--parameters',
        'ParameterKey=Version,ParameterValue=2',
        'ParameterKey=DesiredCount,UsePreviousValue=true',
      ),
    ]);
    expect(stacks.Stacks[0]).toMatchObject({
      StackStatus: 'UPDATE_COMPLETE',
      LastUpdatedTime: expect.stringMatching(ISO_TIME),
    });
    expect(stacks.Stacks[0].Parameters).toContainEqual({
      ParameterKey: 'Version',
      ParameterValue: '2',
    });
    expect(services).toEqual([
      `arn:aws:ecs:us-east-1:000000000000:task-definition/${STACK}-web:2`,
      1,
      'COMPLETED',
    ]);

    const empty = await wait(
      'cloudformation',
      'wait',
      'change-set-create-complete',
      '--stack-name',
      STACK,
      '--change-set-name',
      'same',
    );
    expect(empty.code).toBe(255);
    expect(empty.stderr).toBe(
      'Waiter ChangeSetCreateComplete failed: Waiter encountered a terminal failure state: For expression "Status" we matched expected path: "FAILED"',
    );
    const failed = await ok(
      'cloudformation',
      'describe-change-set',
      '--stack-name',
      STACK,
      '--change-set-name',
      'same',
      '--query',
      '[Status, ExecutionStatus, StatusReason]',
    );
    expect(failed).toEqual([
      'FAILED',
      'UNAVAILABLE',
      "The submitted information didn't contain changes. Submit different information to create a change set.",
    ]);
    expect(
      await ok(
        'cloudformation',
        'delete-change-set',
        '--stack-name',
        STACK,
        '--change-set-name',
        'same',
      ),
    ).toBeNull();
  });
}
