/*
 * The cost estimate at the start of a provisioning run and in the dry
 * run's output; provision.test.ts covers the rest of the action.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { CostEstimateRequest } from '@envplane/plugin-aws-environments-common';
import { mockAws, ourTags } from '../__testUtils__/awsMocks';
import { ESTIMATE } from '../__testUtils__/costFixtures';
import {
  actionContext,
  captureLogger,
  fakeCredentialsManager,
  FakeDeployer,
  seedConfig,
} from '../__testUtils__/fixtures';
import { CostEstimateReader } from '../provisioning/costEstimate';
import { createProvisionAction } from './provision';

const INPUT = {
  project: 'devops-app',
  owner: 'group:default/devops-team',
  environments: ['test', 'staging'],
  image: 'public.ecr.aws/docker/library/python:3.12-slim',
  loadBalancer: true,
  minCapacity: 1,
  maxCapacity: 10,
};
const INITIATOR = mockCredentials.user('user:default/jane');

describe('aws:environments:provision cost estimate', () => {
  let aws: ReturnType<typeof mockAws>;
  let deployer: FakeDeployer;

  beforeEach(() => {
    aws = mockAws();
    deployer = new FakeDeployer();
    deployer.onDeploy = request =>
      aws.putStack(request.stackName, 'CREATE_COMPLETE', {
        Tags: ourTags('devops-app', request.environment.name),
      });
  });
  afterEach(() => aws.reset());

  function run(costEstimates: CostEstimateReader, isDryRun: boolean) {
    const logger = captureLogger();
    const ctx = actionContext({
      input: INPUT,
      logger,
      isDryRun,
      initiator: INITIATOR,
    });
    const action = createProvisionAction({
      config: seedConfig(),
      credentialsManager: fakeCredentialsManager().manager,
      deployer,
      costEstimates,
    });
    return { logger, ctx, done: action.handler(ctx as any) };
  }

  it("dry run: outputs the estimate and logs it first, asked for the action's inputs as the initiator", async () => {
    const asked: Array<[CostEstimateRequest, unknown]> = [];
    const { logger, ctx, done } = run(async (request, { credentials }) => {
      asked.push([request, credentials]);
      return ESTIMATE;
    }, true);
    await done;
    expect(asked).toEqual([
      [
        {
          environments: ['test', 'staging'],
          desiredCount: 1,
          minCapacity: 1,
          maxCapacity: 10,
          loadBalancer: true,
        },
        INITIATOR,
      ],
    ]);
    expect(ctx.output).toHaveBeenCalledWith('costEstimate', ESTIMATE);
    expect(logger.lines.slice(0, 5).map(l => l.split(' ')[1])).toEqual([
      'Cost',
      '',
      '',
      '',
      '',
    ]);
    expect(logger.lines[0]).toContain('an estimate, not a quote');
    expect(logger.lines[0]).toContain('2026-12-01');
    expect(logger.lines[5]).toMatch(/^info test: stack devops-app-test has/);
    expect(deployer.deployed).toHaveLength(0);
  });

  it('provisioning: the estimate is the first lines of the log', async () => {
    const { logger, done } = run(async () => ESTIMATE, false);
    await done;
    expect(logger.lines[0]).toMatch(/^info Cost estimate \(USD a month/);
    expect(logger.lines[1]).toMatch(/^info {3}test \(us-east-1\): \$153\.16/);
    expect(deployer.deployed.map(d => d.stackName)).toEqual([
      'devops-app-test',
      'devops-app-staging',
    ]);
  });

  it('says in one line when prices cannot be read, and provisions anyway', async () => {
    const { logger, ctx, done } = run(async () => {
      throw new Error('the aws-environments backend answered 503');
    }, false);
    await done;
    expect(logger.lines[0]).toBe(
      'warn Cost estimate: prices could not be read (the aws-environments backend answered 503); provisioning goes on.',
    );
    expect(logger.lines.filter(l => l.includes('Cost estimate'))).toHaveLength(
      1,
    );
    expect(ctx.output).not.toHaveBeenCalledWith(
      'costEstimate',
      expect.anything(),
    );
    expect(deployer.deployed).toHaveLength(2);
  });
});
