import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  Stack,
  StackEvent,
} from '@aws-sdk/client-cloudformation';
import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export function stackMissing(name: string) {
  return Object.assign(new Error(`Stack with id ${name} does not exist`), {
    name: 'ValidationError',
  });
}

export function ourTags(project: string, environment: string) {
  return [
    { Key: 'Project', Value: project },
    { Key: 'Environment', Value: environment },
    { Key: 'CreatedBy', Value: 'backstage' },
    { Key: 'ManagedBy', Value: 'aws-cdk' },
  ];
}

/**
 * In-memory CloudFormation and SSM behind aws-sdk-client-mock: enough
 * state to follow a stack through create, update, failure and deletion.
 */
export function mockAws() {
  const cfn = mockClient(CloudFormationClient);
  const ssm = mockClient(SSMClient);
  const stacks = new Map<string, Stack>();
  const events = new Map<string, StackEvent[]>(); // newest first
  /** `version` counts from 1 like SSM's; absent means 1. */
  const parameters = new Map<
    string,
    { value: string; tags?: unknown; version?: number }
  >();

  cfn.on(DescribeStacksCommand).callsFake(input => {
    const stack =
      stacks.get(input.StackName) ??
      [...stacks.values()].find(s => s.StackId === input.StackName);
    if (!stack) throw stackMissing(input.StackName);
    return { Stacks: [stack] };
  });
  cfn.on(DescribeStackEventsCommand).callsFake(input => {
    const name =
      [...stacks.values()].find(s => s.StackId === input.StackName)
        ?.StackName ?? input.StackName;
    if (!stacks.has(name) && !events.has(name)) throw stackMissing(name);
    return { StackEvents: events.get(name) ?? [] };
  });
  cfn.on(DeleteStackCommand).callsFake(input => {
    const stack = [...stacks.values()].find(
      s => s.StackId === input.StackName || s.StackName === input.StackName,
    );
    if (stack) stacks.delete(stack.StackName!);
    return {};
  });

  ssm.on(PutParameterCommand).callsFake(input => {
    if (parameters.has(input.Name) && !input.Overwrite) {
      throw new ParameterAlreadyExists({
        message: 'The parameter already exists.',
        $metadata: {},
      });
    }
    const existing = parameters.get(input.Name);
    const version = existing ? (existing.version ?? 1) + 1 : 1;
    parameters.set(input.Name, {
      value: input.Value,
      tags: existing ? existing.tags : input.Tags,
      version,
    });
    return { Version: version };
  });
  ssm.on(GetParameterCommand).callsFake(input => {
    const parameter = parameters.get(input.Name);
    if (!parameter) {
      throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    }
    return {
      Parameter: {
        Name: input.Name,
        Type: 'SecureString',
        Value: input.WithDecryption ? parameter.value : 'AQICAHencrypted',
        Version: parameter.version ?? 1,
      },
    };
  });
  ssm.on(DeleteParameterCommand).callsFake(input => {
    if (!parameters.delete(input.Name)) {
      throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    }
    return {};
  });
  ssm.on(GetParametersByPathCommand).callsFake(input => ({
    Parameters: [...parameters.keys()]
      .filter(name => name.startsWith(`${input.Path}/`))
      .map(Name => ({ Name, Type: 'SecureString' })),
  }));
  ssm.on(DeleteParametersCommand).callsFake(input => {
    for (const name of input.Names) parameters.delete(name);
    return { DeletedParameters: input.Names };
  });

  function putStack(
    name: string,
    status: string,
    extra: Partial<Stack> = {},
  ): Stack {
    const stack: Stack = {
      StackName: name,
      StackId: `arn:aws:cloudformation:us-east-1:000000000000:stack/${name}/1`,
      StackStatus: status as Stack['StackStatus'],
      CreationTime: new Date(),
      ...extra,
    };
    stacks.set(name, stack);
    return stack;
  }

  function addEvents(name: string, ...newestLast: Partial<StackEvent>[]) {
    const list = events.get(name) ?? [];
    for (const e of newestLast) {
      list.unshift({
        StackName: name,
        StackId: name,
        EventId: `${name}-${list.length + 1}`,
        Timestamp: new Date(),
        ...e,
      } as StackEvent);
    }
    events.set(name, list);
  }

  function reset() {
    cfn.restore();
    ssm.restore();
  }

  return { cfn, ssm, stacks, events, parameters, putStack, addEvents, reset };
}
