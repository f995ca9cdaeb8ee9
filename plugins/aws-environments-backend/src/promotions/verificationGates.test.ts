import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ManualClock } from './__testUtils__/storeFixtures';
import {
  ALICE,
  BOB,
  SHOP,
  createHarness,
  createTestDatabases,
  emptiedBeforeEachTest,
  runPass,
  seedConfig,
  userCredentials,
} from './__testUtils__/promotionFixtures';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const alice = userCredentials(ALICE);
const bob = userCredentials(BOB);

describe('verification gates', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    const database = emptiedBeforeEachTest(
      databases,
      databaseId as TestDatabaseId,
    );

    beforeEach(async () => {
      knex = database();
    });

    /** qa's gate as given; test runs shop:1.0.0 healthy, qa shop:0.9.0. */
    async function gated(verification: object) {
      const clock = new ManualClock();
      const h = await createHarness({
        knex,
        config: seedConfig({ verification: { qa: verification } }),
        processor: { now: clock.now },
      });
      h.state.set('test', 'shop:1.0.0');
      h.state.set('qa', 'shop:0.9.0');
      const request = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      return { ...h, clock, id: request.id, request };
    }

    it('holds an approved request until the source has soaked, counting down, then deploys it', async () => {
      const h = await gated({ soakMinutes: 30 });
      expect(h.request.gate).toEqual({
        soakMinutes: 30,
        alarmNames: [],
        alarmPrefixes: [],
      });

      // The soak runs while the request waits for review.
      await runPass(h.processor);
      const started = (await h.requests.get(h.id))!.gate!;
      expect(started.verifyingSince).toBe(h.clock.now().toISOString());

      h.clock.advance(12 * MINUTE);
      // Approval does not skip the gate.
      await h.service.approve(h.id, undefined, bob);
      await runPass(h.processor);
      expect(h.deployer.calls).toEqual([]);
      expect(await h.requests.get(h.id)).toMatchObject({
        status: 'approved',
        gate: { verifyingSince: started.verifyingSince },
      });

      h.clock.advance(18 * MINUTE);
      await runPass(h.processor);
      expect(h.deployer.calls).toEqual([
        expect.objectContaining({ environment: 'qa', image: 'shop:1.0.0' }),
      ]);
      const details = await h.service.get(h.id, bob);
      expect(details).toMatchObject({
        status: 'succeeded',
        gate: { verifiedAt: expect.any(String) },
      });
      expect(
        details.events
          .filter(e => e.action.startsWith('verif'))
          .map(e => [e.action, e.message]),
      ).toEqual([
        [
          'verification_started',
          'test runs shop:1.0.0 and is healthy; 30 minutes healthy in test needed',
        ],
        ['verified', 'Verified: 30 minutes healthy in test'],
      ]);
    });

    it('starts the soak over when a finding appears, and says so in the history', async () => {
      const h = await gated({ soakMinutes: 30 });
      await h.service.approve(h.id, undefined, bob);
      await runPass(h.processor);
      h.clock.advance(20 * MINUTE);
      h.state.set(
        'test',
        'shop:1.0.0',
        'unhealthy',
        SHOP,
        'Tasks crash-looping',
      );
      await runPass(h.processor);

      expect((await h.requests.get(h.id))!.gate).toMatchObject({
        verifyingSince: undefined,
        blockedBy: 'test is unhealthy: Tasks crash-looping',
      });
      const events = await h.requests.events(h.id);
      expect(events[events.length - 1]).toMatchObject({
        action: 'verification_reset',
        message:
          'Verification starts over: test is unhealthy: Tasks crash-looping',
      });

      // Healthy again: a full soak from now.
      h.state.set('test', 'shop:1.0.0');
      await runPass(h.processor);
      h.clock.advance(29 * MINUTE);
      await runPass(h.processor);
      expect(h.deployer.calls).toEqual([]);
      h.clock.advance(1 * MINUTE);
      await runPass(h.processor);
      expect(h.deployer.calls).toHaveLength(1);
    });

    it('holds the request while another image runs in the source', async () => {
      const h = await gated({ soakMinutes: 0 });
      await h.service.approve(h.id, undefined, bob);
      h.state.set('test', 'shop:1.1.0');
      await runPass(h.processor);
      expect(h.deployer.calls).toEqual([]);
      expect((await h.requests.get(h.id))!.gate!.blockedBy).toBe(
        'test runs shop:1.1.0, not shop:1.0.0',
      );
    });

    it('blocks on an alarm in ALARM in the source, and on alarms it cannot read', async () => {
      const h = await gated({
        soakMinutes: 0,
        alarmNames: ['shared-5xx'],
        alarmPrefixes: ['{project}-{environment}-'],
      });
      expect(h.request.gate).toMatchObject({
        alarmNames: ['shared-5xx'],
        alarmPrefixes: ['shop-test-'],
      });
      await h.service.approve(h.id, undefined, bob);
      h.alarms.set('test', 'shop-test-latency', true);
      h.alarms.set('qa', 'shop-qa-latency', true); // the target's do not matter
      await runPass(h.processor);
      expect(h.deployer.calls).toEqual([]);
      expect((await h.requests.get(h.id))!.gate!.blockedBy).toBe(
        'alarm shop-test-latency in ALARM in test',
      );
      expect(h.alarms.calls[0]).toEqual({
        environment: 'test',
        names: ['shared-5xx'],
        prefixes: ['shop-test-'],
      });

      h.alarms.set('test', 'shop-test-latency', false);
      h.alarms.failure = new Error(
        'CloudWatch alarms of test could not be read: AccessDenied',
      );
      await runPass(h.processor);
      expect(h.deployer.calls).toEqual([]);
      expect((await h.requests.get(h.id))!.gate!.blockedBy).toBe(
        'CloudWatch alarms of test could not be read: AccessDenied',
      );

      h.alarms.failure = undefined;
      await runPass(h.processor);
      expect(h.deployer.calls).toHaveLength(1);
    });

    it('gives rollbacks no gate, and automatic requests the gate of their target', async () => {
      const clock = new ManualClock();
      const h = await createHarness({
        knex,
        config: seedConfig({
          qaReviewRequired: false,
          verification: { staging: { soakMinutes: 15 } },
        }),
        processor: { now: clock.now },
      });
      h.state.set('test', 'shop:1.0.0');
      h.state.set('qa', 'shop:0.9.0');
      h.state.set('staging', 'shop:0.9.0');
      const { id } = await h.service.create(
        { entityRef: SHOP, from: 'test', to: 'qa' },
        alice,
      );
      await runPass(h.processor);
      expect((await h.requests.get(id))!.status).toBe('succeeded');
      const [auto] = await h.requests.list({
        statuses: ['pending_review'],
        limit: 1,
      });
      expect(auto).toMatchObject({
        to: 'staging',
        trigger: 'auto',
        gate: { soakMinutes: 15 },
      });

      await h.service.reject(auto.id, undefined, bob);
      const rollback = await h.service.rollback(
        { entityRef: SHOP, environment: 'qa' },
        alice,
      );
      expect(rollback.gate).toBeUndefined();
    });
  });
});
