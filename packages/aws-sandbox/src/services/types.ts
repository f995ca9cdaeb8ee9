/*
 * The contract between the protocol layer and a simulated service: a table of
 * operation handlers that take the decoded input and return the output shape
 * (Dates for timestamps; the protocol layer encodes them).
 */
import type { AwsError } from '../protocol/errors';
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

/** How a service reads form-encoded requests and writes XML answers. */
export interface QueryCodec {
  /** The form's `Version`. */
  version: string;
  decode(operation: string, form: URLSearchParams): Record<string, any>;
  response(operation: string, output: unknown, requestId: string): string;
  error(err: AwsError, requestId: string): string;
}

export interface ServiceDefinition {
  /** Name used by faults and logs: ecs, ssm, cloudwatch, logs, ... */
  name: string;
  /** SigV4 signing name from the credential scope. */
  signingName: string;
  /** The protocol of the current SDK (v3); `ec2` is EC2's own query dialect. */
  protocol: 'json1.0' | 'json1.1' | 'query' | 'ec2';
  targetPrefix?: string;
  version?: string;
  xmlns?: string;
  /** CloudWatch: JSON protocol that is query-compatible (x-amzn-query-error). */
  queryCompatible?: boolean;
  /**
   * Form-encoded requests: a JSON service that AWS also answers over awsQuery
   * (CloudWatch, for the AWS CLI and SDK v2), or EC2's dialect. Query
   * services without one use `version`/`xmlns` and the untyped decoder.
   */
  query?: QueryCodec;
  operations: Record<string, Handler>;
}
