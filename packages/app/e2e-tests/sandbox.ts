import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

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
