/*
 * CloudFormation drift detection: each checked resource's properties as the
 * engine last applied them (intrinsics resolved) against the live object in
 * the simulated service. A stack detection reads every resource when it
 * starts and shows its results once it completes, one simulated second per
 * resource checked later, so DescribeStackDriftDetectionStatus sees
 * DETECTION_IN_PROGRESS first, on the manual clock too. A fault on the read
 * call (say a throttle on ecs DescribeServices) makes that resource UNKNOWN
 * and the detection DETECTION_FAILED, as when CloudFormation cannot read a
 * resource.
 */
import { injectedError } from '../faults';
import type { ModelContext } from '../services/types';
import type {
  Stack,
  StackDriftDetection,
  StackDriftState,
  StackResource,
  StackResourceDriftResult,
} from '../stateCloudFormation';
import {
  canonicalJson,
  coerce,
  propertyDifferences,
  restrict,
} from './driftDiff';
import { driftReaders } from './driftReaders';

/** The stack statuses the User Guide lists as allowing drift detection. */
export const DRIFT_DETECTABLE_STATUSES = [
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_ROLLBACK_FAILED',
];

const MS_PER_RESOURCE = 1000;
/** Older detections are forgotten, as CloudFormation keeps only some. */
const KEPT_DETECTIONS = 10;

export const driftSupported = (type: string) => type in driftReaders;

function driftState(stack: Stack): StackDriftState {
  if (!stack.drift) stack.drift = { detections: [], resourceChecks: {} };
  return stack.drift;
}

/** Checks one resource of a supported type now. */
export function checkResource(
  r: StackResource,
  ctx: ModelContext,
): StackResourceDriftResult {
  const reader = driftReaders[r.ResourceType];
  const base = {
    LogicalResourceId: r.LogicalResourceId,
    PhysicalResourceId: r.PhysicalResourceId,
    ResourceType: r.ResourceType,
    PropertyDifferences: [],
    Timestamp: ctx.now,
  };
  const failure = injectedError(
    ctx.sandbox.state.faults,
    reader.service,
    reader.operation,
    () => ctx.sandbox.random.next(),
    false,
  );
  if (failure) {
    return {
      ...base,
      StackResourceDriftStatus: 'UNKNOWN',
      DriftStatusReason: `Failed to read ${r.ResourceType} ${r.PhysicalResourceId}: ${failure.message}`,
    };
  }
  const live = reader.read(r, ctx);
  if (!live) return { ...base, StackResourceDriftStatus: 'DELETED' };
  const template = reader.expected
    ? reader.expected(r.properties)
    : r.properties;
  const actual: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(template)) {
    actual[k] = k in live ? restrict(live[k], v) : v;
  }
  const expected = coerce(template, actual) as Record<string, unknown>;
  const differences = propertyDifferences(expected, actual);
  return {
    ...base,
    ExpectedProperties: canonicalJson(expected),
    ActualProperties: canonicalJson(actual),
    PropertyDifferences: differences,
    StackResourceDriftStatus: differences.length ? 'MODIFIED' : 'IN_SYNC',
  };
}

/** Starts a stack detection over the supported resources (or those named). */
export function startDetection(
  stack: Stack,
  logicalIds: string[],
  ctx: ModelContext,
): StackDriftDetection {
  const checked = Object.values(stack.resources).filter(
    r =>
      driftSupported(r.ResourceType) &&
      (!logicalIds.length || logicalIds.includes(r.LogicalResourceId)),
  );
  const detection: StackDriftDetection = {
    StackDriftDetectionId: ctx.sandbox.random.uuid(),
    Timestamp: ctx.now,
    completesAt: ctx.now + MS_PER_RESOURCE * Math.max(1, checked.length),
    results: checked.map(r => checkResource(r, ctx)),
  };
  const state = driftState(stack);
  state.detections.push(detection);
  state.detections.splice(0, state.detections.length - KEPT_DETECTIONS);
  return detection;
}

/** Records a DetectStackResourceDrift result, which counts at once. */
export function recordResourceCheck(
  stack: Stack,
  result: StackResourceDriftResult,
) {
  driftState(stack).resourceChecks[result.LogicalResourceId] = result;
}

export function findDetection(
  stacks: Stack[],
  id: string,
): { stack: Stack; detection: StackDriftDetection } | undefined {
  for (const stack of stacks) {
    const detection = stack.drift?.detections.find(
      d => d.StackDriftDetectionId === id,
    );
    if (detection) return { stack, detection };
  }
  return undefined;
}

const drifted = (r: StackResourceDriftResult) =>
  r.StackResourceDriftStatus === 'MODIFIED' ||
  r.StackResourceDriftStatus === 'DELETED';

/** A completed detection's verdict on the stack. */
function stackDriftStatus(d: StackDriftDetection): string {
  if (d.results.some(drifted)) return 'DRIFTED';
  return d.results.some(r => r.StackResourceDriftStatus === 'UNKNOWN')
    ? 'UNKNOWN'
    : 'IN_SYNC';
}

/** What DescribeStackDriftDetectionStatus says of a detection at `now`. */
export function detectionStatus(
  stack: Stack,
  d: StackDriftDetection,
  now: number,
) {
  const common = {
    StackId: stack.StackId,
    StackDriftDetectionId: d.StackDriftDetectionId,
    Timestamp: new Date(d.Timestamp),
  };
  if (now < d.completesAt) {
    return {
      ...common,
      DetectionStatus: 'DETECTION_IN_PROGRESS',
      DetectionStatusReason: 'User Initiated',
    };
  }
  const failed = d.results.filter(
    r => r.StackResourceDriftStatus === 'UNKNOWN',
  );
  return {
    ...common,
    StackDriftStatus: stackDriftStatus(d),
    DetectionStatus: failed.length ? 'DETECTION_FAILED' : 'DETECTION_COMPLETE',
    DetectionStatusReason: failed.length
      ? `Failed to detect drift on resources [${failed
          .map(r => r.LogicalResourceId)
          .join(', ')}]: ${failed[0].DriftStatusReason}`
      : undefined,
    DriftedStackResourceCount: d.results.filter(drifted).length,
  };
}

function completed(stack: Stack, now: number): StackDriftDetection[] {
  return (stack.drift?.detections ?? []).filter(d => now >= d.completesAt);
}

/**
 * The latest visible result per resource still in the stack, in the
 * stack's resource order: from completed detections and single checks.
 */
export function currentResults(
  stack: Stack,
  now: number,
): StackResourceDriftResult[] {
  const latest = new Map<string, StackResourceDriftResult>();
  const consider = (r: StackResourceDriftResult) => {
    const seen = latest.get(r.LogicalResourceId);
    if (!seen || r.Timestamp >= seen.Timestamp)
      latest.set(r.LogicalResourceId, r);
  };
  for (const d of completed(stack, now)) d.results.forEach(consider);
  Object.values(stack.drift?.resourceChecks ?? {}).forEach(consider);
  return Object.values(stack.resources)
    .map(r => latest.get(r.LogicalResourceId))
    .filter((r): r is StackResourceDriftResult => !!r);
}

/** DescribeStacks' and ListStacks' DriftInformation. */
export function stackDriftInformation(stack: Stack, now: number) {
  const done = completed(stack, now);
  const last = done[done.length - 1];
  const checks = Object.values(stack.drift?.resourceChecks ?? {});
  const times = [
    ...(last ? [last.Timestamp] : []),
    ...checks.map(c => c.Timestamp),
  ];
  return {
    StackDriftStatus: last ? stackDriftStatus(last) : 'NOT_CHECKED',
    LastCheckTimestamp: times.length ? new Date(Math.max(...times)) : undefined,
  };
}

/** A resource's DriftInformation in DescribeStackResource(s) and ListStackResources. */
export function resourceDriftInformation(
  stack: Stack,
  logicalId: string,
  now: number,
) {
  const result = currentResults(stack, now).find(
    r => r.LogicalResourceId === logicalId,
  );
  return result
    ? {
        StackResourceDriftStatus: result.StackResourceDriftStatus,
        LastCheckTimestamp: new Date(result.Timestamp),
      }
    : { StackResourceDriftStatus: 'NOT_CHECKED' };
}
