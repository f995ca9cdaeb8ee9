/**
 * Where an environment's stack stands against its template, as the last
 * CloudFormation drift detection found it: `in_sync`, `drifted`, `failed`
 * (the detection could not run or finish), `checking` (one is running) or
 * `not_checked` (never checked yet).
 *
 * @public
 */
export type EnvironmentDriftStatus =
  | 'in_sync'
  | 'drifted'
  | 'failed'
  | 'checking'
  | 'not_checked';

/**
 * How a property differs from the template, in CloudFormation's terms:
 * `NOT_EQUAL` a changed value, `ADD` a list element or property added out
 * of band, `REMOVE` one that is gone.
 *
 * @public
 */
export type DriftDifferenceType = 'ADD' | 'REMOVE' | 'NOT_EQUAL';

/**
 * One property of a drifted resource that differs from the template.
 *
 * @public
 */
export interface DriftPropertyDifference {
  /** JSON pointer of the property, e.g. `/DesiredCount`. */
  path: string;
  /** What the template says, as CloudFormation prints it; absent when redacted. */
  expected?: string;
  /** What the live resource has; absent when redacted. */
  actual?: string;
  /** How the live value differs from the template's. */
  differenceType: DriftDifferenceType;
  /**
   * Set when the values are withheld: an SSM parameter's value may be a
   * secret, so only the fact that it changed is reported.
   */
  redacted?: boolean;
}

/**
 * A resource of the stack that no longer matches its template.
 *
 * @public
 */
export interface DriftedResource {
  /** The resource's logical id in the stack's template. */
  logicalId: string;
  /** Its physical id in AWS (a service ARN, a group id, a name). */
  physicalId?: string;
  /** The CloudFormation type, e.g. `AWS::ECS::Service`. */
  resourceType: string;
  /** `DELETED` resources have no property differences. */
  status: 'MODIFIED' | 'DELETED';
  /** The properties that differ from the template. */
  differences: DriftPropertyDifference[];
}

/**
 * The drift of one environment's stack.
 *
 * @public
 */
export interface EnvironmentDrift {
  /** The environment's name. */
  environment: string;
  /** The stack that was checked. */
  stackName: string;
  /** Where the stack stands; `checking` while a check runs. */
  status: EnvironmentDriftStatus;
  /**
   * Resources found drifted by the last finished check; while a check runs
   * they are the previous check's.
   */
  driftedResourceCount: number;
  /** The drifted resources, by logical id. */
  resources: DriftedResource[];
  /** When the last finished check finished. */
  checkedAt?: string;
  /** When the running or last check started. */
  startedAt?: string;
  /**
   * Why the last check failed, or why a drifted result is incomplete
   * (CloudFormation could not check some resources).
   */
  error?: string;
  /** The earliest time another on-demand check may start. */
  nextCheckAllowedAt?: string;
}

/**
 * `GET /entity/:namespace/:kind/:name/drift`: the drift of each of the
 * entity's environments, in promotion order.
 *
 * @public
 */
export interface EntityDriftResponse {
  /** The entity, e.g. `component:default/shop`. */
  entityRef: string;
  /** One per environment the entity runs in. */
  environments: EnvironmentDrift[];
}
