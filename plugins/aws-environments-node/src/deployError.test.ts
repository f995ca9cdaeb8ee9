import {
  cleanErrorText,
  deployFailureReason,
  StackDeployError,
} from './deployError';

/** What toolkit-lib 1.x throws when a resource fails and the stack rolls back. */
const TOOLKIT_MESSAGE = [
  '\u001b[1m❌  shop-app-qa\u001b[22m failed: DeploymentError: Resource updates failed:',
  'shop-app-qa/App/TaskDefinition/Resource  (AWS::ECS::TaskDefinition AppTaskDefinition1A2B3C4D)',
  '  Simulated: image manifest not found',
  'Source Location: ...new TaskDefinition in aws-cdk-lib...',
  '                 new ServiceConstruct (/work/repo/packages/infra/src/service.ts:74:20)',
  '                 /work/repo/packages/infra/src/synth.ts:77 (:)',
  '                 Array.map (:)',
  '                 ...Toolkit.deploy in @aws-cdk/toolkit-lib...',
  '',
  '   ⚠️ Task stopped: CannotPullContainerError',
  '   Logs: https://console.aws.amazon.com/cloudwatch/home#logsV2:log-groups',
  '    at DeployStackAction.run (/work/repo/node_modules/@aws-cdk/toolkit-lib/lib/api/deployments/deploy-stack.js:312:15)',
  '    at async Toolkit.deploy (node:internal/process/task_queues:105:5)',
].join('\n');

/** No file path, emoji, ANSI escape, source location or stack frame. */
function expectClean(text: string) {
  expect(text).not.toMatch(/\/work\/|node_modules|\.(?:[cm]?[jt]s):\d+/);
  expect(text).not.toMatch(/\p{Extended_Pictographic}/u);
  expect(text).not.toContain('\u001b');
  expect(text).not.toContain('Source Location');
  expect(text).not.toMatch(/^\s*at /m);
}

describe('cleanErrorText', () => {
  it('keeps the reasons and drops emoji, colours, source locations and stack traces', () => {
    const cleaned = cleanErrorText(TOOLKIT_MESSAGE);
    expect(cleaned).toBe(
      [
        'shop-app-qa failed: DeploymentError: Resource updates failed:',
        'shop-app-qa/App/TaskDefinition/Resource  (AWS::ECS::TaskDefinition AppTaskDefinition1A2B3C4D)',
        '  Simulated: image manifest not found',
        '',
        '   Task stopped: CannotPullContainerError',
        '   Logs: https://console.aws.amazon.com/cloudwatch/home#logsV2:log-groups',
      ].join('\n'),
    );
    expectClean(cleaned);
  });

  it('names a source file by its base name, and leaves parameter names and ARNs alone', () => {
    expect(
      cleanErrorText(
        'Cannot read /tmp/aws-env-x/cdk.out/manifest.json; /shop-app/qa/app-secret and arn:aws:iam::000000000000:role/a/b unchanged',
      ),
    ).toBe(
      'Cannot read manifest.json; /shop-app/qa/app-secret and arn:aws:iam::000000000000:role/a/b unchanged',
    );
  });
  it('keeps reason lines that start with "at"', () => {
    const reasons = [
      'Invalid request provided: CreateService error:',
      'at least one subnet must be specified',
      '  at most 32 characters are allowed in a target group name',
      'at 12:00 the stack was still UPDATE_IN_PROGRESS (see the logs)',
    ].join('\n');
    expect(cleanErrorText(reasons)).toBe(reasons);
  });

  it('leaves URLs intact', () => {
    const text = [
      'Template https://s3.amazonaws.com/bucket/abc.json not found',
      'Asset s3://cdk-assets-000000000000/a/b.json, see http://localhost:4566/x/y.ts',
      'file file:///work/repo/cdk.out/manifest.json is missing',
    ].join('\n');
    expect(cleanErrorText(text)).toBe(
      [
        'Template https://s3.amazonaws.com/bucket/abc.json not found',
        'Asset s3://cdk-assets-000000000000/a/b.json, see http://localhost:4566/x/y.ts',
        'file manifest.json is missing',
      ].join('\n'),
    );
  });

  it('drops the stack frames and Source Location blocks Node and toolkit-lib print', () => {
    const cleaned = cleanErrorText(
      [
        'Error: boom',
        '    at Object.handler (/work/x/y.ts:1:2)',
        '    at async run (/x/node_modules/p-queue/dist/index.js:163:29)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:103:5)',
        '    at /work/x/z.js:10:3',
        '    at Array.map (<anonymous>)',
        '    at async Promise.all (index 0)',
        '    at <anonymous>',
        'Source Location: new Bucket (/work/repo/packages/infra/src/app.ts:3:4)',
        '                 /work/repo/packages/infra/src/synth.ts:77 (:)',
        'done',
      ].join('\n'),
    );
    expect(cleaned).toBe('Error: boom\ndone');
    expectClean(cleaned);
  });
});

describe('StackDeployError', () => {
  const cause = Object.assign(new Error(TOOLKIT_MESSAGE), {
    name: 'DeploymentError',
  });

  it('names the stack and the failing resources, causes first, each once; keeps the cause', () => {
    const cancelled = {
      logicalId: 'AppService',
      resourceType: 'AWS::ECS::Service',
      status: 'UPDATE_FAILED',
      reason: 'Resource update cancelled',
    };
    const failing = {
      logicalId: 'AppTaskDefinition1A2B3C4D',
      resourceType: 'AWS::ECS::TaskDefinition',
      status: 'UPDATE_FAILED',
      reason: 'Simulated: image manifest not found',
    };
    const error = new StackDeployError(
      'shop-app-qa',
      [failing, failing, cancelled].sort((a, b) =>
        a.reason.localeCompare(b.reason),
      ),
      cause,
    );
    expect(error.message).toBe(
      [
        'shop-app-qa failed:',
        'AppTaskDefinition1A2B3C4D (AWS::ECS::TaskDefinition) UPDATE_FAILED: Simulated: image manifest not found',
        'AppService (AWS::ECS::Service) UPDATE_FAILED: Resource update cancelled',
      ].join('\n'),
    );
    expect(error.cause).toBe(cause);
    expect(deployFailureReason(error)).toBe(
      error.message.replace('shop-app-qa failed:\n', ''),
    );
  });

  it('without failing resources, gives the toolkit text cleaned and without its prefix', () => {
    const error = new StackDeployError('shop-app-qa', [], cause);
    expect(error.message).toMatch(
      /^shop-app-qa failed:\nResource updates failed:\nshop-app-qa\/App\/TaskDefinition\/Resource {2}\(AWS::ECS::TaskDefinition AppTaskDefinition1A2B3C4D\)\n {2}Simulated: image manifest not found\n/,
    );
    expectClean(error.message);
  });

  it('deployFailureReason cleans any other error too', () => {
    expect(deployFailureReason(new Error('\u001b[31m❌ boom\u001b[39m'))).toBe(
      'boom',
    );
    expect(deployFailureReason('plain')).toBe('plain');
  });
});
