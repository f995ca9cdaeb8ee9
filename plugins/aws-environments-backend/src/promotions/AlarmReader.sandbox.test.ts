/*
 * The alarm reader against the AWS sandbox, reached only through
 * AWS_ENDPOINT_URL: alarms are created and forced into states with the
 * real SDK, as an operator's tooling would, and read back by name and prefix.
 */
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { ConfigReader } from '@backstage/config';
import { SandboxEndpoint, startSandboxEndpoint } from '@internal/aws-sandbox';
import { readAwsEnvironments } from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';
import { CloudWatchAlarmReader } from './AlarmReader';
import { seedConfig } from './__testUtils__/promotionFixtures';

jest.setTimeout(60_000);

describe('CloudWatchAlarmReader against the sandbox', () => {
  let sandbox: SandboxEndpoint;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    sandbox = await startSandboxEndpoint();
    cloudwatch = new CloudWatchClient({});
  });

  afterAll(async () => {
    cloudwatch?.destroy();
    await sandbox?.close();
  });

  async function alarm(name: string, state?: 'ALARM' | 'OK') {
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'ServiceName', Value: name }],
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    if (state) {
      await cloudwatch.send(
        new SetAlarmStateCommand({
          AlarmName: name,
          StateValue: state,
          StateReason: 'set by the test',
        }),
      );
    }
  }

  it('names the alarms in ALARM among the given names and prefixes', async () => {
    await alarm('shop-test-latency', 'ALARM');
    await alarm('shop-test-errors', 'OK');
    await alarm('shop-test-new'); // INSUFFICIENT_DATA
    await alarm('shared-5xx', 'ALARM');
    await alarm('other-test-latency', 'ALARM');
    const reader = new CloudWatchAlarmReader({
      clients: AwsClientFactory.fromConfig(new ConfigReader({})),
      environments: readAwsEnvironments(seedConfig()),
    });

    expect(
      await reader.alarmsInAlarm('test', {
        names: ['shared-5xx', 'missing'],
        prefixes: ['shop-test-'],
      }),
    ).toEqual(['shared-5xx', 'shop-test-latency']);
    expect(
      await reader.alarmsInAlarm('test', { names: [], prefixes: ['nope-'] }),
    ).toEqual([]);
    await expect(
      reader.alarmsInAlarm('dev', { names: ['x'], prefixes: [] }),
    ).rejects.toThrow('environment "dev" is not configured');
  });
});
