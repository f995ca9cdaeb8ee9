/*
 * Alarm decisions against the CloudWatch User Guide's tables ("How alarm
 * state is evaluated when data is missing": 5 datapoints retrieved, oldest
 * on the left; 0 within the threshold, X breaching, - missing) and the
 * reason texts AWS writes.
 */
import type { MetricAlarm } from '../state';
import type { Series } from './metrics';
import {
  AlarmRule,
  catchUp,
  decide,
  evaluationRange,
  Slot,
} from './alarmEvaluation';
import { javaDouble, reasonDate } from './alarmReason';

const TICK = Date.UTC(2026, 1, 12, 10, 5, 0);
const MINUTE = 60_000;

function rule(overrides: Partial<AlarmRule> = {}): AlarmRule {
  return {
    Period: 60,
    EvaluationPeriods: 3,
    Threshold: 50,
    ComparisonOperator: 'GreaterThanThreshold',
    Statistic: 'Average',
    ...overrides,
  };
}

/** "0 - X - X", oldest first, as newest-first slots ending at TICK. */
function range(pattern: string): Slot[] {
  return pattern
    .split(' ')
    .reverse()
    .map((c, k) => {
      const t = TICK - (k + 1) * MINUTE;
      if (c === '-') return { t };
      return { t, value: c === 'X' ? 90 : 10, sampleCount: 1 };
    });
}

const RETAIN = 'retain';
const outcome = (r: AlarmRule, pattern: string) =>
  decide(r, range(pattern), TICK)?.state ?? RETAIN;

describe('alarm evaluation', () => {
  it.each([
    // pattern, MISSING, IGNORE, BREACHING, NOT BREACHING
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - - - X', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
    ['X - - - -', 'ALARM', RETAIN, 'ALARM', 'OK'],
  ])('3 out of 3: %s', (pattern, ...expected) => {
    const states = ['missing', 'ignore', 'breaching', 'notBreaching'].map(t =>
      outcome(rule({ TreatMissingData: t }), pattern),
    );
    expect(states).toEqual(expected);
  });

  it.each([
    ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - X', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
  ])('2 out of 3: %s', (pattern, ...expected) => {
    const states = ['missing', 'ignore', 'breaching', 'notBreaching'].map(t =>
      outcome(rule({ DatapointsToAlarm: 2, TreatMissingData: t }), pattern),
    );
    expect(states).toEqual(expected);
  });

  it('words the reasons as AWS does', () => {
    const single = rule({ EvaluationPeriods: 1, Threshold: 80 });
    const point = (value: number): Slot[] => [
      { t: TICK - MINUTE, value, sampleCount: 1 },
      { t: TICK - 2 * MINUTE },
      { t: TICK - 3 * MINUTE },
    ];
    expect(decide(single, point(91.2), TICK)?.reason).toBe(
      'Threshold Crossed: 1 datapoint [91.2 (12/02/26 10:04:00)] was greater than the threshold (80.0).',
    );
    expect(decide(single, point(10), TICK)?.reason).toBe(
      'Threshold Crossed: 1 datapoint [10.0 (12/02/26 10:04:00)] was not greater than the threshold (80.0).',
    );
    expect(
      decide(
        rule({
          DatapointsToAlarm: 2,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
        range('0 0 X 0 X'),
        TICK,
      )?.reason,
    ).toBe(
      'Threshold Crossed: 2 out of the last 3 datapoints [90.0 (12/02/26 10:04:00), 90.0 (12/02/26 10:02:00)] were greater than or equal to the threshold (50.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
    expect(
      decide(rule({ DatapointsToAlarm: 3 }), range('X X X 0 X'), TICK)?.reason,
    ).toBe(
      'Threshold Crossed: 1 out of the last 3 datapoints [10.0 (12/02/26 10:03:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).',
    );
    expect(
      decide(
        rule({ EvaluationPeriods: 2, TreatMissingData: 'breaching' }),
        range('- - - -'),
        TICK,
      )?.reason,
    ).toBe(
      'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].',
    );
    expect(
      decide(rule({ EvaluationPeriods: 1 }), range('- - -'), TICK)?.reason,
    ).toBe('Insufficient Data: 1 datapoint was unknown.');
    expect(
      decide(rule({ TreatMissingData: 'breaching' }), range('- - - - X'), TICK)
        ?.reason,
    ).toBe(
      'Threshold Crossed: 1 datapoint [90.0 (12/02/26 10:04:00)] was greater than the threshold (50.0) and 2 missing datapoints were treated as [Breaching].',
    );
    const five = rule({
      EvaluationPeriods: 6,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 65,
    });
    expect(decide(five, range('0 0 0 0 0 0 0 0'), TICK)?.reason).toBe(
      'Threshold Crossed: 6 datapoints were less than the threshold (65.0). The most recent datapoints which crossed the threshold: [10.0 (12/02/26 10:04:00), 10.0 (12/02/26 10:03:00), 10.0 (12/02/26 10:02:00), 10.0 (12/02/26 10:01:00), 10.0 (12/02/26 10:00:00)].',
    );
  });

  it('writes StateReasonData with the evaluated datapoints', () => {
    const data = JSON.parse(
      decide(rule({ Unit: 'Percent' }), range('- 0 X - X'), TICK)!.reasonData,
    );
    expect(data).toEqual({
      version: '1.0',
      queryDate: '2026-02-12T10:05:00.000+0000',
      startDate: '2026-02-12T10:01:00.000+0000',
      unit: 'Percent',
      statistic: 'Average',
      period: 60,
      recentDatapoints: [90, 90, 10],
      threshold: 50,
      evaluatedDatapoints: [
        {
          timestamp: '2026-02-12T10:04:00.000+0000',
          sampleCount: 1,
          value: 90,
        },
        {
          timestamp: '2026-02-12T10:02:00.000+0000',
          sampleCount: 1,
          value: 90,
        },
        {
          timestamp: '2026-02-12T10:01:00.000+0000',
          sampleCount: 1,
          value: 10,
        },
      ],
    });
  });

  it('prints numbers as Java doubles and dates as dd/MM/yy', () => {
    expect([0, 80, 91.2, -3, 0.0005, 12_345_678, 1e21].map(javaDouble)).toEqual(
      ['0.0', '80.0', '91.2', '-3.0', '5.0E-4', '1.2345678E7', '1.0E21'],
    );
    expect(reasonDate(Date.UTC(2026, 11, 2, 9, 3, 7))).toBe(
      '02/12/26 09:03:07',
    );
  });

  it('keeps the state while a percentile has too few samples, with ignore', () => {
    const p90 = rule({
      Statistic: undefined,
      ExtendedStatistic: 'p90',
      EvaluationPeriods: 1,
      EvaluateLowSampleCountPercentile: 'ignore',
    });
    const few: Slot[] = [{ t: TICK - MINUTE, value: 90, sampleCount: 99 }];
    const enough: Slot[] = [{ t: TICK - MINUTE, value: 90, sampleCount: 100 }];
    expect(decide(p90, few, TICK)).toBeUndefined();
    expect(decide(p90, enough, TICK)?.state).toBe('ALARM');
    expect(
      decide(
        { ...p90, EvaluateLowSampleCountPercentile: 'evaluate' },
        few,
        TICK,
      )?.state,
    ).toBe('ALARM');
  });

  it('aggregates each period ending at the tick with the statistic', () => {
    // 10:00 (50), 10:01 (40), ... 10:04 (10), oldest first as series give them.
    const samples = [5, 4, 3, 2, 1].map(m => ({
      t: TICK - m * MINUTE,
      sum: m * 10,
      count: 1,
      min: m * 10,
      max: m * 10,
    }));
    const slots = evaluationRange(
      rule({ Period: 120, EvaluationPeriods: 1, Statistic: 'Sum' }),
      samples,
      TICK,
    );
    // Periods end at the tick, not at multiples of the period.
    expect(slots).toEqual([
      { t: TICK - 2 * MINUTE, value: 30, sampleCount: 2 },
      { t: TICK - 4 * MINUTE, value: 70, sampleCount: 2 },
      { t: TICK - 6 * MINUTE, value: 50, sampleCount: 1 },
    ]);
  });

  it('replays every missed tick and records when the state changed', () => {
    // Breaching from 10:07 on: the first tick that sees it is 10:08.
    const series: Series = {
      Namespace: 'N',
      MetricName: 'M',
      Dimensions: [],
      unit: 'Percent',
      samples: (start, end) => {
        const out = [];
        for (let t = Math.ceil(start / MINUTE) * MINUTE; t < end; t += MINUTE) {
          const v = t >= TICK + 2 * MINUTE ? 95 : 20;
          out.push({ t, sum: v, count: 1, min: v, max: v });
        }
        return out;
      },
    };
    const alarm: MetricAlarm = {
      ...rule({ EvaluationPeriods: 1, Threshold: 80 }),
      AlarmName: 'a',
      AlarmArn: 'arn',
      AlarmConfigurationUpdatedTimestamp: TICK,
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: TICK,
      StateTransitionedTimestamp: TICK,
      MetricName: 'M',
      Namespace: 'N',
      Dimensions: [],
      evaluatedAt: TICK,
    };
    catchUp(alarm, series, TICK + 30_000);
    expect(alarm.StateValue).toBe('INSUFFICIENT_DATA');
    catchUp(alarm, series, TICK + MINUTE);
    expect(alarm.StateValue).toBe('OK');
    expect(alarm.StateTransitionedTimestamp).toBe(TICK + MINUTE);
    catchUp(alarm, series, TICK + 10 * MINUTE + 5_000);
    expect(alarm.StateValue).toBe('ALARM');
    expect(alarm.StateTransitionedTimestamp).toBe(TICK + 3 * MINUTE);
    expect(alarm.evaluatedAt).toBe(TICK + 10 * MINUTE);
    // An alarm with a Unit sees nothing of a metric in another unit.
    const inCount = {
      ...alarm,
      Unit: 'Count',
      TreatMissingData: 'notBreaching',
    };
    catchUp(inCount, series, TICK + 11 * MINUTE);
    expect(inCount.StateValue).toBe('OK');
  });
});
