import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';

/**
 * The browser tests reach the AWS sandbox that scripts/test started (at
 * AWS_ENDPOINT_URL) to inject faults and to read the canary secrets whose
 * absence from the page they check.
 */
export const sandboxUrl =
  process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566';

export async function injectFault(
  fault: Record<string, unknown>,
): Promise<string> {
  const res = await fetch(`${sandboxUrl}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!res.ok) throw new Error(`fault not accepted: ${await res.text()}`);
  return (await res.json()).id;
}

export async function clearFault(id: string) {
  await fetch(`${sandboxUrl}/_sandbox/faults/${id}`, { method: 'DELETE' });
}

export async function advanceClock(seconds: number) {
  await fetch(`${sandboxUrl}/_sandbox/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  });
}

/**
 * An alarm in ALARM, as an operator's monitoring would raise it. Missing
 * data leaves its state alone, so it stays in ALARM until deleted.
 */
export async function raiseAlarm(name: string): Promise<() => Promise<void>> {
  const cloudwatch = new CloudWatchClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
  });
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'Custom/E2E',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
    }),
  );
  await cloudwatch.send(
    new SetAlarmStateCommand({
      AlarmName: name,
      StateValue: 'ALARM',
      StateReason: 'raised by the browser test',
    }),
  );
  return async () => {
    await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
    cloudwatch.destroy();
  };
}

/** The decrypted value of a SecureString, read the way only a task could. */
export async function secretValue(name: string): Promise<string> {
  const ssm = new SSMClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  const out = await ssm.send(
    new GetParameterCommand({ Name: name, WithDecryption: true }),
  );
  return out.Parameter!.Value!;
}

export interface SandboxStack {
  stackId: string;
  status: string;
  parameters: Record<string, string>;
}

const cloudFormation = () =>
  new CloudFormationClient({ region: process.env.AWS_REGION ?? 'us-east-1' });

/** CloudFormation DescribeStacks for one stack; undefined when there is none. */
export async function describeStack(
  stackName: string,
): Promise<SandboxStack | undefined> {
  try {
    const out = await cloudFormation().send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    const stack = out.Stacks![0];
    return {
      stackId: stack.StackId!,
      status: stack.StackStatus!,
      parameters: Object.fromEntries(
        (stack.Parameters ?? []).map(p => [
          p.ParameterKey!,
          p.ParameterValue ?? '',
        ]),
      ),
    };
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/** Deletes a stack (the sandbox removes it at once or within seconds). */
export async function deleteStack(stackName: string) {
  await cloudFormation().send(new DeleteStackCommand({ StackName: stackName }));
}

/** The type of an SSM parameter, or undefined when it does not exist; never its value. */
export async function parameterType(name: string): Promise<string | undefined> {
  const ssm = new SSMClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  try {
    const out = await ssm.send(
      new GetParameterCommand({ Name: name, WithDecryption: false }),
    );
    return out.Parameter?.Type;
  } catch (error) {
    if ((error as Error).name === 'ParameterNotFound') return undefined;
    throw error;
  }
}

/** Deletes an SSM parameter if it exists. */
export async function deleteParameter(name: string) {
  const ssm = new SSMClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  await ssm.send(new DeleteParameterCommand({ Name: name })).catch(error => {
    if ((error as Error).name !== 'ParameterNotFound') throw error;
  });
}

/**
 * Changes a service's desired count behind CloudFormation's back, as
 * someone in the AWS console would: the stack has drifted.
 */
export async function setDesiredCount(
  cluster: string,
  service: string,
  desiredCount: number,
) {
  const ecs = new ECSClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount }));
}
