import {
  CloudFormationClient,
  paginateDescribeStacks,
  Stack,
} from '@aws-sdk/client-cloudformation';
import {
  AwsEnvironmentConfig,
  environmentResourceNames,
  validateProjectName,
} from '@envplane/plugin-aws-environments-common';

/** A project found in AWS: its owner and the environments it has stacks in. */
export interface ProvisionedProject {
  project: string;
  owner: string;
  description?: string;
  environments: AwsEnvironmentConfig[];
}

/** Stacks in these states hold (or are about to hold) live resources. */
const LIVE_STATUSES = new Set([
  'CREATE_IN_PROGRESS',
  'CREATE_COMPLETE',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

function tag(stack: Stack, key: string): string | undefined {
  return stack.Tags?.find(t => t.Key === key)?.Value;
}

/**
 * Reads one account and region's stacks (one paginated DescribeStacks) and
 * keeps those that the provisioning action made for a configured
 * environment: tagged CreatedBy=backstage with a Project and an Environment
 * of this account and region, and named by the seed's convention. A stack
 * that failed to create, or is being deleted, is not a provisioned
 * environment.
 */
export async function findProvisionedStacks(
  client: CloudFormationClient,
  environments: AwsEnvironmentConfig[],
): Promise<
  Array<{
    project: string;
    environment: AwsEnvironmentConfig;
    owner?: string;
    description?: string;
  }>
> {
  const found = [];
  for await (const page of paginateDescribeStacks({ client }, {})) {
    for (const stack of page.Stacks ?? []) {
      if (!LIVE_STATUSES.has(stack.StackStatus ?? '')) continue;
      if (tag(stack, 'CreatedBy') !== 'backstage') continue;
      const project = tag(stack, 'Project');
      const environment = environments.find(
        e => e.name === tag(stack, 'Environment'),
      );
      if (!project || !environment || validateProjectName(project)) continue;
      if (
        stack.StackName !==
        environmentResourceNames(project, environment.name).stackName
      ) {
        continue;
      }
      found.push({
        project,
        environment,
        owner: tag(stack, 'Owner'),
        description: stack.Description,
      });
    }
  }
  return found;
}

/**
 * Groups found stacks into projects, environments in promotion order. The
 * owner is the one on the first environment's stack (they are equal unless
 * someone retagged a stack by hand).
 */
export function groupByProject(
  stacks: Array<{
    project: string;
    environment: AwsEnvironmentConfig;
    owner?: string;
  }>,
  order: AwsEnvironmentConfig[],
): ProvisionedProject[] {
  const byProject = new Map<string, ProvisionedProject>();
  const rank = (e: AwsEnvironmentConfig) =>
    order.findIndex(o => o.name === e.name);
  for (const s of [...stacks].sort(
    (a, b) => rank(a.environment) - rank(b.environment),
  )) {
    const entry = byProject.get(s.project) ?? {
      project: s.project,
      owner: s.owner ?? 'group:default/unknown',
      environments: [],
    };
    if (!entry.environments.some(e => e.name === s.environment.name)) {
      entry.environments.push(s.environment);
    }
    byProject.set(s.project, entry);
  }
  return [...byProject.values()].sort((a, b) =>
    a.project.localeCompare(b.project),
  );
}
