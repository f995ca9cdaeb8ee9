import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  ANNOTATION_PROJECT,
  EnvironmentHealth,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import {
  PromotionDeployRequest,
  PromotionDeployResult,
  PromotionDeployer,
  PromotionInspectRequest,
  PromotionInspection,
} from '@envplane/plugin-aws-environments-node';
import { Knex } from 'knex';
import { EnvironmentStateReader } from '../EnvironmentStateReader';
import { PromotionNotifier } from '../PromotionNotifier';
import { PromotionPath } from '../PromotionPath';
import {
  PromotionProcessor,
  PromotionProcessorOptions,
} from '../PromotionProcessor';
import { PromotionService } from '../PromotionService';
import { AlarmReader } from '../AlarmReader';
import { PromotionGateStore } from '../PromotionGateStore';
import { PromotionLeaseStore } from '../PromotionLeaseStore';
import { PromotionRequestStore } from '../PromotionRequestStore';
import { PromotionSummaryQuery } from '../PromotionSummaryQuery';
import { DeliveryMetricsQuery } from '../DeliveryMetricsQuery';
import { RollbackTargetQuery } from '../RollbackTargetQuery';
import { migratePromotionTables } from '../promotionTables';

/**
 * TestDatabases for SQLite and PostgreSQL. With AWS_ENV_REQUIRE_SERVICES=1
 * (CI) a missing PostgreSQL fails the suite instead of silently running
 * SQLite only.
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  if (process.env.AWS_ENV_REQUIRE_SERVICES === '1') {
    const ids = databases.eachSupportedId().map(([id]) => id);
    if (!ids.includes('POSTGRES_15')) {
      throw new Error(
        'AWS_ENV_REQUIRE_SERVICES=1 but PostgreSQL 15 is not available to TestDatabases',
      );
    }
  }
  return databases;
}

/**
 * One database of `databaseId` for the enclosing describe block, with every
 * table emptied before each test: each test starts from the migrated, empty
 * schema, as with a database of its own, without paying for one. On
 * PostgreSQL every `databases.init` is a CREATE DATABASE (and a DROP at the
 * end), about a second each on a busy machine.
 */
export function emptiedBeforeEachTest(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): () => Knex {
  let knex: Knex | undefined;
  beforeAll(async () => {
    knex = await databases.init(databaseId);
  });
  beforeEach(async () => {
    await emptyAllTables(knex!);
  });
  return () => knex!;
}

/** Deletes every row but the migration bookkeeping, and resets the ids. */
export async function emptyAllTables(knex: Knex): Promise<void> {
  const bookkeeping = (name: string) =>
    name.startsWith('knex_migrations') || name.startsWith('sqlite_');
  if (knex.client.config.client === 'pg') {
    const { rows } = await knex.raw(
      'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
    );
    const tables = (rows as { tablename: string }[])
      .map(r => r.tablename)
      .filter(name => !bookkeeping(name));
    if (tables.length > 0) {
      await knex.raw(
        `TRUNCATE TABLE ${tables
          .map(() => '??')
          .join(', ')} RESTART IDENTITY CASCADE`,
        tables,
      );
    }
    return;
  }
  const tables = (
    await knex('sqlite_master').where('type', 'table').select('name')
  )
    .map((r: { name: string }) => r.name)
    .filter(name => !bookkeeping(name));
  await knex.transaction(async tx => {
    // Foreign keys are checked at the commit, when every table is empty.
    await tx.raw('PRAGMA defer_foreign_keys = ON');
    for (const table of tables) {
      await tx(table).delete();
    }
    if (
      await tx('sqlite_master')
        .where({ type: 'table', name: 'sqlite_sequence' })
        .first()
    ) {
      await tx('sqlite_sequence').delete();
    }
  });
}

/** The seed's promotion path (ARCHITECTURE.md "Environment Promotion Flow"). */
export function seedConfig(
  overrides: {
    prodApprovers?: string[];
    qaReviewRequired?: boolean;
    /** `promotion.verification` per environment. */
    verification?: Record<string, object>;
  } = {},
): ConfigReader {
  const env = (
    name: string,
    trigger: string,
    reviewRequired: boolean,
    cidr: string,
    approvers?: string[],
  ) => ({
    name,
    accountId: '000000000000',
    region: 'us-east-1',
    vpcCidr: cidr,
    promotion: {
      trigger,
      reviewRequired,
      ...(approvers ? { approvers } : {}),
      ...(overrides.verification?.[name]
        ? { verification: overrides.verification[name] }
        : {}),
    },
  });
  return new ConfigReader({
    awsEnvironments: {
      environments: [
        env('test', 'manual', false, '10.3.0.0/16'),
        env('qa', 'manual', overrides.qaReviewRequired ?? true, '10.1.0.0/16'),
        env('staging', 'auto', true, '10.2.0.0/16'),
        env('prod', 'manual', true, '10.0.0.0/16', overrides.prodApprovers),
      ],
    },
  });
}

export const SHOP = 'component:default/shop';
export const HIDDEN = 'component:default/hidden';
export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const CAROL = 'user:default/carol';
export const PROD_APPROVERS = 'group:default/prod-approvers';
export const TEAM_A = 'group:default/team-a';

export const shopEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: { [ANNOTATION_PROJECT]: 'shop' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

/** Entities that are not the project's Component but name or resemble it. */
export const SHOP_WORKER = 'component:default/shop-worker';
export const SHOP_SYSTEM = 'system:default/shop';
export const SHOP_STACK = 'resource:default/shop-test';
export const UNANNOTATED = 'component:default/unannotated';

const KINDS: Record<string, string> = {
  component: 'Component',
  system: 'System',
  resource: 'Resource',
};

function entity(
  ref: string,
  annotations: Record<string, string>,
  spec: JsonObject,
): Entity {
  const { kind, namespace, name } = parseEntityRef(ref);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: KINDS[kind],
    metadata: { name, namespace, annotations },
    spec,
  };
}

/** Every entity the promotion tests' catalog holds. */
export const catalogEntities: Entity[] = [
  shopEntity,
  entity(
    SHOP_WORKER,
    { [ANNOTATION_PROJECT]: 'shop' },
    { type: 'service', lifecycle: 'production', owner: 'team-a' },
  ),
  entity(SHOP_SYSTEM, { [ANNOTATION_PROJECT]: 'shop' }, { owner: 'team-a' }),
  entity(
    SHOP_STACK,
    { [ANNOTATION_PROJECT]: 'shop' },
    { type: 'aws-environment', owner: 'team-a' },
  ),
  entity(
    UNANNOTATED,
    {},
    { type: 'service', lifecycle: 'production', owner: 'team-a' },
  ),
];

/** Group memberships the userInfo mock reports. */
export const memberships: Record<string, string[]> = {
  [ALICE]: [TEAM_A],
  [BOB]: [TEAM_A],
  [CAROL]: [PROD_APPROVERS],
};

export function userCredentials(
  ref: string,
): BackstageCredentials<BackstageUserPrincipal> {
  return mockCredentials.user(ref);
}

export function userInfoFor(credentials: BackstageCredentials) {
  const { userEntityRef } = (
    credentials as BackstageCredentials<BackstageUserPrincipal>
  ).principal;
  return {
    userEntityRef,
    ownershipEntityRefs: [userEntityRef, ...(memberships[userEntityRef] ?? [])],
  };
}

/** What runs where; the tests move images around by hand. */
export class FakeStateReader implements EnvironmentStateReader {
  readonly states = new Map<
    string,
    { image?: string; health: EnvironmentHealth; finding?: string }
  >();

  set(
    environment: string,
    image: string | undefined,
    health: EnvironmentHealth = 'healthy',
    entityRef = SHOP,
    finding?: string,
  ) {
    this.states.set(`${entityRef}|${environment}`, { image, health, finding });
  }

  /** Every read, with whether it asked for a fresh (uncached) status. */
  readonly reads: Array<{ environment: string; fresh: boolean }> = [];

  async getEnvironmentState(
    entityRef: string,
    environment: string,
    _credentials?: unknown,
    options?: { fresh?: boolean },
  ) {
    this.reads.push({ environment, fresh: options?.fresh ?? false });
    return (
      this.states.get(`${entityRef}|${environment}`) ?? {
        health: 'unknown' as const,
      }
    );
  }
}

/** Alarms in ALARM per environment; the tests set and clear them by hand. */
export class FakeAlarmReader implements AlarmReader {
  readonly firing = new Map<string, Set<string>>();
  readonly calls: Array<{
    environment: string;
    names: string[];
    prefixes: string[];
  }> = [];
  failure?: Error;

  set(environment: string, alarm: string, inAlarm: boolean) {
    const names = this.firing.get(environment) ?? new Set<string>();
    if (inAlarm) names.add(alarm);
    else names.delete(alarm);
    this.firing.set(environment, names);
  }

  async alarmsInAlarm(
    environment: string,
    alarms: { names: string[]; prefixes: string[] },
  ) {
    this.calls.push({ environment, ...alarms });
    if (this.failure) throw this.failure;
    return [...(this.firing.get(environment) ?? [])].filter(
      name =>
        alarms.names.includes(name) ||
        alarms.prefixes.some(prefix => name.startsWith(prefix)),
    );
  }
}

/**
 * Counts deployments and, like the real deployer, makes the environment
 * run the image on success (and leaves it on the old one on failure).
 * `inspect` answers `inspection` when set, else from what the environment
 * runs: succeeded when it runs the image, failed when it does not.
 */
export class FakeDeployer implements PromotionDeployer {
  readonly calls: PromotionDeployRequest[] = [];
  result: PromotionDeployResult = { ok: true };
  /** The health of the environment right after a successful deployment. */
  healthAfterDeploy: EnvironmentHealth = 'healthy';
  delayMs = 0;
  /** Resolves the deployment when set; lets a test hold it "in flight". */
  gate?: Promise<void>;
  readonly inspections: PromotionInspectRequest[] = [];
  /** What `inspect` answers when set. */
  inspection?: PromotionInspection;

  constructor(private readonly state?: FakeStateReader) {}

  async deploy(request: PromotionDeployRequest) {
    this.calls.push(request);
    request.onProgress(
      `UPDATE_IN_PROGRESS ${request.project}-${request.environment}`,
    );
    if (this.delayMs) {
      await new Promise(resolve => setTimeout(resolve, this.delayMs));
    }
    await this.gate;
    request.onProgress(
      `UPDATE_COMPLETE ${request.project}-${request.environment}`,
    );
    if (this.result.ok) {
      this.state?.set(
        request.environment,
        request.image,
        this.healthAfterDeploy,
      );
    }
    return this.result;
  }

  async inspect(request: PromotionInspectRequest) {
    this.inspections.push(request);
    if (this.inspection) {
      return this.inspection;
    }
    const { image } = (await this.state?.getEnvironmentState(
      `component:default/${request.project}`,
      request.environment,
    )) ?? { image: undefined };
    if (image === request.image) {
      return { state: 'succeeded' as const };
    }
    return {
      state: 'failed' as const,
      reason: `the backend restarted during the deployment; ${
        request.project
      }-${
        request.environment
      } is UPDATE_ROLLBACK_COMPLETE; the stack still runs ${
        image ?? 'nothing'
      }`,
    };
  }
}

export type Decide = (
  permission: string,
  user: string,
  resourceRef?: string,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;

export const allowAll: Decide = () => AuthorizeResult.ALLOW;

export function silentLogger(): LoggerService {
  return mockServices.logger.mock();
}

/** One "backend instance": its own service and processor over a shared database. */
export interface Harness {
  knex: Knex;
  requests: PromotionRequestStore;
  leases: PromotionLeaseStore;
  service: PromotionService;
  processor: PromotionProcessor;
  deployer: FakeDeployer;
  state: FakeStateReader;
  alarms: FakeAlarmReader;
  notifications: { send: jest.Mock };
  authorize: jest.Mock;
  setPolicy(decide: Decide): void;
}

export async function createHarness(options: {
  knex: Knex;
  databaseId?: TestDatabaseId;
  config?: ConfigReader;
  state?: FakeStateReader;
  deployer?: FakeDeployer;
  processor?: Partial<PromotionProcessorOptions>;
  alarms?: FakeAlarmReader;
  migrate?: boolean;
}): Promise<Harness> {
  const { knex } = options;
  if (options.migrate !== false) {
    await migratePromotionTables(knex);
  }
  const now = options.processor?.now;
  const requests = new PromotionRequestStore(knex, now);
  const leases = new PromotionLeaseStore(knex, now);
  const path = new PromotionPath(
    readAwsEnvironments(options.config ?? seedConfig()),
  );
  const state = options.state ?? new FakeStateReader();
  const deployer = options.deployer ?? new FakeDeployer(state);
  const alarms = options.alarms ?? new FakeAlarmReader();
  const catalog = catalogServiceMock({ entities: catalogEntities });
  const auth = mockServices.auth();
  const logger = silentLogger();
  const notifications = { send: jest.fn(async () => {}) };
  const notifier = new PromotionNotifier({
    notifications,
    catalog,
    auth,
    logger,
  });
  let decide: Decide = allowAll;
  const authorize = jest.fn(
    async (
      checks: { permission: { name: string }; resourceRef?: string }[],
      { credentials }: { credentials: BackstageCredentials },
    ): Promise<DefinitivePolicyDecision[]> =>
      checks.map(r => ({
        result: decide(
          r.permission.name,
          userInfoFor(credentials).userEntityRef,
          r.resourceRef,
        ),
      })),
  );
  const service = new PromotionService({
    requests,
    summaries: new PromotionSummaryQuery(knex),
    rollbacks: new RollbackTargetQuery(knex),
    metrics: new DeliveryMetricsQuery(knex),
    now,
    path,
    catalog,
    permissions: mockServices.permissions.mock({ authorize }),
    userInfo: mockServices.userInfo.mock({
      getUserInfo: async credentials => userInfoFor(credentials),
    }),
    stateReader: state,
    notifier,
    logger,
  });
  const processor = new PromotionProcessor({
    requests,
    leases,
    gates: new PromotionGateStore(knex, now),
    alarms,
    path,
    deployer,
    stateReader: state,
    notifier,
    catalog,
    auth,
    logger,
    ...options.processor,
  });
  return {
    knex,
    requests,
    leases,
    service,
    processor,
    deployer,
    state,
    alarms,
    notifications,
    authorize,
    setPolicy(next) {
      decide = next;
    },
  };
}

/** Everything in both tables, to assert that a refused call changed nothing. */
export async function snapshot(knex: Knex) {
  return {
    promotions: await knex('promotions').orderBy('id'),
    events: await knex('promotion_events').orderBy('id'),
  };
}

/** Runs passes until the processor is idle, i.e. started deployments finished. */
export async function runPass(processor: PromotionProcessor) {
  await processor.tick();
  await processor.idle();
}
