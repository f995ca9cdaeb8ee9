import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeployOutcome,
  DeployRequest,
  EnvironmentDeployer,
  StackDiffSummary,
  StackRequest,
} from '@envplane/plugin-aws-environments-node';

/** The seed's four environments, as in app-config.yaml. */
export const SEED_CONFIG = {
  awsEnvironments: {
    environments: [
      ['test', 'Test', '10.3.0.0/16', 'manual', false],
      ['qa', 'QA', '10.1.0.0/16', 'manual', true],
      ['staging', 'Staging', '10.2.0.0/16', 'auto', true],
      ['prod', 'Production', '10.0.0.0/16', 'manual', true],
    ].map(([name, title, vpcCidr, trigger, reviewRequired]) => ({
      name,
      title,
      accountId: '000000000000',
      region: 'us-east-1',
      vpcCidr,
      promotion: { trigger, reviewRequired },
    })),
    provisioning: { concurrency: 2, pollIntervalMs: 0 },
  },
};

export function seedConfig(extra: object = {}) {
  return new ConfigReader({ ...SEED_CONFIG, ...extra });
}

/** Records every request for credentials, so tests can prove there was none. */
export function fakeCredentialsManager() {
  const calls: unknown[] = [];
  const manager: AwsCredentialsManager = {
    async getCredentialProvider(opts) {
      calls.push(opts);
      return {
        accountId: opts?.accountId,
        sdkCredentialProvider: async () => ({
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'not-a-real-key',
        }),
      };
    },
  };
  return { manager, calls };
}

export interface CapturedLogger extends LoggerService {
  lines: string[];
}

/** A logger that keeps every line (and its metadata) as text. */
export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string, meta?: unknown) => {
    lines.push(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  };
  const logger: CapturedLogger = {
    lines,
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    child: () => logger,
  };
  return logger;
}

/** A deployer double at the boundary the actions own. */
export class FakeDeployer implements EnvironmentDeployer {
  readonly deployed: DeployRequest[] = [];
  readonly diffed: StackRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failFor = new Map<string, Error>();
  /** Called while "deploying", e.g. to switch the CloudFormation mock. */
  onDeploy?: (request: DeployRequest) => void;

  async deploy(request: DeployRequest): Promise<DeployOutcome> {
    this.deployed.push(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise(resolve => setTimeout(resolve, 5));
      this.onDeploy?.(request);
      request.logger.info(
        `${request.environment.name}: resource 1 of 1: fake (AWS::Fake) CREATE_COMPLETE`,
      );
      const failure = this.failFor.get(request.environment.name);
      if (failure) throw failure;
      return {
        stackArn: `arn:aws:cloudformation:us-east-1:000000000000:stack/${request.stackName}/1`,
        outputs: {},
      };
    } finally {
      this.inFlight -= 1;
    }
  }

  async diff(request: StackRequest): Promise<StackDiffSummary> {
    this.diffed.push(request);
    return {
      stackExists: true,
      counts: { add: 1, remove: 0, update: 2, replace: 0 },
      changes: [
        {
          logicalId: 'LoadBalancerAlb',
          resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          change: 'add',
        },
      ],
      iamChanges: false,
      securityGroupChanges: true,
    };
  }
}

/**
 * A permissions service that gives every request the same decision and
 * records them. Results are AuthorizeResult's string values (the module
 * does not depend on @backstage/plugin-permission-common).
 */
export function fakePermissions(result: 'ALLOW' | 'DENY') {
  const authorize = jest.fn(async (requests: unknown[], _options: unknown) =>
    requests.map(() => ({ result })),
  );
  const service = {
    authorize,
    authorizeConditional: jest.fn(async () => {
      throw new Error('not expected: the permissions used here are basic');
    }),
  } as unknown as PermissionsService;
  return { service, authorize };
}

export function actionContext<TInput extends Record<string, any>>(opts: {
  input: TInput;
  logger: LoggerService;
  secrets?: Record<string, string>;
  isDryRun?: boolean;
  initiator?: BackstageCredentials;
}): ActionContext<any> & { output: jest.Mock } {
  const workspacePath = mkdtempSync(join(tmpdir(), 'aws-env-action-'));
  const base = createMockActionContext({
    input: opts.input,
    secrets: opts.secrets,
    workspacePath,
  });
  // createMockActionContext takes neither a LoggerService nor isDryRun.
  // (test-utils resolves its own copy of scaffolder-node, hence the cast.)
  return {
    ...base,
    logger: opts.logger,
    isDryRun: opts.isDryRun,
    ...(opts.initiator && {
      getInitiatorCredentials: async () => opts.initiator,
    }),
  } as unknown as ActionContext<any> & { output: jest.Mock };
}
