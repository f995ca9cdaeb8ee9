import { TestDatabases } from '@backstage/backend-test-utils';
import { readAwsEnvironments } from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { ConfigReader } from '@backstage/config';
import {
  capturingLogger,
  environmentsConfig,
} from '../__testUtils__/awsFixtures';
import { ManualClock } from '../promotions/__testUtils__/storeFixtures';
import { migratePromotionTables } from '../promotions/promotionTables';
import { DriftChecker } from './DriftChecker';
import { readDriftOptions } from './driftOptions';
import { DriftStore } from './DriftStore';

jest.setTimeout(60_000);

const KEY = { project: 'shop', environment: 'test' };

describe('DriftChecker', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setup() {
    const knex = await databases.init('SQLITE_3');
    await migratePromotionTables(knex);
    const clock = new ManualClock();
    const store = new DriftStore(knex, clock.now);
    const logger = capturingLogger();
    const config = new ConfigReader(environmentsConfig);
    const options = readDriftOptions(config);
    const checker = new DriftChecker({
      store,
      clients: new AwsClientFactory({
        // An account whose role cannot be assumed.
        credentialsManager: {
          getCredentialProvider: async () => {
            throw Object.assign(new Error('Could not load credentials'), {
              name: 'CredentialsProviderError',
            });
          },
        },
      }),
      environments: () => readAwsEnvironments(config),
      logger,
      options,
      now: clock.now,
    });
    return { checker, store, clock, logger, options };
  }

  it('stores a failed check, saying which account had no credentials, and logs it', async () => {
    const { checker, logger, clock, options } = await setup();
    const result = await checker.start(KEY);
    expect(result.started).toBe(true);
    if (result.started) await result.done;
    const [drift] = await checker.read([KEY]);
    expect(drift).toMatchObject({
      environment: 'test',
      stackName: 'shop-test',
      status: 'failed',
      error: expect.stringContaining(
        'AWS credentials for account 000000000000: access denied',
      ),
      nextCheckAllowedAt: new Date(
        clock.now().getTime() + options.minIntervalMs,
      ).toISOString(),
    });
    expect(logger.lines).toContainEqual(
      expect.stringContaining('Drift check of shop/test: AWS credentials'),
    );
  });

  it('shows a check whose replica died as failed once it is stale, and lets another start', async () => {
    const { checker, store, clock, options } = await setup();
    // Claimed by a replica that never stores a result.
    await store.claim(KEY, options);
    const startedAt = clock.now().toISOString();
    expect((await checker.read([KEY]))[0]).toMatchObject({
      status: 'checking',
      startedAt,
      nextCheckAllowedAt: new Date(
        clock.now().getTime() + options.staleAfterMs,
      ).toISOString(),
    });
    const refused = await checker.start(KEY);
    expect(refused).toMatchObject({
      started: false,
      drift: { status: 'checking' },
    });

    clock.advance(options.staleAfterMs);
    const [stale] = await checker.read([KEY]);
    expect(stale.status).toBe('failed');
    expect(stale.error).toBe(
      `The check started at ${startedAt} did not finish; its backend replica may have stopped`,
    );
    expect(stale.nextCheckAllowedAt).toBeUndefined();
    expect((await checker.start(KEY)).started).toBe(true);
  });

  it('lists an environment never checked as not_checked', async () => {
    const { checker } = await setup();
    expect(await checker.read([KEY])).toEqual([
      {
        environment: 'test',
        stackName: 'shop-test',
        status: 'not_checked',
        driftedResourceCount: 0,
        resources: [],
      },
    ]);
  });
});
