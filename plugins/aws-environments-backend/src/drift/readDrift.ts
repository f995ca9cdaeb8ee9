import {
  CloudFormationClient,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackDriftDetectionStatusCommandOutput,
  DetectStackDriftCommand,
  PropertyDifference,
  StackResourceDrift,
  paginateDescribeStackResourceDrifts,
} from '@aws-sdk/client-cloudformation';
import {
  DriftPropertyDifference,
  DriftedResource,
  sleep as defaultSleep,
} from '@envplane/plugin-aws-environments-common';
import { toEnvironmentError } from '../aws/toEnvironmentError';

/** What one detection found; the store adds the key and the times. */
export interface DriftReading {
  status: 'in_sync' | 'drifted' | 'failed';
  driftedResourceCount: number;
  resources: DriftedResource[];
  error?: string;
}

export interface DriftReadOptions {
  /** How long to wait for CloudFormation to finish the detection. */
  maxWaitMs: number;
  /** The first wait between status polls; it doubles up to `maxPollMs`. */
  pollMs: number;
  maxPollMs: number;
  /** Waits between polls; tests against the sandbox move its clock here. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const DEFAULT_DRIFT_READ_OPTIONS: DriftReadOptions = {
  // AWS documents detection as taking "a few minutes" for large stacks;
  // an environment's stack has a few dozen resources.
  maxWaitMs: 10 * 60_000,
  pollMs: 2_000,
  maxPollMs: 15_000,
};

/** The properties whose values are never copied: they may be secrets. */
function isSecretProperty(resourceType: string, path: string): boolean {
  // A String parameter can be overwritten out of band as a SecureString
  // with the same name; DescribeStackResourceDrifts would then print the
  // secret as the actual value. Whatever the type, the value is withheld.
  return (
    resourceType === 'AWS::SSM::Parameter' &&
    (path === '/Value' || path.startsWith('/Value/'))
  );
}

/**
 * Copies a difference field by field. The SDK's ExpectedProperties and
 * ActualProperties of the resource (the whole object as JSON) are never
 * read: they would carry a parameter's value whatever the difference.
 */
function difference(
  resourceType: string,
  d: PropertyDifference,
): DriftPropertyDifference {
  const path = d.PropertyPath ?? '';
  const differenceType = d.DifferenceType ?? 'NOT_EQUAL';
  if (isSecretProperty(resourceType, path)) {
    return { path, differenceType, redacted: true };
  }
  return {
    path,
    expected: d.ExpectedValue,
    actual: d.ActualValue,
    differenceType,
  };
}

function resource(drift: StackResourceDrift): DriftedResource {
  const resourceType = drift.ResourceType ?? 'unknown';
  return {
    logicalId: drift.LogicalResourceId ?? '',
    physicalId: drift.PhysicalResourceId,
    resourceType,
    status:
      drift.StackResourceDriftStatus === 'DELETED' ? 'DELETED' : 'MODIFIED',
    differences: (drift.PropertyDifferences ?? []).map(d =>
      difference(resourceType, d),
    ),
  };
}

async function waitForDetection(
  cloudformation: CloudFormationClient,
  detectionId: string,
  options: DriftReadOptions,
): Promise<DescribeStackDriftDetectionStatusCommandOutput | undefined> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? defaultSleep;
  const deadline = now() + options.maxWaitMs;
  let pause = options.pollMs;
  for (;;) {
    const status = await cloudformation.send(
      new DescribeStackDriftDetectionStatusCommand({
        StackDriftDetectionId: detectionId,
      }),
    );
    if (status.DetectionStatus !== 'DETECTION_IN_PROGRESS') {
      return status;
    }
    if (now() >= deadline) {
      return undefined;
    }
    await wait(Math.min(pause, Math.max(0, deadline - now())));
    pause = Math.min(pause * 2, options.maxPollMs);
  }
}

/**
 * Detects drift of one stack: starts DetectStackDrift, polls its status
 * within `maxWaitMs`, then pages the MODIFIED and DELETED resources. Never
 * throws: a failure is a `failed` reading whose error names the stack and
 * what AWS said.
 */
export async function readDrift(
  cloudformation: CloudFormationClient,
  stackName: string,
  options: DriftReadOptions = DEFAULT_DRIFT_READ_OPTIONS,
): Promise<DriftReading> {
  const failed = (error: string): DriftReading => ({
    status: 'failed',
    driftedResourceCount: 0,
    resources: [],
    error,
  });
  try {
    const { StackDriftDetectionId: detectionId } = await cloudformation.send(
      new DetectStackDriftCommand({ StackName: stackName }),
    );
    if (!detectionId) {
      return failed(
        `Drift detection of stack ${stackName}: CloudFormation returned no detection id`,
      );
    }
    const status = await waitForDetection(cloudformation, detectionId, options);
    if (!status) {
      return failed(
        `Drift detection of stack ${stackName} did not finish within ${Math.round(
          options.maxWaitMs / 1000,
        )} s (detection ${detectionId}); it may still finish in CloudFormation, and the next check will read it again`,
      );
    }
    // DETECTION_FAILED means some resources could not be checked; what
    // was checked still counts, and a drift found among it is real.
    const incomplete =
      status.DetectionStatus === 'DETECTION_FAILED'
        ? `Drift detection of stack ${stackName} could not check every resource: ${
            status.DetectionStatusReason ?? 'no reason given'
          }`
        : undefined;
    if (status.StackDriftStatus !== 'DRIFTED') {
      if (incomplete) {
        return failed(incomplete);
      }
      return { status: 'in_sync', driftedResourceCount: 0, resources: [] };
    }
    const resources: DriftedResource[] = [];
    for await (const page of paginateDescribeStackResourceDrifts(
      { client: cloudformation, pageSize: 100 },
      {
        StackName: stackName,
        StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
      },
    )) {
      resources.push(...(page.StackResourceDrifts ?? []).map(resource));
    }
    resources.sort((a, b) => a.logicalId.localeCompare(b.logicalId));
    return {
      status: 'drifted',
      driftedResourceCount: resources.length,
      resources,
      error: incomplete,
    };
  } catch (error) {
    return failed(
      toEnvironmentError(error, 'ecs', `Drift detection of stack ${stackName}`)
        .message,
    );
  }
}
