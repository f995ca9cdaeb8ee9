/*
 * CloudFormation's part of the sandbox's state (state.ts): stacks with their
 * resources, events and change sets, and the drift detections run on them.
 * Times are epoch milliseconds of the simulated clock.
 */
export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  Timestamp: number;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
  ClientRequestToken?: string;
}

export interface StackResource {
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  Timestamp: number;
  /** Resolved properties as last applied. */
  properties: Record<string, any>;
  attributes: Record<string, any>;
  /** The raw template definition last applied, for diffs. */
  definition: Record<string, any>;
}

export interface StackParameter {
  ParameterKey: string;
  ParameterValue: string;
  ResolvedValue?: string;
}

export interface ChangeSet {
  ChangeSetId: string;
  ChangeSetName: string;
  StackId: string;
  StackName: string;
  Description?: string;
  ChangeSetType: 'CREATE' | 'UPDATE' | 'IMPORT';
  Status: string;
  StatusReason?: string;
  ExecutionStatus: string;
  CreationTime: number;
  templateBody: string;
  parameters: StackParameter[];
  capabilities: string[];
  tags: { Key: string; Value: string }[];
  notificationARNs: string[];
  roleARN?: string;
  changes: any[];
  disableRollback?: boolean;
}

export interface Stack {
  StackId: string;
  StackName: string;
  Description?: string;
  StackStatus: string;
  StackStatusReason?: string;
  CreationTime: number;
  LastUpdatedTime?: number;
  DeletionTime?: number;
  DisableRollback: boolean;
  Capabilities: string[];
  Tags: { Key: string; Value: string }[];
  NotificationARNs: string[];
  RoleARN?: string;
  EnableTerminationProtection: boolean;
  Parameters: StackParameter[];
  Outputs: {
    OutputKey: string;
    OutputValue: string;
    Description?: string;
    ExportName?: string;
  }[];
  templateBody: string;
  /** Template of the last successful deployment, restored by rollbacks. */
  resources: Record<string, StackResource>;
  events: StackEvent[];
  changeSets: Record<string, ChangeSet>;
  /** Set while an operation is running, to refuse concurrent ones. */
  busy?: boolean;
  /**
   * Set by CancelUpdateStack; the running update stops at its next step or
   * resource wait and rolls back, and clears it.
   */
  cancelRequested?: boolean;
  /** Drift detections (cloudformation/drift.ts); absent until the first. */
  drift?: StackDriftState;
}

export interface PropertyDifference {
  PropertyPath: string;
  ExpectedValue: string;
  ActualValue: string;
  DifferenceType: 'ADD' | 'REMOVE' | 'NOT_EQUAL';
}

/** What one drift check found for one resource. */
export interface StackResourceDriftResult {
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  /** JSON; absent for DELETED. */
  ExpectedProperties?: string;
  ActualProperties?: string;
  PropertyDifferences: PropertyDifference[];
  StackResourceDriftStatus: 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'UNKNOWN';
  DriftStatusReason?: string;
  Timestamp: number;
}

export interface StackDriftDetection {
  StackDriftDetectionId: string;
  /** When it was initiated. */
  Timestamp: number;
  /** Simulated time its results become visible. */
  completesAt: number;
  results: StackResourceDriftResult[];
}

export interface StackDriftState {
  /** The latest few DetectStackDrift runs, oldest first. */
  detections: StackDriftDetection[];
  /** DetectStackResourceDrift results by logical id (visible at once). */
  resourceChecks: Record<string, StackResourceDriftResult>;
}
