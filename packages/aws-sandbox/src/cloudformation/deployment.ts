/*
 * The shapes a stack operation works on: a parsed template and what a
 * CreateStack/UpdateStack/change set asks the engine to apply. Kept apart
 * from the engine so the API layer and the sandbox's views can name them
 * without importing the engine.
 */
import type { StackParameter } from '../stateCloudFormation';

export interface ResourceDefinition {
  Type: string;
  Properties?: Record<string, any>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: unknown;
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, any>;
  Mappings?: Record<string, any>;
  Conditions?: Record<string, any>;
  Resources: Record<string, ResourceDefinition>;
  Outputs?: Record<string, any>;
  Rules?: Record<string, any>;
  Transform?: unknown;
}

export interface Deployment {
  template: Template;
  templateBody: string;
  parameters: Record<string, string | string[]>;
  storedParameters: StackParameter[];
  disableRollback?: boolean;
}
