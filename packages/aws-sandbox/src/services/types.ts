/*
 * The contract between the protocol layer and a simulated service: a table of
 * operation handlers that take the decoded input and return the output shape
 * (Dates for timestamps; the protocol layer encodes them).
 */
import type { RegionState } from '../state';
import type { Caller, EcsWorld, ServiceWorld } from '../world';

export type { Caller } from '../world';

/**
 * What the model functions shared with the ECS simulator and CloudFormation
 * resources (createService, putParameter, createLogGroup, ...) need.
 */
export interface ModelContext {
  sandbox: EcsWorld;
  region: string;
  regionState: RegionState;
  caller: Caller;
  now: number;
}

export interface RequestContext extends ModelContext {
  sandbox: ServiceWorld;
  requestId: string;
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
