/*
 * The contract between the protocol layer and a simulated service: a table of
 * operation handlers that take the decoded input and return the output shape
 * (Dates for timestamps; the protocol layer encodes them).
 */
import type { Sandbox } from '../sandbox';
import type { RegionState } from '../state';

export interface Caller {
  accessKeyId: string;
  account: string;
  arn: string;
  userId: string;
}

export interface RequestContext {
  sandbox: Sandbox;
  region: string;
  regionState: RegionState;
  caller: Caller;
  requestId: string;
  now: number;
}

export type Handler = (input: any, ctx: RequestContext) => unknown;

export interface ServiceDefinition {
  /** Name used by faults and logs: ecs, ssm, cloudwatch, logs, ... */
  name: string;
  /** SigV4 signing name from the credential scope. */
  signingName: string;
  protocol: 'json1.0' | 'json1.1' | 'query';
  targetPrefix?: string;
  version?: string;
  xmlns?: string;
  /** CloudWatch: JSON protocol that is query-compatible (x-amzn-query-error). */
  queryCompatible?: boolean;
  operations: Record<string, Handler>;
}
