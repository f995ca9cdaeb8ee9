/*
 * Drift detection's failures through the real SDK: a detection whose read
 * of a resource fails (a throttle fault on the call CloudFormation makes),
 * and the errors CloudFormation answers with.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  DetectStackResourceDriftCommand,
} from '@aws-sdk/client-cloudformation';
import { useSandbox } from '../__testUtils__/sandbox';
import {
  createDriftStack,
  detect,
  drifts,
  driftTemplate,
} from '../__testUtils__/driftStack';

describe('CloudFormation drift detection failures', () => {
  const t = useSandbox();
  const cfn = () => new CloudFormationClient(t.config);

  beforeAll(async () => {
    await createDriftStack(t);
  });

  it('fails a detection whose read of a resource fails', async () => {
    t.sb.addFault({
      type: 'throttle',
      service: 'ecs',
      operation: 'DescribeServices',
    });
    try {
      const status = await detect(t, ['Service', 'Cluster']);
      expect(status).toMatchObject({
        DetectionStatus: 'DETECTION_FAILED',
        StackDriftStatus: 'UNKNOWN',
        DriftedStackResourceCount: 0,
        DetectionStatusReason: expect.stringContaining(
          'Failed to detect drift on resources [Service]',
        ),
      });
      const service = (await drifts(t)).Service;
      expect(service.StackResourceDriftStatus).toBe('UNKNOWN');
      expect(service.DriftStatusReason).toContain('Rate exceeded');
    } finally {
      t.sb.clearFaults();
    }
  });

  it('answers with AWS errors', async () => {
    const validation = (message: string) => ({
      name: 'ValidationError',
      message,
    });
    await expect(
      cfn().send(new DetectStackDriftCommand({ StackName: 'nope' })),
    ).rejects.toMatchObject(validation('Stack with id nope does not exist'));
    await expect(
      cfn().send(new DescribeStackResourceDriftsCommand({ StackName: 'nope' })),
    ).rejects.toMatchObject(validation('Stack with id nope does not exist'));
    await expect(
      cfn().send(
        new DetectStackResourceDriftCommand({
          StackName: 'nope',
          LogicalResourceId: 'Service',
        }),
      ),
    ).rejects.toMatchObject(validation('Stack with id nope does not exist'));
    await expect(
      cfn().send(
        new DetectStackResourceDriftCommand({
          StackName: 'drift',
          LogicalResourceId: 'Nope',
        }),
      ),
    ).rejects.toMatchObject(
      validation('Resource Nope does not exist for stack drift'),
    );
    await expect(
      cfn().send(
        new DetectStackResourceDriftCommand({
          StackName: 'drift',
          LogicalResourceId: 'Handle',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      cfn().send(
        new DescribeStackDriftDetectionStatusCommand({
          StackDriftDetectionId: '00000000-0000-0000-0000-000000000000',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });

    // A stack that only has a change set is in REVIEW_IN_PROGRESS.
    await cfn().send(
      new CreateChangeSetCommand({
        StackName: 'drift-review',
        ChangeSetName: 'first',
        ChangeSetType: 'CREATE',
        TemplateBody: driftTemplate,
      }),
    );
    await expect(
      cfn().send(new DetectStackDriftCommand({ StackName: 'drift-review' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('REVIEW_IN_PROGRESS'),
    });
  });
});
