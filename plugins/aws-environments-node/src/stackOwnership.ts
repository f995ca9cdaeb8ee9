import { Stack } from '@aws-sdk/client-cloudformation';
import {
  CREATED_BY,
  PROVISIONING_INPUTS_OUTPUT,
} from '@envplane/aws-environments-infra';

/**
 * Refuses to change a stack of the expected name that this portal did not
 * create for `project` and `environment` (another team's, or hand-made):
 * provisioning, destroying and promoting all go through this one check.
 *
 * Every mark of ownership the stack carries must agree: its tags (when it
 * has any) say `Project`, `Environment` and `CreatedBy`, and its
 * `ProvisioningInputs` output (when it has one) names the project. A stack
 * with neither is judged by the description the stacks are given.
 *
 * @public
 */
export function assertStackOwnership(
  stack: Stack,
  project: string,
  environment: string,
): void {
  const tags = Object.fromEntries(
    (stack.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']),
  );
  const tagged = Object.keys(tags).length > 0;
  const notOurs = new Error(
    `a stack named ${stack.StackName} exists but is not tagged as ${project}/${environment} created by ${CREATED_BY}; refusing to change it`,
  );
  if (
    tagged &&
    !(
      tags.Project === project &&
      tags.Environment === environment &&
      tags.CreatedBy === CREATED_BY
    )
  ) {
    throw notOurs;
  }
  const recorded = recordedProject(stack);
  if (recorded !== undefined && recorded !== project) {
    throw new Error(
      `stack ${stack.StackName} belongs to project ${recorded}, not ${project}; refusing to change it`,
    );
  }
  if (
    !tagged &&
    recorded === undefined &&
    !(stack.Description ?? '').startsWith(
      `${project} ${environment} environment`,
    )
  ) {
    throw notOurs;
  }
}

/**
 * The project the stack's `ProvisioningInputs` output names. An unreadable
 * output is no evidence either way: the wizard re-run that repairs it must
 * not be refused here (a promotion refuses it when it reads the inputs).
 */
function recordedProject(stack: Stack): string | undefined {
  const raw = stack.Outputs?.find(
    o => o.OutputKey === PROVISIONING_INPUTS_OUTPUT,
  )?.OutputValue;
  if (!raw) return undefined;
  try {
    const project = (JSON.parse(raw) as { project?: unknown })?.project;
    return typeof project === 'string' ? project : undefined;
  } catch {
    return undefined;
  }
}
