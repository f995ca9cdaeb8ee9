/*
 * Fault injection: throttling, latency and errors at the protocol layer, crash
 * loops in the ECS simulator and resource failures in CloudFormation. Faults
 * live in the state so they survive restarts and show up in GET /_sandbox/faults.
 */
import { AwsError } from './protocol/errors';
import type { Fault } from './state';

export type FaultInput = Omit<Fault, 'id' | 'createdAt'>;

const TYPES = new Set([
  'throttle',
  'latency',
  'error',
  'crashloop',
  'resourceFailure',
]);

/** Validates an admin request body into a fault (without id). */
export function parseFault(body: any): FaultInput {
  if (!body || typeof body !== 'object') {
    throw new Error('Fault must be a JSON object');
  }
  const type = body.type;
  if (!TYPES.has(type)) {
    throw new Error(
      `Unknown fault type ${JSON.stringify(type)}; expected one of ${[
        ...TYPES,
      ].join(', ')}`,
    );
  }
  const str = (k: string) => {
    const v = body[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new Error(`${k} must be a string`);
    return v;
  };
  const num = (k: string) => {
    const v = body[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`${k} must be a non-negative number`);
    }
    return v;
  };
  const fault: FaultInput = {
    type,
    service: str('service'),
    operation: str('operation'),
    rate: num('rate'),
    ms: num('ms'),
    status: num('status'),
    code: str('code'),
    message: str('message'),
    cluster: str('cluster'),
    taskDefinition: str('taskDefinition'),
    logicalIdPrefix: str('logicalIdPrefix'),
    resourceType: str('resourceType'),
    stackName: str('stackName'),
  };
  if (fault.rate !== undefined && fault.rate > 1) {
    throw new Error('rate must be between 0 and 1');
  }
  if (
    (type === 'throttle' || type === 'error' || type === 'latency') &&
    !fault.service
  ) {
    fault.service = '*';
  }
  if (type === 'latency' && fault.ms === undefined) {
    throw new Error('latency faults need ms');
  }
  if (type === 'crashloop' && !fault.service) {
    throw new Error('crashloop faults need service (the ECS service name)');
  }
  if (type === 'error' && fault.status !== undefined) {
    if (fault.status < 400 || fault.status > 599) {
      throw new Error('status must be 4xx or 5xx');
    }
  }
  for (const k of Object.keys(fault) as (keyof FaultInput)[]) {
    if (fault[k] === undefined) delete fault[k];
  }
  return fault;
}

function matches(fault: Fault, service: string, operation: string): boolean {
  if (fault.service && fault.service !== '*' && fault.service !== service) {
    return false;
  }
  if (
    fault.operation &&
    fault.operation !== '*' &&
    fault.operation !== operation
  ) {
    return false;
  }
  return true;
}

/** Extra latency for a request (sum of matching latency faults). */
export function latencyFor(
  faults: Fault[],
  service: string,
  operation: string,
): number {
  return faults
    .filter(f => f.type === 'latency' && matches(f, service, operation))
    .reduce((sum, f) => sum + (f.ms ?? 0), 0);
}

/** The error a throttle or error fault makes this request fail with, if any. */
export function injectedError(
  faults: Fault[],
  service: string,
  operation: string,
  roll: () => number,
  query: boolean,
): AwsError | undefined {
  for (const f of faults) {
    if (f.type !== 'throttle' && f.type !== 'error') continue;
    if (!matches(f, service, operation)) continue;
    if (roll() >= (f.rate ?? 1)) continue;
    if (f.type === 'throttle') {
      return query
        ? new AwsError('Throttling', 'Rate exceeded', 400)
        : new AwsError(
            'ThrottlingException',
            'Rate exceeded',
            400,
            'Sender',
            'Throttling',
          );
    }
    const status = f.status ?? 500;
    const defaults = query
      ? { server: 'InternalFailure', client: 'ValidationError' }
      : { server: 'InternalServerError', client: 'ValidationException' };
    const code = f.code ?? (status >= 500 ? defaults.server : defaults.client);
    return new AwsError(
      code,
      f.message ?? 'Injected fault from the AWS sandbox',
      status,
    );
  }
  return undefined;
}
