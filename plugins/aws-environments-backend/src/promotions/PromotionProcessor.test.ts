import { TestDatabaseId } from '@backstage/backend-test-utils';
import { DEFAULT_LEASE_MS, INTERRUPTED_REASON } from './PromotionProcessor';
import { PromotionLeaseStore } from './PromotionLeaseStore';
import { newPromotion } from './__testUtils__/storeFixtures';
import {
  ALICE,
  BOB,
  FakeDeployer,
  FakeStateReader,
  SHOP,
  createHarness,
  createTestDatabases,
  emptiedBeforeEachTest,
  runPass,
  userCredentials,
} from './__testUtils__/promotionFixtures';

jest.setTimeout(60_000);

const MINUTE = 60_000;

/**
 * Fakes setInterval only, which drives the lease renewal: the tests move it
 * by hand instead of waiting seconds for it, while the database drivers
 * keep their real timers and I/O.
 */
function useFakeRenewalTimer() {
  jest.useFakeTimers({
    doNotFake: [
      'Date',
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

/** Lets pending promise callbacks and I/O callbacks run. */
function macrotask() {
  return new Promise(resolve => setImmediate(resolve));
}

/** Waits until the deployment runs, and with it the renewal timer. */
async function deploymentStarted(deployer: FakeDeployer) {
  for (let i = 0; deployer.calls.length === 0; i++) {
    if (i > 1000) throw new Error('the deployment did not start');
    await macrotask();
  }
}

/** The promise of every lease renewal. */
function recordRenewals(leases: PromotionLeaseStore): Promise<boolean>[] {
  const renewals: Promise<boolean>[] = [];
  const renew = leases.renewLease.bind(leases);
  jest.spyOn(leases, 'renewLease').mockImplementation((...args) => {
    const renewal = renew(...args);
    renewals.push(renewal);
    return renewal;
  });
  return renewals;
}

/** Waits for the renewals started so far, and what runs after them. */
async function settled(renewals: Promise<boolean>[]) {
  await Promise.all(renewals);
  await macrotask();
}

describe('PromotionProcessor', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    const database = emptiedBeforeEachTest(
      databases,
      databaseId as TestDatabaseId,
    );

    async function instance(
      options: Omit<Parameters<typeof createHarness>[0], 'knex'> = {},
    ) {
      return createHarness({ knex: database(), ...options });
    }

    afterEach(() => {
      jest.useRealTimers();
    });

    it('deploys an approved promotion once, storing progress and the outcome', async () => {
      const h = await instance();
      h.state.set('qa', 'shop:0.9.0');
      const { id } = await h.requests.insert(newPromotion());

      await runPass(h.processor);
      await runPass(h.processor);

      expect(h.deployer.calls).toEqual([
        expect.objectContaining({
          project: 'shop',
          environment: 'qa',
          image: 'shop:1.0.0',
          promotionId: id,
        }),
      ]);
      // qa is read fresh before the deployment (what it replaces) and after
      // it (which refreshes the cached status every page reads).
      expect(
        h.state.reads.filter(r => r.environment === 'qa' && r.fresh),
      ).toHaveLength(2);
      const details = await h.service.get(id, userCredentials(BOB));
      expect(details).toMatchObject({
        status: 'succeeded',
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
      });
      expect(
        details.events.map(e => [e.action, e.toStatus, e.message]),
      ).toEqual([
        [
          'requested',
          'approved',
          expect.stringContaining('requires no review'),
        ],
        [
          'deploy_started',
          'deploying',
          expect.stringContaining(h.processor.instanceId),
        ],
        ['progress', undefined, 'UPDATE_IN_PROGRESS shop-qa'],
        ['progress', undefined, 'UPDATE_COMPLETE shop-qa'],
        ['succeeded', 'succeeded', 'Deployment succeeded'],
        // staging after qa is promoted automatically
        [
          'auto_promotion_requested',
          undefined,
          expect.stringMatching(/^Requested promotion .* into staging$/),
        ],
      ]);
      expect(h.notifications.send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: ALICE },
        payload: expect.objectContaining({
          title: 'Promotion of shop to qa succeeded',
        }),
      });
    });

    it('stores the stack reason of a failed deployment and closes the request', async () => {
      const h = await instance();
      h.state.set('qa', 'shop:0.9.0');
      h.deployer.result = {
        ok: false,
        reason:
          'UPDATE_ROLLBACK_COMPLETE: Resource handler returned message: "ECS Deployment Circuit Breaker was triggered"',
      };
      const { id } = await h.requests.insert(newPromotion());

      await runPass(h.processor);

      const failed = await h.requests.get(id);
      expect(failed).toMatchObject({
        status: 'failed',
        failureReason: expect.stringContaining('Circuit Breaker'),
      });
      // The deployer rolled back: qa keeps its old image.
      expect((await h.state.getEnvironmentState(SHOP, 'qa')).image).toBe(
        'shop:0.9.0',
      );
      expect(h.notifications.send).toHaveBeenLastCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'Promotion of shop to qa failed',
            description: expect.stringContaining('Circuit Breaker'),
          }),
        }),
      );
      // Closed: the same promotion can be asked for again.
      await expect(h.requests.insert(newPromotion())).resolves.toBeDefined();
    });

    it('records a deployer that throws as a failed deployment', async () => {
      const h = await instance();
      jest
        .spyOn(h.deployer, 'deploy')
        .mockRejectedValueOnce(new Error('cdk synth failed'));
      const { id } = await h.requests.insert(newPromotion());

      await runPass(h.processor);

      expect(await h.requests.get(id)).toMatchObject({
        status: 'failed',
        failureReason: 'The deployment could not run: cdk synth failed',
      });
    });

    it('runs each approved promotion exactly once across two replicas passing concurrently', async () => {
      const state = new FakeStateReader();
      const deployer = new FakeDeployer(state);
      deployer.delayMs = 50;
      const a = await instance({
        state,
        deployer,
        processor: { instanceId: 'a' },
      });
      const b = await instance({
        state,
        deployer,
        migrate: false,
        processor: { instanceId: 'b' },
      });
      const ids: string[] = [];
      for (const name of ['shop', 'cart', 'search', 'payments']) {
        const promotion = await a.requests.insert(
          newPromotion({
            entityRef: `component:default/${name}`,
            project: name,
          }),
        );
        ids.push(promotion.id);
      }

      await Promise.all([
        a.processor.tick(),
        b.processor.tick(),
        a.processor.tick(),
        b.processor.tick(),
      ]);
      await Promise.all([a.processor.idle(), b.processor.idle()]);
      await Promise.all([runPass(a.processor), runPass(b.processor)]);

      expect(deployer.calls.map(c => c.promotionId).sort()).toEqual(
        [...ids].sort(),
      );
      for (const id of ids) {
        const events = await a.requests.events(id);
        expect(events.filter(e => e.action === 'deploy_started')).toHaveLength(
          1,
        );
        expect((await a.requests.get(id))?.status).toBe('succeeded');
      }
    });

    describe('after a restart', () => {
      const pastLease = () => new Date(Date.now() + DEFAULT_LEASE_MS + 1000);

      /**
       * A deployment left `deploying` by an instance that is "gone" (its
       * deployment hangs), and a new instance whose clock is past the lease.
       */
      async function interrupted() {
        const state = new FakeStateReader();
        state.set('qa', 'shop:0.9.0');
        const deployer = new FakeDeployer(state);
        let release!: () => void;
        deployer.gate = new Promise(resolve => {
          release = resolve;
        });
        const before = await instance({
          state,
          deployer,
          processor: { instanceId: 'before-restart' },
        });
        const { id } = await before.requests.insert(newPromotion());
        await before.processor.tick(); // claims, the deployment hangs
        expect((await before.requests.get(id))?.status).toBe('deploying');
        // Its first progress line is written in the background; once it is
        // there it cannot land after what the new instance records.
        for (let i = 0; ; i++) {
          const events = await before.requests.events(id);
          if (events.some(e => e.action === 'progress')) break;
          if (i > 500) throw new Error('the deployment reported no progress');
          await new Promise(resolve => setTimeout(resolve, 5));
        }

        // Just past the default lease: the restart is noticed within about
        // a minute, not after the quarter of an hour it used to take.
        const after = await instance({
          state,
          migrate: false,
          processor: { instanceId: 'after-restart', now: pastLease },
        });
        /** Lets the old deployment end and waits for its late outcome. */
        const finishOld = async () => {
          release();
          await before.processor.idle();
        };
        return { state, before, after, id, finishOld };
      }

      it('leaves a deployment alone while its default lease runs, and takes it over within about a minute', async () => {
        const state = new FakeStateReader();
        state.set('qa', 'shop:1.0.0');
        const deployer = new FakeDeployer(state);
        let release!: () => void;
        deployer.gate = new Promise(resolve => {
          release = resolve;
        });
        const gone = await instance({
          state,
          deployer,
          processor: { instanceId: 'gone' },
        });
        const { id } = await gone.requests.insert(newPromotion());
        await gone.processor.tick();

        let offsetMs = DEFAULT_LEASE_MS - 5000;
        const next = await instance({
          state,
          migrate: false,
          processor: {
            instanceId: 'next',
            now: () => new Date(Date.now() + offsetMs),
          },
        });
        await runPass(next.processor);
        expect(next.deployer.inspections).toHaveLength(0);
        expect((await next.requests.get(id))?.status).toBe('deploying');
        expect(
          (await next.requests.events(id)).filter(e => e.actor === 'next'),
        ).toEqual([]);

        offsetMs = DEFAULT_LEASE_MS + 1000;
        await runPass(next.processor);
        expect(next.deployer.inspections).toHaveLength(1);
        expect(
          (await next.requests.events(id)).find(e => e.action === 'succeeded'),
        ).toMatchObject({
          actor: 'next',
          message: expect.stringContaining('(claimed by gone)'),
        });
        expect(next.deployer.calls).toHaveLength(0);
        release();
        await gone.processor.idle();
      });

      it('finishes as succeeded when CloudFormation completed meanwhile, and runs the after-success steps', async () => {
        const { state, before, after, id, finishOld } = await interrupted();
        // CloudFormation completed the update without the backend.
        state.set('qa', 'shop:1.0.0');

        await runPass(after.processor);

        expect(after.deployer.inspections).toEqual([
          { project: 'shop', environment: 'qa', image: 'shop:1.0.0' },
        ]);
        expect(after.deployer.calls).toHaveLength(0);
        expect(await after.requests.get(id)).toMatchObject({
          status: 'succeeded',
        });
        const events = await after.requests.events(id);
        expect(events.find(e => e.action === 'succeeded')).toMatchObject({
          actor: 'after-restart',
          fromStatus: 'deploying',
          toStatus: 'succeeded',
          message: expect.stringMatching(
            /completed it while the backend restarted \(claimed by before-restart\)/,
          ),
        });
        // The usual after-success steps: staging is requested, the
        // requester hears of the success.
        expect(events[events.length - 1]).toMatchObject({
          action: 'auto_promotion_requested',
        });
        expect(
          await after.requests.list({
            statuses: ['pending_review'],
            limit: 10,
          }),
        ).toEqual([
          expect.objectContaining({ to: 'staging', trigger: 'auto' }),
        ]);
        expect(after.notifications.send).toHaveBeenCalledWith({
          recipients: { type: 'entity', entityRef: ALICE },
          payload: expect.objectContaining({
            title: 'Promotion of shop to qa succeeded',
          }),
        });

        // The old deployment finishing late changes nothing but leaves a trace.
        await finishOld();
        expect((await before.requests.get(id))?.status).toBe('succeeded');
        expect((await before.requests.events(id)).pop()?.message).toMatch(
          /finished successfully after another backend instance had taken this request over \(now succeeded\)/,
        );
      });

      it('finishes as failed with the stack reason when the update rolled back, and keeps the late outcome', async () => {
        const { before, after, id, finishOld } = await interrupted();

        await runPass(after.processor);

        const failed = await after.requests.get(id);
        expect(failed).toMatchObject({
          status: 'failed',
          failureReason:
            'the backend restarted during the deployment; shop-qa is UPDATE_ROLLBACK_COMPLETE; the stack still runs shop:0.9.0',
        });
        const events = await after.requests.events(id);
        expect(events[events.length - 1]).toMatchObject({
          action: 'failed',
          actor: 'after-restart',
          fromStatus: 'deploying',
          toStatus: 'failed',
          message: expect.stringContaining('claimed by before-restart'),
        });
        expect(after.deployer.calls).toHaveLength(0);
        expect(after.notifications.send).toHaveBeenCalledWith(
          expect.objectContaining({
            recipients: { type: 'entity', entityRef: ALICE },
            payload: expect.objectContaining({
              title: 'Promotion of shop to qa failed',
            }),
          }),
        );
        // Closed, and nothing is promoted automatically.
        expect(await after.requests.list({ limit: 10 })).toHaveLength(1);

        // The old deployment finishing late does not resurrect the request
        // but leaves a trace.
        await finishOld();
        expect((await before.requests.get(id))?.status).toBe('failed');
        const last = (await before.requests.events(id)).pop();
        expect(last?.message).toMatch(
          /finished successfully after this request had been marked failed/,
        );
      });

      it('keeps a stack still updating deploying under the new claim and checks it again on later passes', async () => {
        const { state, after, id, finishOld } = await interrupted();
        after.deployer.inspection = { state: 'in_progress' };

        await runPass(after.processor);
        await runPass(after.processor);

        expect(await after.requests.get(id)).toMatchObject({
          status: 'deploying',
        });
        expect(after.deployer.inspections).toHaveLength(2);
        const resumed = (await after.requests.events(id)).filter(e =>
          e.message?.startsWith('Resumed after a backend restart'),
        );
        expect(resumed).toEqual([
          expect.objectContaining({
            action: 'progress',
            actor: 'after-restart',
            message: expect.stringContaining(
              'waiting for CloudFormation to finish updating the stack (claimed by before-restart)',
            ),
          }),
        ]);

        // The claim is held (the new one, taken a lease after the first):
        // another replica leaves it alone.
        const other = await instance({
          state,
          migrate: false,
          processor: {
            instanceId: 'other',
            now: () => new Date(Date.now() + DEFAULT_LEASE_MS + 30_000),
          },
        });
        await runPass(other.processor);
        expect(other.deployer.inspections).toHaveLength(0);

        // CloudFormation completes; the next pass closes the request.
        after.deployer.inspection = undefined;
        state.set('qa', 'shop:1.0.0');
        await runPass(after.processor);
        expect(await after.requests.get(id)).toMatchObject({
          status: 'succeeded',
        });
        expect(after.deployer.calls).toHaveLength(0);
        await finishOld();
      });

      it('reconciles once when two replicas find the expired claim concurrently', async () => {
        const { state, after, id, finishOld } = await interrupted();
        state.set('qa', 'shop:1.0.0');
        const second = await instance({
          state,
          migrate: false,
          processor: { instanceId: 'second', now: pastLease },
        });

        await Promise.all([after.processor.tick(), second.processor.tick()]);

        expect(
          after.deployer.inspections.length +
            second.deployer.inspections.length,
        ).toBe(1);
        expect((await after.requests.get(id))?.status).toBe('succeeded');
        expect(
          (await after.requests.events(id)).filter(
            e => e.action === 'succeeded',
          ),
        ).toHaveLength(1);
        await finishOld();
      });

      it('fails visibly when the stack cannot be checked', async () => {
        const { after, id, finishOld } = await interrupted();
        jest
          .spyOn(after.deployer, 'inspect')
          .mockRejectedValueOnce(new Error('AccessDenied: DescribeStacks'));

        await runPass(after.processor);

        expect(INTERRUPTED_REASON).toMatch(/^Interrupted by a backend restart/);
        expect(await after.requests.get(id)).toMatchObject({
          status: 'failed',
          failureReason: `${INTERRUPTED_REASON} Checking the stack failed: AccessDenied: DescribeStacks`,
        });
        expect(after.notifications.send).toHaveBeenCalledWith(
          expect.objectContaining({
            recipients: { type: 'entity', entityRef: ALICE },
          }),
        );
        await finishOld();
      });

      it('marks the deployment failed without looking when the deployer cannot inspect', async () => {
        const { after, id, finishOld } = await interrupted();
        Object.assign(after.deployer, { inspect: undefined });

        await runPass(after.processor);

        expect(await after.requests.get(id)).toMatchObject({
          status: 'failed',
          failureReason: INTERRUPTED_REASON,
        });
        expect((await after.requests.events(id)).pop()).toMatchObject({
          action: 'failed',
          actor: 'system:aws-environments',
          message: expect.stringContaining('claimed by before-restart'),
        });
        await finishOld();
      });
    });

    it('does not touch a deployment whose claim is still held', async () => {
      const state = new FakeStateReader();
      const deployer = new FakeDeployer(state);
      let release!: () => void;
      deployer.gate = new Promise(resolve => {
        release = resolve;
      });
      const a = await instance({
        state,
        deployer,
        processor: { instanceId: 'a' },
      });
      const b = await instance({
        state,
        deployer,
        migrate: false,
        processor: { instanceId: 'b' },
      });
      const { id } = await a.requests.insert(newPromotion());
      await a.processor.tick();
      await runPass(b.processor);
      expect((await b.requests.get(id))?.status).toBe('deploying');
      release();
      await a.processor.idle();
      expect((await b.requests.get(id))?.status).toBe('succeeded');
      expect(deployer.calls).toHaveLength(1);
    });

    it('renews the claim while a long deployment runs', async () => {
      useFakeRenewalTimer();
      let elapsedMs = 0;
      const start = Date.now();
      const now = () => new Date(start + elapsedMs);
      const state = new FakeStateReader();
      const deployer = new FakeDeployer(state);
      let release!: () => void;
      deployer.gate = new Promise(resolve => {
        release = resolve;
      });
      const a = await instance({
        state,
        deployer,
        processor: { instanceId: 'a', leaseMs: 3000, now },
      });
      const b = await instance({
        state,
        deployer,
        migrate: false,
        processor: { instanceId: 'b', now },
      });
      const renewals = recordRenewals(a.leases);
      const { id } = await a.requests.insert(newPromotion());
      await a.processor.tick();
      await deploymentStarted(deployer);
      // A renewal every second of the deployment, each one settled before
      // the clock moves on.
      for (let i = 0; i < 3; i++) {
        elapsedMs += 1000;
        jest.advanceTimersByTime(1000);
        await settled(renewals);
      }
      expect(renewals.length).toBeGreaterThanOrEqual(3);
      // Past the first lease (3 s) but within the renewed one.
      elapsedMs = 3500;
      await b.processor.tick();
      expect((await b.requests.get(id))?.status).toBe('deploying');
      release();
      await a.processor.idle();
      expect((await b.requests.get(id))?.status).toBe('succeeded');
    });

    it('does not deploy nor write anything when its claim was taken over before the deployment started', async () => {
      const state = new FakeStateReader();
      state.set('qa', 'shop:0.9.0');
      const deployer = new FakeDeployer(state);
      const a = await instance({
        state,
        deployer,
        processor: { instanceId: 'a' },
      });
      // A replica whose clock is past a's lease (a stall or clock skew).
      const b = await instance({
        state,
        deployer,
        migrate: false,
        processor: {
          instanceId: 'b',
          now: () => new Date(Date.now() + DEFAULT_LEASE_MS + 1000),
        },
      });
      const { id } = await a.requests.insert(newPromotion());
      const claim = a.leases.claim.bind(a.leases);
      jest.spyOn(a.leases, 'claim').mockImplementation(async (...args) => {
        const claimed = await claim(...args);
        // a stalls between its claim and the deployment; b takes over and
        // settles the request from the stack, which still runs 0.9.0.
        await b.processor.tick();
        return claimed;
      });
      const writes = [
        jest.spyOn(a.requests, 'addProgress'),
        jest.spyOn(a.requests, 'note'),
        jest.spyOn(a.leases, 'finish'),
      ];

      await a.processor.tick();
      await a.processor.idle();

      expect(deployer.calls).toEqual([]);
      for (const write of writes) {
        expect(write).not.toHaveBeenCalled();
      }
      const details = await a.service.get(id, userCredentials(BOB));
      expect(details.status).toBe('failed');
      expect(
        details.events.filter(e => e.actor === 'a').map(e => e.action),
      ).toEqual(['deploy_started']);
      // The record and the environment agree.
      expect((await state.getEnvironmentState(SHOP, 'qa')).image).toBe(
        'shop:0.9.0',
      );
    });

    it('does not start a renewal while the previous one is still running', async () => {
      useFakeRenewalTimer();
      const state = new FakeStateReader();
      const deployer = new FakeDeployer(state);
      let releaseDeployment!: () => void;
      deployer.gate = new Promise(resolve => {
        releaseDeployment = resolve;
      });
      const a = await instance({
        state,
        deployer,
        processor: { instanceId: 'a', leaseMs: 3000 }, // renewed every second
      });
      const renew = a.leases.renewLease.bind(a.leases);
      let inFlight = 0;
      let maxInFlight = 0;
      let release!: () => void;
      const databaseBack = new Promise<void>(resolve => {
        release = resolve;
      });
      const renewLease = jest
        .spyOn(a.leases, 'renewLease')
        .mockImplementationOnce(renew) // the confirmation before deploying
        .mockImplementation(async (...args) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            await databaseBack; // the database does not answer
            return await renew(...args);
          } finally {
            inFlight -= 1;
          }
        });
      const { id } = await a.requests.insert(newPromotion());

      await a.processor.tick();
      await deploymentStarted(deployer);
      // Three renewal ticks pass while the first renewal hangs.
      for (let i = 0; i < 3; i++) {
        jest.advanceTimersByTime(1000);
        await macrotask();
      }
      expect(renewLease).toHaveBeenCalledTimes(2);
      expect(maxInFlight).toBe(1);
      release();
      releaseDeployment();
      await a.processor.idle();
      expect(maxInFlight).toBe(1);
      expect((await a.requests.get(id))?.status).toBe('succeeded');
    });

    it('keeps an approval across a restart and runs it on the new instance', async () => {
      const first = await instance({ processor: { instanceId: 'first' } });
      first.state.set('qa', 'shop:0.9.0');
      const { id } = await first.service.create(
        { entityRef: SHOP, from: 'qa', to: 'staging' },
        userCredentials(ALICE),
      );
      await first.service.approve(id, undefined, userCredentials(BOB));
      // "Restart": the first instance never runs a pass.

      const second = await instance({
        state: first.state,
        migrate: false,
        processor: { instanceId: 'second' },
      });
      await runPass(second.processor);

      expect(second.deployer.calls).toEqual([
        expect.objectContaining({ promotionId: id, environment: 'staging' }),
      ]);
      expect((await second.requests.get(id))?.status).toBe('succeeded');
    });

    describe('automatic promotion into staging', () => {
      async function qaSucceeded(health: 'healthy' | 'degraded') {
        const h = await instance({ processor: { instanceId: 'p' } });
        h.state.set('test', 'shop:1.0.0');
        h.deployer.healthAfterDeploy = health;
        const qa = await h.service.create(
          { entityRef: SHOP, from: 'test', to: 'qa' },
          userCredentials(ALICE),
        );
        await h.service.approve(qa.id, undefined, userCredentials(BOB));
        await runPass(h.processor);
        expect((await h.requests.get(qa.id))?.status).toBe('succeeded');
        return { h, qa };
      }

      it('requests staging, for review, once qa succeeded and is healthy', async () => {
        const { h, qa } = await qaSucceeded('healthy');

        const [staging] = await h.requests.list({
          entityRefs: [SHOP],
          statuses: ['pending_review'],
          limit: 10,
        });
        expect(staging).toMatchObject({
          from: 'qa',
          to: 'staging',
          image: 'shop:1.0.0',
          status: 'pending_review',
          trigger: 'auto',
          requestedBy: 'system:aws-environments',
          onBehalfOf: ALICE,
          triggeredBy: qa.id,
        });
        expect((await h.requests.events(qa.id)).pop()).toMatchObject({
          action: 'auto_promotion_requested',
          message: `Requested promotion ${staging.id} into staging`,
        });
        expect(h.notifications.send).toHaveBeenCalledWith(
          expect.objectContaining({
            payload: expect.objectContaining({
              title: 'Review: promote shop to staging',
            }),
          }),
        );
        // Settled once: more passes create nothing more.
        await runPass(h.processor);
        expect(
          await h.requests.list({ statuses: ['pending_review'], limit: 10 }),
        ).toHaveLength(1);
      });

      it('waits for qa to become healthy, then requests staging', async () => {
        const { h } = await qaSucceeded('degraded');
        expect(
          await h.requests.list({ statuses: ['pending_review'], limit: 10 }),
        ).toHaveLength(0);

        h.state.set('qa', 'shop:1.0.0', 'healthy');
        await runPass(h.processor);
        expect(
          await h.requests.list({ statuses: ['pending_review'], limit: 10 }),
        ).toEqual([
          expect.objectContaining({ to: 'staging', trigger: 'auto' }),
        ]);
      });

      it('gives up visibly when qa does not become healthy in time', async () => {
        const { h, qa } = await qaSucceeded('degraded');
        const later = await instance({
          state: h.state,
          migrate: false,
          processor: { now: () => new Date(Date.now() + 16 * MINUTE) },
        });
        await runPass(later.processor);
        expect(
          await h.requests.list({ statuses: ['pending_review'], limit: 10 }),
        ).toHaveLength(0);
        expect((await h.requests.events(qa.id)).pop()).toMatchObject({
          action: 'auto_promotion_skipped',
          message: expect.stringContaining(
            'qa was not healthy with shop:1.0.0 in time (health degraded',
          ),
        });
      });

      it('does not promote automatically after test → qa fails', async () => {
        const h = await instance();
        h.deployer.result = { ok: false, reason: 'ROLLBACK' };
        await h.requests.insert(newPromotion());
        await runPass(h.processor);
        await runPass(h.processor);
        expect(await h.requests.list({ limit: 10 })).toHaveLength(1);
      });
    });
  });
});
