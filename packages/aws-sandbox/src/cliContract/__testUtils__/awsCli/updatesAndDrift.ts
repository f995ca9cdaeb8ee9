/*
 * Part of the AWS CLI contract: CloudFormation update-stack ("No updates
 * are to be performed." and cancel-update-stack of a finished update
 * included) and drift detection after an out-of-band
 * ECS change. Not a Jest file: ../../awsCli.contract.test.ts registers the
 * parts, in order, on its one sandbox.
 */
/* eslint-disable jest/no-export -- exported to register its tests */
import { AwsCli, CLUSTER, ISO_TIME, STACK } from './context';

/** Registers this part's tests, in order. */
export function updatesAndDriftTests(cli: AwsCli) {
  const { ok, fails, wait } = cli;

  it('CloudFormation update-stack and "No updates are to be performed."; drift after an out-of-band change', async () => {
    await ok(
      'cloudformation',
      'update-stack',
      '--stack-name',
      STACK,
      '--use-previous-template',
      '--parameters',
      'ParameterKey=Version,UsePreviousValue=true',
      'ParameterKey=DesiredCount,ParameterValue=2',
    );
    expect(
      await wait(
        'cloudformation',
        'wait',
        'stack-update-complete',
        '--stack-name',
        STACK,
      ),
    ).toEqual({ code: 0, stdout: '', stderr: '' });
    const counts = await ok(
      'ecs',
      'describe-services',
      '--cluster',
      CLUSTER,
      '--services',
      'web',
      '--query',
      'services[0].[desiredCount, runningCount]',
    );
    expect(counts).toEqual([2, 2]);
    const [none, notUpdating] = await Promise.all([
      fails(
        'ValidationError',
        'cloudformation',
        'update-stack',
        '--stack-name',
        STACK,
        '--use-previous-template',
        '--parameters',
        'ParameterKey=Version,UsePreviousValue=true',
        'ParameterKey=DesiredCount,UsePreviousValue=true',
      ),
      // The update is over: there is nothing to cancel.
      fails(
        'ValidationError',
        'cloudformation',
        'cancel-update-stack',
        '--stack-name',
        STACK,
      ),
      // Someone changes the service outside CloudFormation.
      ok(
        'ecs',
        'update-service',
        '--cluster',
        CLUSTER,
        '--service',
        'web',
        '--desired-count',
        '3',
      ),
    ]);
    expect(none.message).toBe('No updates are to be performed.');
    expect(notUpdating.message).toBe(
      'CancelUpdateStack cannot be called from current stack status',
    );

    const { StackDriftDetectionId: id } = await ok(
      'cloudformation',
      'detect-stack-drift',
      '--stack-name',
      STACK,
    );
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    let status: any;
    for (let i = 0; i < 10; i++) {
      status = await ok(
        'cloudformation',
        'describe-stack-drift-detection-status',
        '--stack-drift-detection-id',
        id,
      );
      if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') break;
    }
    expect(status).toMatchObject({
      StackId: cli.stackId,
      StackDriftDetectionId: id,
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'DRIFTED',
      DriftedStackResourceCount: 1,
      Timestamp: expect.stringMatching(ISO_TIME),
    });
    const drifts = await ok(
      'cloudformation',
      'describe-stack-resource-drifts',
      '--stack-name',
      STACK,
      '--stack-resource-drift-status-filters',
      'MODIFIED',
    );
    expect(drifts.StackResourceDrifts).toEqual([
      expect.objectContaining({
        StackId: cli.stackId,
        LogicalResourceId: 'Service',
        ResourceType: 'AWS::ECS::Service',
        StackResourceDriftStatus: 'MODIFIED',
        PropertyDifferences: [
          {
            PropertyPath: '/DesiredCount',
            ExpectedValue: '2',
            ActualValue: '3',
            DifferenceType: 'NOT_EQUAL',
          },
        ],
        Timestamp: expect.stringMatching(ISO_TIME),
      }),
    ]);
  });
}
