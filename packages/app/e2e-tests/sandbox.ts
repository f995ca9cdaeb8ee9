import {
  DeleteParameterCommand,
  GetParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { createHash, createHmac } from 'node:crypto';

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

/** The decrypted value of a SecureString, read the way only a task could. */
export async function secretValue(name: string): Promise<string> {
  const ssm = new SSMClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  const out = await ssm.send(
    new GetParameterCommand({ Name: name, WithDecryption: true }),
  );
  return out.Parameter!.Value!;
}

/**
 * A signed AWS Query protocol call to the sandbox (CloudFormation here).
 * Hand-signed with SigV4 because packages/app declares no CloudFormation
 * client; the signature is a real one, so the helper would work against
 * any endpoint that checks it.
 */
async function queryApi(
  service: string,
  version: string,
  params: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID ?? 'sandbox';
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY ?? 'sandbox';
  const url = new URL(sandboxUrl);
  const body = new URLSearchParams({ Version: version, ...params }).toString();
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const contentType = 'application/x-www-form-urlencoded; charset=utf-8';
  const sha256 = (data: string) =>
    createHash('sha256').update(data).digest('hex');
  const hmac = (key: Buffer | string, data: string) =>
    createHmac('sha256', key).update(data).digest();
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${contentType}`,
    `host:${url.host}`,
    `x-amz-date:${amzDate}`,
    '',
    'content-type;host;x-amz-date',
    sha256(body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join(
    '\n',
  );
  const key = [day, region, service, 'aws4_request'].reduce<Buffer | string>(
    (k, part) => hmac(k, part),
    `AWS4${secretAccessKey}`,
  );
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const res = await fetch(`${url.origin}/`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

const xmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

function xmlField(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? xmlText(m[1]) : undefined;
}

export interface SandboxStack {
  stackId: string;
  status: string;
  parameters: Record<string, string>;
}

/** CloudFormation DescribeStacks for one stack; undefined when there is none. */
export async function describeStack(
  stackName: string,
): Promise<SandboxStack | undefined> {
  const res = await queryApi('cloudformation', '2010-05-15', {
    Action: 'DescribeStacks',
    StackName: stackName,
  });
  if (res.status === 400 && /does not exist/.test(res.body)) {
    return undefined;
  }
  if (res.status !== 200) {
    throw new Error(`DescribeStacks ${stackName}: ${res.status} ${res.body}`);
  }
  const parameters: Record<string, string> = {};
  const section = /<Parameters>([\s\S]*?)<\/Parameters>/.exec(res.body)?.[1];
  for (const member of section?.match(/<member>[\s\S]*?<\/member>/g) ?? []) {
    const key = xmlField(member, 'ParameterKey');
    if (key) parameters[key] = xmlField(member, 'ParameterValue') ?? '';
  }
  return {
    stackId: xmlField(res.body, 'StackId')!,
    status: xmlField(res.body, 'StackStatus')!,
    parameters,
  };
}

/** Deletes a stack (the sandbox removes it at once or within seconds). */
export async function deleteStack(stackName: string) {
  const res = await queryApi('cloudformation', '2010-05-15', {
    Action: 'DeleteStack',
    StackName: stackName,
  });
  if (res.status !== 200) {
    throw new Error(`DeleteStack ${stackName}: ${res.status} ${res.body}`);
  }
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
