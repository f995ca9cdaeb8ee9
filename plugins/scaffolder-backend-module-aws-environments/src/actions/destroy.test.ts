import {
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { DeleteParametersCommand } from '@aws-sdk/client-ssm';
import { mockCredentials } from '@backstage/backend-test-utils';
import { mockAws, ourTags, stackMissing } from '../__testUtils__/awsMocks';
import {
  actionContext,
  captureLogger,
  fakeCredentialsManager,
  fakePermissions,
  seedConfig,
} from '../__testUtils__/fixtures';
import { createDestroyAction } from './destroy';

describe('aws:environments:destroy', () => {
  let aws: ReturnType<typeof mockAws>;
  let credentials: ReturnType<typeof fakeCredentialsManager>;
  let permissions: ReturnType<typeof fakePermissions>;

  beforeEach(() => {
    aws = mockAws();
    credentials = fakeCredentialsManager();
    permissions = fakePermissions('ALLOW');
  });
  afterEach(() => aws.reset());

  const action = () =>
    createDestroyAction({
      config: seedConfig(),
      credentialsManager: credentials.manager,
      permissions: permissions.service,
    });

  const alice = mockCredentials.user('user:default/alice');

  it.each([
    ['confirm', { environments: ['prod'] }],
    ['confirm', { environments: ['test', 'prod'], confirm: 'devops-app-test' }],
    ['confirm', { environments: ['prod'], confirm: 'prod' }],
    ['project', { project: 'Nope!', environments: ['test'] }],
    ['environments', { environments: [] }],
    ['environments', { environments: ['dev'] }],
  ] as Array<[string, object]>)(
    'rejects %s before any AWS call (%j)',
    async (field, override) => {
      const ctx = actionContext({
        input: { project: 'devops-app', ...override },
        logger: captureLogger(),
      });
      await expect(action().handler(ctx as any)).rejects.toThrow(
        new RegExp(`(^|[ ;])${field}(\\.\\d+)?: `),
      );
      expect(aws.cfn.calls()).toHaveLength(0);
      expect(aws.ssm.calls()).toHaveLength(0);
      expect(credentials.calls).toHaveLength(0);
      expect(permissions.authorize).not.toHaveBeenCalled();
    },
  );

  describe('permission aws.environments.destroy', () => {
    const destroyProd = (isDryRun = false) =>
      actionContext({
        input: {
          project: 'devops-app',
          environments: ['test', 'prod'],
          confirm: 'devops-app-prod',
        },
        logger: captureLogger(),
        initiator: alice,
        isDryRun,
      });

    beforeEach(() => {
      aws.putStack('devops-app-test', 'CREATE_COMPLETE', {
        Tags: ourTags('devops-app', 'test'),
      });
      aws.putStack('devops-app-prod', 'CREATE_COMPLETE', {
        Tags: ourTags('devops-app', 'prod'),
      });
      aws.parameters.set('/devops-app/prod/app-secret', { value: 's' });
    });

    it("is asked for once, with the initiator's credentials, when a protected environment is selected", async () => {
      await action().handler(destroyProd() as any);
      expect(permissions.authorize).toHaveBeenCalledTimes(1);
      const [requests, opts] = permissions.authorize.mock.calls[0];
      expect(requests).toEqual([
        {
          permission: expect.objectContaining({
            name: 'aws.environments.destroy',
            type: 'basic',
          }),
        },
      ]);
      expect(opts).toEqual({ credentials: alice });
      expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(2);
      expect(aws.stacks.size).toBe(0);
    });

    it.each([false, true])(
      'denied: fails naming the permission and makes no AWS call (dry run %s)',
      async isDryRun => {
        permissions = fakePermissions('DENY');
        const error = await action()
          .handler(destroyProd(isDryRun) as any)
          .catch(e => e);
        expect(error.name).toBe('NotAllowedError');
        expect(error.message).toBe(
          'You may not destroy the protected environment prod of devops-app: the permission aws.environments.destroy was denied to user:default/alice',
        );
        expect(error.stack).toBe(`NotAllowedError: ${error.message}`);
        expect(aws.cfn.calls()).toHaveLength(0);
        expect(aws.ssm.calls()).toHaveLength(0);
        expect(credentials.calls).toHaveLength(0);
        expect(aws.stacks.size).toBe(2);
        expect(aws.parameters.size).toBe(1);
      },
    );

    it('is not needed for unprotected environments', async () => {
      permissions = fakePermissions('DENY');
      await action().handler(
        actionContext({
          input: { project: 'devops-app', environments: ['test'] },
          logger: captureLogger(),
          initiator: alice,
        }) as any,
      );
      expect(permissions.authorize).not.toHaveBeenCalled();
      expect(aws.stacks.has('devops-app-test')).toBe(false);
      expect(aws.stacks.has('devops-app-prod')).toBe(true);
    });
  });

  it('deletes the stacks, waits for them and removes the parameters under the path', async () => {
    aws.putStack('devops-app-test', 'CREATE_COMPLETE', {
      Tags: ourTags('devops-app', 'test'),
    });
    aws.putStack('devops-app-prod', 'CREATE_COMPLETE', {
      Tags: ourTags('devops-app', 'prod'),
    });
    aws.parameters.set('/devops-app/test/app-secret', { value: 's' });
    aws.parameters.set('/devops-app/test/db-url', { value: 'u' });
    aws.parameters.set('/devops-app/prod/app-secret', { value: 's' });
    aws.parameters.set('/devops-app/qa/app-secret', { value: 'kept' });
    aws.parameters.set('/devops-app-2/test/app-secret', {
      value: 'other project',
    });

    const logger = captureLogger();
    const ctx = actionContext({
      input: {
        project: 'devops-app',
        environments: ['test', 'prod'],
        confirm: 'devops-app-prod',
      },
      logger,
    });
    await action().handler(ctx as any);

    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(2);
    expect(aws.stacks.size).toBe(0);
    expect([...aws.parameters.keys()].sort()).toEqual([
      '/devops-app-2/test/app-secret',
      '/devops-app/qa/app-secret',
    ]);
    expect(aws.ssm.commandCalls(DeleteParametersCommand)).toHaveLength(2);
    const [output] = (ctx.output as jest.Mock).mock.calls;
    expect(output[0]).toBe('environments');
    expect(output[1]).toEqual([
      {
        name: 'test',
        stackName: 'devops-app-test',
        stackExisted: true,
        deletedParameters: [
          '/devops-app/test/app-secret',
          '/devops-app/test/db-url',
        ],
      },
      {
        name: 'prod',
        stackName: 'devops-app-prod',
        stackExisted: true,
        deletedParameters: ['/devops-app/prod/app-secret'],
      },
    ]);
  });

  it('reports a failed deletion with its reasons', async () => {
    const stack = aws.putStack('devops-app-test', 'CREATE_COMPLETE', {
      Tags: ourTags('devops-app', 'test'),
    });
    aws.cfn.on(DeleteStackCommand).callsFake(() => {
      aws.putStack('devops-app-test', 'DELETE_FAILED', {
        StackId: stack.StackId,
        StackStatusReason: 'The following resource(s) failed to delete: [Vpc]',
      });
      aws.addEvents('devops-app-test', {
        LogicalResourceId: 'Vpc',
        ResourceType: 'AWS::EC2::VPC',
        ResourceStatus: 'DELETE_FAILED',
        ResourceStatusReason: 'The vpc has dependencies and cannot be deleted.',
      });
      return {};
    });
    const error = await action()
      .handler(
        actionContext({
          input: { project: 'devops-app', environments: ['test'] },
          logger: captureLogger(),
        }) as any,
      )
      .catch(e => e);
    expect(error.message).toContain(
      'Vpc (AWS::EC2::VPC) DELETE_FAILED: The vpc has dependencies and cannot be deleted.',
    );
  });

  it('cleans parameters even when the stack is already gone, and refuses foreign stacks', async () => {
    aws.parameters.set('/devops-app/test/app-secret', { value: 's' });
    aws.putStack('devops-app-qa', 'CREATE_COMPLETE', {
      Tags: [{ Key: 'Project', Value: 'not-ours' }],
    });
    const error = await action()
      .handler(
        actionContext({
          input: { project: 'devops-app', environments: ['test', 'qa'] },
          logger: captureLogger(),
        }) as any,
      )
      .catch(e => e);
    expect(aws.parameters.size).toBe(0);
    expect(error.message).toMatch(/qa: .*refusing to change it/);
    expect(aws.stacks.has('devops-app-qa')).toBe(true);
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('dry run deletes nothing', async () => {
    aws.putStack('devops-app-test', 'CREATE_COMPLETE', {
      Tags: ourTags('devops-app', 'test'),
    });
    const logger = captureLogger();
    await action().handler(
      actionContext({
        input: { project: 'devops-app', environments: ['test'] },
        logger,
        isDryRun: true,
      }) as any,
    );
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
    expect(aws.cfn.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(logger.lines.join('\n')).toMatch(
      /would delete stack devops-app-test/,
    );
  });

  it('treats a missing stack as nothing to delete', async () => {
    aws.cfn.on(DescribeStacksCommand).rejects(stackMissing('devops-app-test'));
    await action().handler(
      actionContext({
        input: { project: 'devops-app', environments: ['test'] },
        logger: captureLogger(),
      }) as any,
    );
    expect(aws.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });
});
