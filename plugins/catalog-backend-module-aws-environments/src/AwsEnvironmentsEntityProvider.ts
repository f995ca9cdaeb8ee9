import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  AwsEnvironmentConfig,
  buildProjectEntities,
} from '@envplane/plugin-aws-environments-common';
import {
  findProvisionedStacks,
  groupByProject,
} from './findProvisionedProjects';

/**
 * Makes a CloudFormation client for one account and region.
 *
 * @public
 */
export type CloudFormationClientFactory = (
  environment: AwsEnvironmentConfig,
) => Promise<CloudFormationClient>;

/**
 * Puts every project provisioned by the AWS environments plugins into the
 * catalog, built from the stacks themselves: CloudFormation is the record
 * of what exists, so the catalog needs no Git host and follows deletes.
 *
 * @public
 */
export class AwsEnvironmentsEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      environments: AwsEnvironmentConfig[];
      clientFor: CloudFormationClientFactory;
      logger: LoggerService;
      namespace?: string;
      /** Runs the refresh on a schedule once the catalog has connected. */
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  /** The provider's name in the catalog: `aws-environments`. */
  getProviderName(): string {
    return 'aws-environments';
  }

  /** Called by the catalog; starts the scheduled refresh when there is a task runner. */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: 'aws-environments-entity-provider',
      fn: () => this.refresh(),
    });
  }

  /** Reads the stacks of every configured account and region and replaces this provider's entities. */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error('AwsEnvironmentsEntityProvider is not connected yet');
    }
    const { environments, logger } = this.options;
    // One DescribeStacks listing per (account, region), however many
    // environments share it.
    const groups = new Map<string, AwsEnvironmentConfig[]>();
    for (const env of environments) {
      const key = `${env.accountId}/${env.region}`;
      groups.set(key, [...(groups.get(key) ?? []), env]);
    }
    const stacks = [];
    for (const [key, envs] of groups) {
      try {
        const client = await this.options.clientFor(envs[0]);
        stacks.push(...(await findProvisionedStacks(client, envs)));
      } catch (error) {
        // Keeping the previous entities is better than dropping a whole
        // account's projects for one failed listing.
        logger.warn(
          `Could not list stacks in ${key}; catalog unchanged: ${error}`,
        );
        return;
      }
    }
    const namespace = this.options.namespace ?? 'default';
    const entities = groupByProject(stacks, environments).flatMap(p =>
      buildProjectEntities({
        project: p.project,
        owner: stringifyEntityRef(
          parseEntityRef(p.owner, {
            defaultKind: 'group',
            defaultNamespace: namespace,
          }),
        ),
        environments: p.environments,
        namespace,
      }),
    );
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity: {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...entity.metadata.annotations,
              'backstage.io/managed-by-location':
                'aws-environments:cloudformation',
              'backstage.io/managed-by-origin-location':
                'aws-environments:cloudformation',
            },
          },
        },
        locationKey: 'aws-environments-provider',
      })),
    });
    // Every 30 s: debug, not info, to keep the log readable.
    logger.debug(
      `Found ${entities.length} entities in ${stacks.length} provisioned stacks`,
    );
  }
}
