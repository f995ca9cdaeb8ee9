/*
 * CloudFormation API (awsQuery, 2010-05-15). Validation happens here,
 * synchronously, as in AWS; the engine applies templates in the background.
 */
import { AwsError } from '../protocol/errors';
import { queryBool } from '../protocol/awsQuery';
import type { ChangeSet, Stack, StackResource } from '../state';
import type { RequestContext, ServiceDefinition } from './types';
import { paginate } from './paging';
import {
  checkCapabilities,
  parseTemplate,
  requiredCapabilities,
  resolveParameters,
  Template,
  validateTemplate,
  validationError,
} from '../cloudformation/template';
import { computeChanges, nothingChanged } from '../cloudformation/changeSets';
import type { Deployment } from '../cloudformation/deployment';
import type { OperationContext } from '../world';
import {
  driftOperations,
  resourceDriftInformation,
  stackDriftInformation,
} from './cloudformationDrift';

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/** awsQuery sends an empty list as "Key=" (an empty string). */
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? value : []);

const date = (t?: number) => (t === undefined ? undefined : new Date(t));

/** One page of a list, as CloudFormation pages them (NextToken, 100 items). */
function pageOf<T>(
  items: T[],
  nextToken: string | undefined,
  fingerprint?: string,
  size = 100,
) {
  return paginate(items, {
    nextToken,
    defaultSize: size,
    maxSize: size,
    tokenError: 'ValidationError',
    fingerprint,
  });
}

function op(ctx: RequestContext): OperationContext {
  return {
    region: ctx.region,
    regionState: ctx.regionState,
    caller: ctx.caller,
  };
}

/** What DescribeStackResource and ListStackResources say of a resource. */
function resourceSummary(r: StackResource) {
  return {
    LogicalResourceId: r.LogicalResourceId,
    PhysicalResourceId: r.PhysicalResourceId,
    ResourceType: r.ResourceType,
    LastUpdatedTimestamp: new Date(r.Timestamp),
    ResourceStatus: r.ResourceStatus,
    ResourceStatusReason: r.ResourceStatusReason,
  };
}

/**
 * Validates a template; what GetTemplateSummary and ValidateTemplate say of
 * it besides its parameters.
 */
function checkTemplate(template: Template) {
  validateTemplate(template);
  const caps = requiredCapabilities(template);
  return {
    Description: template.Description,
    Capabilities: caps.capability ? [caps.capability] : [],
    CapabilitiesReason: caps.reason,
  };
}

/**
 * The parameters a template declares; `withTypes` adds their types and
 * constraints (GetTemplateSummary; ValidateTemplate leaves them out).
 */
function declaredParameters(template: Template, withTypes: boolean) {
  return Object.entries<any>(template.Parameters ?? {}).map(([k, p]) => ({
    ParameterKey: k,
    DefaultValue: p.Default !== undefined ? String(p.Default) : undefined,
    ParameterType: withTypes ? p.Type : undefined,
    NoEcho: p.NoEcho === true || p.NoEcho === 'true',
    Description: p.Description,
    ParameterConstraints: withTypes ? parameterConstraints(p) : undefined,
  }));
}

function parameterConstraints(parameter: any) {
  return parameter.AllowedValues
    ? { AllowedValues: parameter.AllowedValues.map(String) }
    : {};
}

function stacks(ctx: RequestContext): Stack[] {
  return ctx.regionState.cloudformation.stacks;
}

/** Finds a stack by name (live stacks only) or by id (any, even deleted). */
export function findStack(
  ctx: RequestContext,
  nameOrId: unknown,
): Stack | undefined {
  if (typeof nameOrId !== 'string' || !nameOrId) return undefined;
  if (nameOrId.startsWith('arn:'))
    return stacks(ctx).find(s => s.StackId === nameOrId);
  return stacks(ctx).find(
    s => s.StackName === nameOrId && s.StackStatus !== 'DELETE_COMPLETE',
  );
}

function mustFindStack(ctx: RequestContext, nameOrId: unknown): Stack {
  const s = findStack(ctx, nameOrId);
  if (!s) throw validationError(`Stack with id ${nameOrId} does not exist`);
  return s;
}

function checkStackName(name: unknown): string {
  if (typeof name !== 'string' || !STACK_NAME.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  }
  return name;
}

function assertUpdatable(stack: Stack) {
  const s = stack.StackStatus;
  if (
    stack.busy ||
    s.endsWith('_IN_PROGRESS') ||
    [
      'ROLLBACK_COMPLETE',
      'ROLLBACK_FAILED',
      'DELETE_FAILED',
      'CREATE_FAILED',
      'UPDATE_ROLLBACK_FAILED',
    ].includes(s)
  ) {
    throw validationError(
      `Stack:${stack.StackId} is in ${s} state and can not be updated.`,
    );
  }
}

function newStack(
  ctx: RequestContext,
  name: string,
  status: string,
  input: any,
): Stack {
  const id = `arn:aws:cloudformation:${ctx.region}:${
    ctx.caller.account
  }:stack/${name}/${ctx.sandbox.random.uuid()}`;
  const stack: Stack = {
    StackId: id,
    StackName: name,
    StackStatus: status,
    CreationTime: ctx.now,
    DisableRollback:
      queryBool(input.DisableRollback) ?? input.OnFailure === 'DO_NOTHING',
    Capabilities: list(input.Capabilities),
    Tags: list(input.Tags),
    NotificationARNs: list(input.NotificationARNs),
    RoleARN: input.RoleARN,
    EnableTerminationProtection:
      queryBool(input.EnableTerminationProtection) ?? false,
    Parameters: [],
    Outputs: [],
    templateBody: '',
    resources: {},
    events: [],
    changeSets: {},
  };
  stacks(ctx).push(stack);
  return stack;
}

interface Prepared {
  template: Template;
  body: string;
  deployment: Deployment;
}

function prepare(
  ctx: RequestContext,
  input: any,
  stack: Stack | undefined,
): Prepared {
  let body: string | undefined = input.TemplateBody;
  if (queryBool(input.UsePreviousTemplate)) {
    if (!stack || !stack.templateBody) {
      throw validationError(
        'UsePreviousTemplate can only be used for existing stacks.',
      );
    }
    body = stack.templateBody;
  } else if (body === undefined && input.TemplateURL) {
    throw validationError(
      `TemplateURL must be a supported URL. (The AWS sandbox has no S3; pass TemplateBody.)`,
    );
  }
  const template = parseTemplate(body);
  validateTemplate(template);
  checkCapabilities(template, list(input.Capabilities));
  const { values, stored } = resolveParameters(
    template,
    list(input.Parameters),
    stack?.Parameters,
    ctx.regionState,
  );
  return {
    template,
    body: body!,
    deployment: {
      template,
      templateBody: body!,
      parameters: values,
      storedParameters: stored,
      disableRollback:
        queryBool(input.DisableRollback) ?? input.OnFailure === 'DO_NOTHING',
    },
  };
}

function stackOutput(s: Stack, now: number) {
  let description: string | undefined;
  try {
    description = s.templateBody
      ? parseTemplate(s.templateBody).Description
      : undefined;
  } catch {
    description = undefined;
  }
  return {
    StackId: s.StackId,
    StackName: s.StackName,
    Description: description,
    Parameters: s.Parameters,
    CreationTime: date(s.CreationTime),
    DeletionTime: date(s.DeletionTime),
    LastUpdatedTime: date(s.LastUpdatedTime),
    RollbackConfiguration: {},
    StackStatus: s.StackStatus,
    StackStatusReason: s.StackStatusReason,
    DisableRollback: s.DisableRollback,
    NotificationARNs: s.NotificationARNs,
    Capabilities: s.Capabilities,
    Outputs: s.Outputs,
    RoleARN: s.RoleARN,
    Tags: s.Tags,
    EnableTerminationProtection: s.EnableTerminationProtection,
    DriftInformation: stackDriftInformation(s, now),
  };
}

function findChangeSet(
  ctx: RequestContext,
  input: any,
): { stack: Stack; cs: ChangeSet } {
  const ref = input.ChangeSetName;
  if (typeof ref !== 'string' || !ref) {
    throw validationError(
      "1 validation error detected: Value null at 'changeSetName' failed to satisfy constraint: Member must not be null",
    );
  }
  const candidates = ref.startsWith('arn:')
    ? stacks(ctx)
    : [mustFindStack(ctx, input.StackName)];
  for (const stack of candidates) {
    const cs = Object.values(stack.changeSets).find(
      c => c.ChangeSetId === ref || c.ChangeSetName === ref,
    );
    if (cs) return { stack, cs };
  }
  throw new AwsError(
    'ChangeSetNotFoundException',
    `ChangeSet [${ref}] does not exist`,
    404,
    'Sender',
    'ChangeSetNotFound',
  );
}

function parametersKeyed(
  stored: { ParameterKey: string; ParameterValue: string }[],
  t: Template,
) {
  const values: Record<string, string | string[]> = {};
  for (const p of stored) {
    const type = t.Parameters?.[p.ParameterKey]?.Type ?? 'String';
    values[p.ParameterKey] =
      type.startsWith('List<') || type === 'CommaDelimitedList'
        ? p.ParameterValue.split(',')
        : p.ParameterValue;
  }
  return values;
}

export const cloudformation: ServiceDefinition = {
  name: 'cloudformation',
  signingName: 'cloudformation',
  protocol: 'query',
  version: '2010-05-15',
  xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  operations: {
    CreateStack: (input, ctx) => {
      const name = checkStackName(input.StackName);
      const existing = findStack(ctx, name);
      if (existing) {
        throw new AwsError(
          'AlreadyExistsException',
          `Stack [${name}] already exists`,
          400,
          'Sender',
          'AlreadyExistsException',
        );
      }
      const { deployment } = prepare(ctx, input, undefined);
      const stack = newStack(ctx, name, 'CREATE_IN_PROGRESS', input);
      stack.templateBody = deployment.templateBody;
      stack.Parameters = deployment.storedParameters;
      ctx.sandbox.cloudformation.startCreate(stack, deployment, op(ctx));
      return { StackId: stack.StackId };
    },

    UpdateStack: (input, ctx) => {
      const stack = mustFindStack(ctx, input.StackName);
      assertUpdatable(stack);
      const { deployment } = prepare(ctx, input, stack);
      const oldTemplate = parseTemplate(stack.templateBody);
      if (
        nothingChanged(
          oldTemplate,
          deployment.template,
          stack.Parameters,
          deployment.storedParameters,
          stack.Tags,
          Array.isArray(input.Tags) ? input.Tags : stack.Tags,
        )
      ) {
        throw validationError('No updates are to be performed.');
      }
      if (Array.isArray(input.Capabilities))
        stack.Capabilities = input.Capabilities;
      if (Array.isArray(input.Tags)) stack.Tags = input.Tags;
      ctx.sandbox.cloudformation.startUpdate(stack, deployment, op(ctx));
      return { StackId: stack.StackId };
    },

    DeleteStack: (input, ctx) => {
      const stack = findStack(ctx, input.StackName);
      if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
      if (stack.EnableTerminationProtection) {
        throw validationError(
          `Stack [${stack.StackName}] cannot be deleted while TerminationProtection is enabled`,
        );
      }
      if (stack.StackStatus === 'DELETE_IN_PROGRESS') return undefined;
      if (stack.busy) {
        throw validationError(
          `Stack [${stack.StackName}] cannot be deleted while in status ${stack.StackStatus}`,
        );
      }
      if (
        stack.StackStatus === 'REVIEW_IN_PROGRESS' &&
        Object.keys(stack.resources).length === 0
      ) {
        ctx.sandbox.cloudformation.stackEvent(stack, 'DELETE_COMPLETE');
        stack.DeletionTime = ctx.now;
        stack.changeSets = {};
        return undefined;
      }
      ctx.sandbox.cloudformation.startDelete(
        stack,
        op(ctx),
        list(input.RetainResources),
      );
      return undefined;
    },

    DescribeStacks: (input, ctx) => {
      if (input.StackName) {
        return {
          Stacks: [stackOutput(mustFindStack(ctx, input.StackName), ctx.now)],
        };
      }
      const live = stacks(ctx).filter(s => s.StackStatus !== 'DELETE_COMPLETE');
      const { page, nextToken } = pageOf(live, input.NextToken);
      return {
        Stacks: page.map(s => stackOutput(s, ctx.now)),
        NextToken: nextToken,
      };
    },

    ListStacks: (input, ctx) => {
      const filter: string[] | undefined = list<string>(input.StackStatusFilter)
        .length
        ? input.StackStatusFilter
        : undefined;
      const summaries = [...stacks(ctx)]
        .reverse()
        .filter(s => !filter || filter.includes(s.StackStatus))
        .map(s => ({
          StackId: s.StackId,
          StackName: s.StackName,
          TemplateDescription: (() => {
            try {
              return s.templateBody
                ? parseTemplate(s.templateBody).Description
                : undefined;
            } catch {
              return undefined;
            }
          })(),
          CreationTime: date(s.CreationTime),
          LastUpdatedTime: date(s.LastUpdatedTime),
          DeletionTime: date(s.DeletionTime),
          StackStatus: s.StackStatus,
          StackStatusReason: s.StackStatusReason,
          DriftInformation: stackDriftInformation(s, ctx.now),
        }));
      const { page, nextToken } = pageOf(
        summaries,
        input.NextToken,
        (filter ?? []).join(','),
      );
      return { StackSummaries: page, NextToken: nextToken };
    },

    DescribeStackEvents: (input, ctx) => {
      const stack = mustFindStack(ctx, input.StackName);
      const { page, nextToken } = pageOf(
        stack.events,
        input.NextToken,
        stack.StackId,
      );
      return {
        StackEvents: page.map(e => ({
          ...e,
          Timestamp: new Date(e.Timestamp),
        })),
        NextToken: nextToken,
      };
    },

    DescribeStackResources: (input, ctx) => {
      let stack: Stack | undefined;
      if (input.StackName) stack = mustFindStack(ctx, input.StackName);
      else if (input.PhysicalResourceId) {
        stack = stacks(ctx).find(s =>
          Object.values(s.resources).some(
            r => r.PhysicalResourceId === input.PhysicalResourceId,
          ),
        );
        if (!stack)
          throw validationError(
            `Stack for ${input.PhysicalResourceId} does not exist`,
          );
      } else {
        throw validationError(
          'Either StackName or PhysicalResourceId must be specified.',
        );
      }
      const found = stack;
      return {
        StackResources: Object.values(found.resources)
          .filter(
            r =>
              !input.LogicalResourceId ||
              r.LogicalResourceId === input.LogicalResourceId,
          )
          .map(r => ({
            StackName: found.StackName,
            StackId: found.StackId,
            LogicalResourceId: r.LogicalResourceId,
            PhysicalResourceId: r.PhysicalResourceId,
            ResourceType: r.ResourceType,
            Timestamp: new Date(r.Timestamp),
            ResourceStatus: r.ResourceStatus,
            ResourceStatusReason: r.ResourceStatusReason,
            DriftInformation: resourceDriftInformation(
              found,
              r.LogicalResourceId,
              ctx.now,
            ),
          })),
      };
    },

    DescribeStackResource: (input, ctx) => {
      const stack = mustFindStack(ctx, input.StackName);
      const r = stack.resources[input.LogicalResourceId];
      if (!r) {
        throw validationError(
          `Resource ${input.LogicalResourceId} does not exist for stack ${stack.StackName}`,
        );
      }
      return {
        StackResourceDetail: {
          StackName: stack.StackName,
          StackId: stack.StackId,
          ...resourceSummary(r),
          Metadata: JSON.stringify((r.definition as any)?.Metadata ?? {}),
          DriftInformation: resourceDriftInformation(
            stack,
            r.LogicalResourceId,
            ctx.now,
          ),
        },
      };
    },

    ListStackResources: (input, ctx) => {
      const stack = mustFindStack(ctx, input.StackName);
      const summaries = Object.values(stack.resources).map(r => ({
        ...resourceSummary(r),
        DriftInformation: resourceDriftInformation(
          stack,
          r.LogicalResourceId,
          ctx.now,
        ),
      }));
      const { page, nextToken } = pageOf(
        summaries,
        input.NextToken,
        stack.StackId,
      );
      return { StackResourceSummaries: page, NextToken: nextToken };
    },

    GetTemplate: (input, ctx) => {
      if (input.ChangeSetName) {
        const { cs } = findChangeSet(ctx, input);
        return {
          TemplateBody: cs.templateBody,
          StagesAvailable: ['Original', 'Processed'],
        };
      }
      const stack = mustFindStack(ctx, input.StackName);
      return {
        TemplateBody: stack.templateBody,
        StagesAvailable: ['Original', 'Processed'],
      };
    },

    GetTemplateSummary: (input, ctx) => {
      let template: Template;
      if (input.StackName)
        template = parseTemplate(
          mustFindStack(ctx, input.StackName).templateBody,
        );
      else template = parseTemplate(input.TemplateBody);
      const checked = checkTemplate(template);
      return {
        Parameters: declaredParameters(template, true),
        ...checked,
        ResourceTypes: [
          ...new Set(Object.values(template.Resources).map(r => r.Type)),
        ],
        Version: '2010-09-09',
        DeclaredTransforms: [],
        ResourceIdentifierSummaries: [],
      };
    },

    ValidateTemplate: (input, _ctx) => {
      const template = parseTemplate(input.TemplateBody);
      const checked = checkTemplate(template);
      return {
        Parameters: declaredParameters(template, false),
        ...checked,
        DeclaredTransforms: [],
      };
    },

    CreateChangeSet: (input, ctx) => {
      const name = checkStackName(input.StackName);
      const csName = input.ChangeSetName;
      if (
        typeof csName !== 'string' ||
        !/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(csName)
      ) {
        throw validationError(
          `1 validation error detected: Value '${csName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
        );
      }
      const type = input.ChangeSetType ?? 'UPDATE';
      if (type === 'IMPORT') {
        throw validationError(
          'Resource import is not supported by the AWS sandbox.',
        );
      }
      let stack = findStack(ctx, name);
      if (
        type === 'CREATE' &&
        stack &&
        stack.StackStatus !== 'REVIEW_IN_PROGRESS'
      ) {
        throw new AwsError(
          'AlreadyExistsException',
          `Stack [${name}] already exists and cannot be created again with the changeSet [${csName}].`,
          400,
          'Sender',
          'AlreadyExistsException',
        );
      }
      if (type === 'UPDATE') {
        if (!stack || stack.StackStatus === 'REVIEW_IN_PROGRESS') {
          throw validationError(`Stack [${name}] does not exist`);
        }
        assertUpdatable(stack);
      }
      if (
        stack &&
        Object.values(stack.changeSets).some(c => c.ChangeSetName === csName)
      ) {
        throw new AwsError(
          'AlreadyExistsException',
          `ChangeSet [${csName}] already exists`,
          400,
          'Sender',
          'AlreadyExistsException',
        );
      }
      const prepared = prepare(
        ctx,
        input,
        type === 'UPDATE' ? stack : undefined,
      );
      if (!stack) {
        stack = newStack(ctx, name, 'REVIEW_IN_PROGRESS', input);
        ctx.sandbox.cloudformation.stackEvent(
          stack,
          'REVIEW_IN_PROGRESS',
          'User Initiated',
        );
      }
      const target = stack;
      const cs: ChangeSet = {
        ChangeSetId: `arn:aws:cloudformation:${ctx.region}:${
          ctx.caller.account
        }:changeSet/${csName}/${ctx.sandbox.random.uuid()}`,
        ChangeSetName: csName,
        StackId: target.StackId,
        StackName: target.StackName,
        Description: input.Description,
        ChangeSetType: type,
        Status: 'CREATE_PENDING',
        ExecutionStatus: 'UNAVAILABLE',
        CreationTime: ctx.now,
        templateBody: prepared.body,
        parameters: prepared.deployment.storedParameters,
        capabilities: list(input.Capabilities),
        tags: Array.isArray(input.Tags) ? input.Tags : target.Tags,
        notificationARNs: list(input.NotificationARNs),
        roleARN: input.RoleARN,
        changes: [],
        disableRollback: prepared.deployment.disableRollback,
      };
      target.changeSets[cs.ChangeSetId] = cs;
      // Change sets are computed asynchronously, as in AWS.
      setTimeout(() => {
        try {
          cs.Status = 'CREATE_IN_PROGRESS';
          const oldTemplate =
            type === 'UPDATE' ? parseTemplate(target.templateBody) : undefined;
          cs.changes = computeChanges({
            stack: target,
            oldTemplate,
            oldParameters: oldTemplate
              ? parametersKeyed(target.Parameters, oldTemplate)
              : {},
            newTemplate: prepared.template,
            newParameters: prepared.deployment.parameters,
            region: ctx.region,
            account: ctx.caller.account,
            exports: ctx.regionState.cloudformation.exports,
          });
          if (
            oldTemplate &&
            cs.changes.length === 0 &&
            nothingChanged(
              oldTemplate,
              prepared.template,
              target.Parameters,
              cs.parameters,
              target.Tags,
              cs.tags,
            )
          ) {
            cs.Status = 'FAILED';
            cs.StatusReason =
              "The submitted information didn't contain changes. Submit different information to create a change set.";
            cs.ExecutionStatus = 'UNAVAILABLE';
          } else {
            cs.Status = 'CREATE_COMPLETE';
            cs.ExecutionStatus = 'AVAILABLE';
          }
        } catch (e) {
          cs.Status = 'FAILED';
          cs.StatusReason = (e as Error).message;
        }
        ctx.sandbox.changed();
      }, Math.min(ctx.sandbox.resourceDelayMs, 50)).unref();
      return { Id: cs.ChangeSetId, StackId: target.StackId };
    },

    DescribeChangeSet: (input, ctx) => {
      const { stack, cs } = findChangeSet(ctx, input);
      const { page, nextToken } = pageOf(
        cs.changes,
        input.NextToken,
        cs.ChangeSetId,
        1000,
      );
      return {
        ChangeSetName: cs.ChangeSetName,
        ChangeSetId: cs.ChangeSetId,
        StackId: stack.StackId,
        StackName: stack.StackName,
        Description: cs.Description,
        Parameters: cs.parameters,
        CreationTime: new Date(cs.CreationTime),
        ExecutionStatus: cs.ExecutionStatus,
        Status: cs.Status,
        StatusReason: cs.StatusReason,
        NotificationARNs: cs.notificationARNs,
        RollbackConfiguration: {},
        Capabilities: cs.capabilities,
        Tags: cs.tags,
        Changes: page,
        NextToken: nextToken,
        IncludeNestedStacks: false,
      };
    },

    ListChangeSets: (input, ctx) => {
      const stack = mustFindStack(ctx, input.StackName);
      return {
        Summaries: Object.values(stack.changeSets).map(cs => ({
          StackId: stack.StackId,
          StackName: stack.StackName,
          ChangeSetId: cs.ChangeSetId,
          ChangeSetName: cs.ChangeSetName,
          ExecutionStatus: cs.ExecutionStatus,
          Status: cs.Status,
          StatusReason: cs.StatusReason,
          CreationTime: new Date(cs.CreationTime),
          Description: cs.Description,
          IncludeNestedStacks: false,
        })),
      };
    },

    ExecuteChangeSet: (input, ctx) => {
      const { stack, cs } = findChangeSet(ctx, input);
      if (
        cs.ExecutionStatus !== 'AVAILABLE' ||
        cs.Status !== 'CREATE_COMPLETE'
      ) {
        throw new AwsError(
          'InvalidChangeSetStatusException',
          `ChangeSet [${cs.ChangeSetId}] cannot be executed in its current status of [${cs.Status}]`,
          400,
          'Sender',
          'InvalidChangeSetStatus',
        );
      }
      if (cs.ChangeSetType === 'UPDATE') assertUpdatable(stack);
      const template = parseTemplate(cs.templateBody);
      const { values, stored } = resolveParameters(
        template,
        cs.parameters.map(p => ({
          ParameterKey: p.ParameterKey,
          ParameterValue: p.ParameterValue,
        })),
        stack.Parameters,
        ctx.regionState,
      );
      const deployment: Deployment = {
        template,
        templateBody: cs.templateBody,
        parameters: values,
        storedParameters: stored,
        disableRollback: queryBool(input.DisableRollback) ?? cs.disableRollback,
      };
      cs.ExecutionStatus = 'EXECUTE_IN_PROGRESS';
      // Executing a change set removes the stack's other change sets.
      stack.changeSets = { [cs.ChangeSetId]: cs };
      stack.Capabilities = cs.capabilities;
      stack.Tags = cs.tags;
      const done = (ok: boolean) => {
        cs.ExecutionStatus = ok ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
      };
      if (cs.ChangeSetType === 'CREATE') {
        ctx.sandbox.cloudformation.startCreate(
          stack,
          deployment,
          op(ctx),
          done,
        );
      } else {
        ctx.sandbox.cloudformation.startUpdate(
          stack,
          deployment,
          op(ctx),
          done,
        );
      }
      return {};
    },

    DeleteChangeSet: (input, ctx) => {
      // CloudFormation succeeds when the named stack exists but the change
      // set does not; the CDK CLI relies on it to clear its change set name
      // before creating one. Without StackName an unknown one is an error.
      if (input.StackName) mustFindStack(ctx, input.StackName);
      let found: { stack: Stack; cs: ChangeSet };
      try {
        found = findChangeSet(ctx, input);
      } catch (e) {
        if (
          input.StackName &&
          (e as AwsError).code === 'ChangeSetNotFoundException'
        ) {
          return {};
        }
        throw e;
      }
      const { stack, cs } = found;
      if (cs.ExecutionStatus === 'EXECUTE_IN_PROGRESS') {
        throw new AwsError(
          'InvalidChangeSetStatusException',
          `ChangeSet [${cs.ChangeSetId}] cannot be deleted in its current status of [${cs.ExecutionStatus}]`,
          400,
          'Sender',
          'InvalidChangeSetStatus',
        );
      }
      delete stack.changeSets[cs.ChangeSetId];
      return {};
    },

    ListExports: (input, ctx) => {
      const exportList = Object.entries(
        ctx.regionState.cloudformation.exports,
      ).map(([Name, e]) => ({
        ExportingStackId: e.stackId,
        Name,
        Value: e.value,
      }));
      const { page, nextToken } = pageOf(exportList, input.NextToken);
      return { Exports: page, NextToken: nextToken };
    },

    UpdateTerminationProtection: (input, ctx) => {
      const stack = mustFindStack(ctx, input.StackName);
      stack.EnableTerminationProtection =
        queryBool(input.EnableTerminationProtection) ?? false;
      return { StackId: stack.StackId };
    },

    ...driftOperations,
  },
};
