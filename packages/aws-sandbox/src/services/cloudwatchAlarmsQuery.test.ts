/*
 * CloudWatch alarms over awsQuery, as the AWS CLI and SDK v2 call them:
 * hand-built forms (members as in botocore's cloudwatch/2010-08-01 model)
 * and XML answers, checked against what the JSON protocol returns.
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import { useSandbox } from '../__testUtils__/sandbox';
import { all, one, queryRequest, text } from '../__testUtils__/query';

const V = { Version: '2010-08-01' };

describe('CloudWatch alarms over the query protocol', () => {
  const t = useSandbox();
  const cw = (params: Record<string, string | number | boolean>) =>
    queryRequest(t.sb, 'monitoring', { ...V, ...params });
  const alarm = (name: string, extra: Record<string, string> = {}) =>
    cw({
      Action: 'PutMetricAlarm',
      AlarmName: name,
      Namespace: 'App/Query',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: '60',
      EvaluationPeriods: '2',
      Threshold: '80.5',
      ComparisonOperator: 'GreaterThanThreshold',
      ...extra,
    });
  const describedNames = async (params: Record<string, string>) => {
    const res = await cw({ Action: 'DescribeAlarms', ...params });
    expect(res.status).toBe(200);
    return all(res.xml, 'DescribeAlarmsResult', 'MetricAlarms', 'member').map(
      m => text(m, 'AlarmName'),
    );
  };

  it('creates an alarm from a typed form and describes it in XML, like the JSON protocol', async () => {
    const put = await alarm('q-errors', {
      ActionsEnabled: 'false',
      DatapointsToAlarm: '1',
      TreatMissingData: 'notBreaching',
      'Dimensions.member.1.Name': 'Shop',
      'Dimensions.member.1.Value': 'north',
      'AlarmActions.member.1': 'arn:aws:sns:us-east-1:000000000000:ops',
    });
    expect(put.status).toBe(200);
    expect(put.xml.name).toBe('PutMetricAlarmResponse');
    expect(put.xml.children.map(c => c.name)).toEqual(['ResponseMetadata']);

    const res = await cw({
      Action: 'DescribeAlarms',
      'AlarmNames.member.1': 'q-errors',
    });
    expect(res.status).toBe(200);
    const result = one(res.xml, 'DescribeAlarmsResult');
    expect(one(result, 'CompositeAlarms').children).toEqual([]);
    const m = one(result, 'MetricAlarms', 'member');
    expect(text(m, 'AlarmArn')).toBe(
      'arn:aws:cloudwatch:us-east-1:000000000000:alarm:q-errors',
    );
    expect(text(m, 'Threshold')).toBe('80.5');
    expect(text(m, 'Period')).toBe('60');
    expect(text(m, 'EvaluationPeriods')).toBe('2');
    expect(text(m, 'ActionsEnabled')).toBe('false');
    expect(text(m, 'StateValue')).toBe('INSUFFICIENT_DATA');
    expect(text(m, 'StateUpdatedTimestamp')).toBe(
      new Date(t.sb.clock.now()).toISOString(),
    );
    expect(all(m, 'AlarmActions', 'member').map(n => n.text)).toEqual([
      'arn:aws:sns:us-east-1:000000000000:ops',
    ]);
    expect(one(m, 'OKActions').children).toEqual([]);
    expect(text(m, 'Dimensions', 'member', 'Value')).toBe('north');

    const json = await new CloudWatchClient(t.config).send(
      new DescribeAlarmsCommand({ AlarmNames: ['q-errors'] }),
    );
    expect(json.MetricAlarms![0]).toMatchObject({
      Threshold: 80.5,
      ActionsEnabled: false,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      Dimensions: [{ Name: 'Shop', Value: 'north' }],
    });
  });

  it('sets state, filters, pages and deletes', async () => {
    await alarm('q-page-1');
    await alarm('q-page-2');
    const set = await cw({
      Action: 'SetAlarmState',
      AlarmName: 'q-page-2',
      StateValue: 'ALARM',
      StateReason: 'From the CLI',
    });
    expect(set.status).toBe(200);
    expect(set.xml.children.map(c => c.name)).toEqual(['ResponseMetadata']);
    expect(
      await describedNames({ AlarmNamePrefix: 'q-page-', StateValue: 'ALARM' }),
    ).toEqual(['q-page-2']);

    const first = await cw({
      Action: 'DescribeAlarms',
      AlarmNamePrefix: 'q-page-',
      MaxRecords: 1,
    });
    const token = text(first.xml, 'DescribeAlarmsResult', 'NextToken');
    expect(
      await describedNames({
        AlarmNamePrefix: 'q-page-',
        MaxRecords: '1',
        NextToken: token,
      }),
    ).toEqual(['q-page-2']);

    const deleted = await cw({
      Action: 'DeleteAlarms',
      'AlarmNames.member.1': 'q-page-1',
      'AlarmNames.member.2': 'q-page-2',
    });
    expect(deleted.status).toBe(200);
    expect(await describedNames({ AlarmNamePrefix: 'q-page-' })).toEqual([]);
  });

  it('answers errors as <ErrorResponse> with the query codes', async () => {
    const error = async (
      params: Record<string, string>,
    ): Promise<[number, string, string]> => {
      const res = await cw(params);
      expect(res.xml.name).toBe('ErrorResponse');
      return [
        res.status,
        text(res.xml, 'Error', 'Code'),
        text(res.xml, 'Error', 'Message'),
      ];
    };
    expect(
      await error({
        Action: 'SetAlarmState',
        AlarmName: 'nope',
        StateValue: 'OK',
        StateReason: 'x',
      }),
    ).toEqual([404, 'ResourceNotFound', '']);
    const [, badCode, badMessage] = await error({
      Action: 'PutMetricAlarm',
      AlarmName: 'q-bad',
      Namespace: 'App/Query',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: '60',
      EvaluationPeriods: '1',
      Threshold: '1',
      ComparisonOperator: 'Above',
    });
    expect(badCode).toBe('ValidationError');
    expect(badMessage).toMatch(
      /^1 validation error detected: Value 'Above' at 'comparisonOperator'/,
    );
    expect(
      (await error({ Action: 'PutMetricAlarm', Period: 'sixty' }))[1],
    ).toBe('InvalidParameterValue');
    expect(
      await error({ Action: 'PutMetricAlarm', Namespace: 'App/Query' }),
    ).toEqual([
      400,
      'MissingParameter',
      'The parameter AlarmName is required.',
    ]);
    expect(
      (
        await error({
          Action: 'SetAlarmState',
          AlarmName: 'q-errors',
          StateValue: 'OK',
          StateReason: 'x',
          StateReasonData: '{',
        })
      )[1],
    ).toBe('InvalidFormat');
    expect(
      (await error({ Action: 'DescribeAlarms', NextToken: 'bad' }))[1],
    ).toBe('InvalidNextToken');
  });
});
