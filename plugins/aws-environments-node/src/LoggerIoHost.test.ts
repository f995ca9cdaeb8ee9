import { captureLogger } from './__testUtils__/captureLogger';
import { LoggerIoHost } from './LoggerIoHost';

describe('LoggerIoHost', () => {
  const activity = (status: string, completed: number, reason?: string) => ({
    time: new Date(),
    level: 'info' as const,
    action: 'deploy' as const,
    code: 'CDK_TOOLKIT_I5502' as const,
    message: 'ignored',
    data: {
      deployment: 'd',
      event: {
        LogicalResourceId: 'AppService',
        ResourceType: 'AWS::ECS::Service',
        ResourceStatus: status,
        ResourceStatusReason: reason,
      },
      progress: { completed, total: 45, formatted: `${completed}/45` },
    },
  });

  it('logs each resource as "resource N of M" and failures with their reason', async () => {
    const logger = captureLogger();
    const host = new LoggerIoHost(logger, 'qa');
    await host.notify(activity('CREATE_IN_PROGRESS', 3) as any);
    await host.notify(
      activity('CREATE_FAILED', 4, 'Circuit breaker triggered') as any,
    );
    expect(logger.lines).toEqual([
      'info qa: resource 3 of 45: AppService (AWS::ECS::Service) CREATE_IN_PROGRESS',
      'error qa: resource 4 of 45: AppService (AWS::ECS::Service) CREATE_FAILED: Circuit breaker triggered',
    ]);
    expect(host.failures).toEqual([
      {
        logicalId: 'AppService',
        resourceType: 'AWS::ECS::Service',
        status: 'CREATE_FAILED',
        reason: 'Circuit breaker triggered',
        timestamp: undefined,
      },
    ]);
  });

  it('passes errors and warnings through, strips colours, answers requests with the default', async () => {
    const logger = captureLogger();
    const host = new LoggerIoHost(logger, 'test');
    const base = { time: new Date(), action: 'deploy' as const, data: {} };
    await host.notify({
      ...base,
      level: 'error',
      message: '\u001b[31mboom\u001b[39m',
    });
    await host.notify({ ...base, level: 'warn', message: 'careful' });
    await host.notify({ ...base, level: 'trace', message: 'chatter' });
    const answer = await host.requestResponse({
      ...base,
      level: 'info',
      code: 'CDK_TOOLKIT_I5060',
      message: 'Do you wish to deploy these changes',
      defaultResponse: true,
    });
    expect(answer).toBe(true);
    expect(logger.lines.slice(0, 3)).toEqual([
      'error test: boom',
      'warn test: careful',
      'debug test: chatter',
    ]);
  });
});
