import type { EnvironmentStackInputs } from './stackInputs';
import { SEED_SERVICE } from './service';

/**
 * The stack output holding the inputs the stack was synthesized from. A
 * promotion synthesizes the stack again with only the image changed; these
 * inputs must come from the stack itself (not from the catalog or a
 * template run), so that the deployed stack stays the source of truth.
 *
 * @public
 */
export const PROVISIONING_INPUTS_OUTPUT = 'ProvisioningInputs';

/**
 * Every non-secret stack input except the image (a parameter of its own),
 * with the defaults resolved: a later change of a default must not change
 * an existing stack when it is synthesized again.
 *
 * @public
 */
export interface ProvisioningInputs {
  /** The project name. */
  project: string;
  /** Entity ref of the owning group or user. */
  owner: string;
  /** Added to the stack's description. */
  description?: string;
  /** The `Application` tag. */
  application: string;
  /** The `DesiredCount` parameter's default. */
  desiredCount: number;
  /** The fewest tasks autoscaling keeps. */
  minCapacity: number;
  /** The most tasks autoscaling starts. */
  maxCapacity: number;
  /** Whether the stack has the load balancer. */
  loadBalancer: boolean;
  /** The stack synthesizer. */
  synthesizer: 'legacy' | 'default';
}

/**
 * The inputs as they are written into the stack's output.
 *
 * @public
 */
export function provisioningInputsOf(
  inputs: EnvironmentStackInputs,
): ProvisioningInputs {
  return {
    project: inputs.project,
    owner: inputs.owner,
    ...(inputs.description ? { description: inputs.description } : {}),
    application: inputs.application ?? 'app',
    desiredCount: inputs.desiredCount ?? 1,
    minCapacity: inputs.minCapacity ?? SEED_SERVICE.minCapacity,
    maxCapacity: inputs.maxCapacity ?? SEED_SERVICE.maxCapacity,
    loadBalancer: inputs.loadBalancer ?? false,
    synthesizer: inputs.synthesizer ?? 'legacy',
  };
}

type FieldCheck = (value: unknown) => boolean;

const isString: FieldCheck = v => typeof v === 'string' && v.length > 0;
const isCount: FieldCheck = v =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10;

/** The schema of the output's JSON: each field, whether it must be present, and its check. */
const SCHEMA: Record<
  keyof ProvisioningInputs,
  { required: boolean; check: FieldCheck; expected: string }
> = {
  project: { required: true, check: isString, expected: 'a string' },
  owner: { required: true, check: isString, expected: 'a string' },
  description: {
    required: false,
    check: v => typeof v === 'string',
    expected: 'a string',
  },
  application: { required: true, check: isString, expected: 'a string' },
  desiredCount: { required: true, check: isCount, expected: '1 to 10' },
  minCapacity: { required: true, check: isCount, expected: '1 to 10' },
  maxCapacity: { required: true, check: isCount, expected: '1 to 10' },
  loadBalancer: {
    required: true,
    check: v => typeof v === 'boolean',
    expected: 'a boolean',
  },
  synthesizer: {
    required: true,
    check: v => v === 'legacy' || v === 'default',
    expected: '"legacy" or "default"',
  },
};

/**
 * A stack's outputs, as a map or as CloudFormation's DescribeStacks list.
 *
 * @public
 */
export type StackOutputs =
  | Record<string, string | undefined>
  | Array<{ OutputKey?: string; OutputValue?: string }>;

/**
 * Reads and checks the `ProvisioningInputs` output of a deployed stack.
 * Throws an error naming the stack when the output is missing (a stack from
 * before the output existed) or does not match the schema.
 *
 * @public
 */
export function readProvisioningInputs(
  outputs: StackOutputs | undefined,
  stackName: string,
): ProvisioningInputs {
  const raw = Array.isArray(outputs)
    ? outputs.find(o => o.OutputKey === PROVISIONING_INPUTS_OUTPUT)?.OutputValue
    : outputs?.[PROVISIONING_INPUTS_OUTPUT];
  if (!raw) {
    throw new Error(
      `stack ${stackName} was not provisioned by this version; re-run the wizard`,
    );
  }
  const unreadable = (problem: string) =>
    new Error(
      `stack ${stackName} has an unreadable ${PROVISIONING_INPUTS_OUTPUT} output (${problem}); re-run the wizard`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw unreadable('not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw unreadable('not a JSON object');
  }
  const record = parsed as Record<string, unknown>;
  // An input this version does not know could change the stack; dropping it
  // on the next synthesis would silently undo it.
  const unknown = Object.keys(record).filter(key => !(key in SCHEMA));
  if (unknown.length > 0) {
    throw unreadable(`unknown inputs: ${unknown.join(', ')}`);
  }
  for (const [key, field] of Object.entries(SCHEMA)) {
    const value = record[key];
    if (value === undefined) {
      if (field.required) throw unreadable(`${key} is missing`);
    } else if (!field.check(value)) {
      throw unreadable(`${key} must be ${field.expected}`);
    }
  }
  return record as unknown as ProvisioningInputs;
}
