/*
 * Two accounts end to end (issue 16): one project's test environment in
 * account 111111111111 and its prod environment in 222222222222,
 * provisioned in one run of the real action (toolkit-lib deployer, SSM
 * writes) with credentials from the `aws` config section:
 * @backstage/integration-aws-node assumes
 * arn:aws:iam::<account>:role/<aws.accountDefaults.roleName> through STS at
 * the sandbox, which accepts only those two roles. The sandbox is reached
 * only through AWS_ENDPOINT_URL. Reading the two accounts back through the
 * status route is the backend plugin's accounts.sandbox.test.ts.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import { createProvisionAction } from './actions/provision';
import { actionContext, captureLogger } from './__testUtils__/fixtures';

jest.setTimeout(120_000);

const PROJECT = 'devops-app';
const ROLE_NAME = 'backstage-aws-environments';
const ACCOUNTS: Record<string, string> = {
  test: '111111111111',
  prod: '222222222222',
};
/** The sandbox's account of any key that did not come from AssumeRole. */
const DEFAULT_ACCOUNT = '000000000000';
const roleArn = (accountId: string) =>
  `arn:aws:iam::${accountId}:role/${ROLE_NAME}`;
const CANARY = 'sandbox-canary-accounts-9e3a61';

/**
 * What an account should hold of an environment: its stack and secret if
 * the environment is configured there, else AWS's not-found answers.
 */
function holding(accountId: string, environment: string) {
  const stackName = `${PROJECT}-${environment}`;
  const secretName = `/${PROJECT}/${environment}/app-secret`;
  if (accountId !== ACCOUNTS[environment]) {
    return {
      stack: `ValidationError: Stack with id ${stackName} does not exist`,
      secret: expect.stringMatching(/^ParameterNotFound: /),
    };
  }
  return {
    stack: [
      {
        id: expect.stringMatching(
          new RegExp(
            `^arn:aws:cloudformation:us-east-1:${accountId}:stack/${stackName}/`,
          ),
        ),
        status: 'CREATE_COMPLETE',
      },
    ],
    secret: {
      arn: `arn:aws:ssm:us-east-1:${accountId}:parameter${secretName}`,
      type: 'SecureString',
      isCanary: true,
    },
  };
}

/** An AWS error as `<name>: <message>`, for comparing answers. */
const failure = (error: Error) => `${error.name}: ${error.message}`;

const config = new ConfigReader({
  aws: {
    // Static keys of the backend's own identity; the sandbox takes any.
    mainAccount: { accessKeyId: 'AKIDBACKSTAGE', secretAccessKey: 'sandbox' },
    accountDefaults: { roleName: ROLE_NAME },
  },
  awsEnvironments: {
    environments: ['test', 'prod'].map((name, i) => ({
      name,
      title: name,
      accountId: ACCOUNTS[name],
      region: 'us-east-1',
      vpcCidr: `10.${i}.0.0/16`,
      promotion: { trigger: 'manual', reviewRequired: name === 'prod' },
    })),
    // Both at once, each with its own account's credentials.
    provisioning: { concurrency: 2, pollIntervalMs: 50 },
  },
});

describe('aws:environments:provision into two accounts against the sandbox', () => {
  let sandbox: SandboxEndpoint;
  beforeAll(async () => {
    sandbox = await startSandboxEndpoint({
      resourceDelayMs: 2,
      roles: Object.values(ACCOUNTS).map(roleArn),
      workDirPrefix: 'aws-env-provision-accounts-',
    });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  /**
   * Clients of one account, signed with credentials this test assumes
   * itself (not through the code under test); the default account's with
   * the sandbox's ordinary key.
   */
  async function clientsOf(accountId: string) {
    let credentials;
    if (accountId !== DEFAULT_ACCOUNT) {
      const { Credentials } = await new STSClient({}).send(
        new AssumeRoleCommand({
          RoleArn: roleArn(accountId),
          RoleSessionName: 'provision-accounts-test',
        }),
      );
      credentials = {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      };
    }
    return {
      cloudFormation: new CloudFormationClient({ credentials }),
      ssm: new SSMClient({ credentials }),
    };
  }

  it("creates each environment's stack and secret in its own account, and in no other", async () => {
    const logger = captureLogger();
    const ctx = actionContext({
      input: {
        project: PROJECT,
        owner: 'group:default/devops-team',
        environments: ['test', 'prod'],
        confirmProd: true,
        image: 'public.ecr.aws/docker/library/python:3.12-slim',
      },
      secrets: { appSecret: CANARY },
      logger,
    });
    const action = createProvisionAction({
      config,
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
    });
    try {
      await action.handler(ctx);
    } catch (error) {
      throw new Error(`${error}\n--- log ---\n${logger.lines.join('\n')}`);
    }
    const outputs = Object.fromEntries(ctx.output.mock.calls);
    expect(
      outputs.environments.map((e: any) => [e.name, e.status, e.accountId]),
    ).toEqual([
      ['test', 'CREATE_COMPLETE', ACCOUNTS.test],
      ['prod', 'CREATE_COMPLETE', ACCOUNTS.prod],
    ]);

    // What each account holds of each environment: the stack and the
    // secret in their own account, nothing of them anywhere else.
    const found: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const accountId of [ACCOUNTS.test, ACCOUNTS.prod, DEFAULT_ACCOUNT]) {
      const { cloudFormation, ssm } = await clientsOf(accountId);
      for (const environment of ['test', 'prod']) {
        const stackName = `${PROJECT}-${environment}`;
        const secretName = `/${PROJECT}/${environment}/app-secret`;
        const key = `${environment} in ${accountId}`;
        found[key] = {
          stack: await cloudFormation
            .send(new DescribeStacksCommand({ StackName: stackName }))
            .then(
              ({ Stacks }) =>
                Stacks?.map(s => ({ id: s.StackId, status: s.StackStatus })),
              failure,
            ),
          secret: await ssm
            .send(
              new GetParameterCommand({
                Name: secretName,
                WithDecryption: true,
              }),
            )
            .then(
              ({ Parameter }) => ({
                arn: Parameter?.ARN,
                type: Parameter?.Type,
                isCanary: Parameter?.Value === CANARY,
              }),
              failure,
            ),
        };
        expected[key] = holding(accountId, environment);
      }
    }
    expect(found).toEqual(expected);
    expect(logger.lines.join('\n')).not.toContain(CANARY);
  });
});
