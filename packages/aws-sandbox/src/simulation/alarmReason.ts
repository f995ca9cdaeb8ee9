/*
 * The StateReason and StateReasonData CloudWatch writes when an alarm's
 * state changes, in AWS's wording:
 *
 *   Threshold Crossed: 1 datapoint [91.2 (02/12/26 10:00:00)] was greater
 *   than the threshold (80.0).
 *
 * Alarms without DatapointsToAlarm get that short form; with it ("M out of
 * N", as the console creates them) AWS writes "2 out of the last 3
 * datapoints [...] were ... (minimum 2 datapoints for OK -> ALARM
 * transition)". From five datapoints on, the list moves behind "The most
 * recent datapoints which crossed the threshold:" and keeps the newest
 * five. Numbers print as Java doubles (80.0) and dates as dd/MM/yy
 * HH:mm:ss in UTC, because that is what clients that parse these reasons
 * expect.
 */
import type { MetricAlarm } from '../state';

/** What an evaluation needs from an alarm's configuration. */
export type AlarmRule = Pick<
  MetricAlarm,
  | 'Period'
  | 'EvaluationPeriods'
  | 'DatapointsToAlarm'
  | 'Threshold'
  | 'ComparisonOperator'
  | 'TreatMissingData'
  | 'Statistic'
  | 'ExtendedStatistic'
  | 'Unit'
  | 'EvaluateLowSampleCountPercentile'
>;

/** One period of the evaluation range; `value` is absent when data is missing. */
export interface Slot {
  /** Start of the period (ms). */
  t: number;
  value?: number;
  sampleCount?: number;
}

const WORDS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** A number as Java's Double.toString prints it. */
export function javaDouble(v: number): string {
  const abs = Math.abs(v);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    return Number.isInteger(v) ? v.toFixed(1) : String(v);
  }
  const [mantissa, exponent] = v.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(
    exponent,
  )}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** dd/MM/yy HH:mm:ss, UTC. */
export function reasonDate(t: number): string {
  const d = new Date(t);
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(
    d.getUTCFullYear() % 100,
  )} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(
    d.getUTCSeconds(),
  )}`;
}

/** The dates in StateReasonData: 2026-01-15T12:00:00.000+0000. */
const dataDate = (t: number) => new Date(t).toISOString().replace('Z', '+0000');

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const wasWere = (n: number) => (n === 1 ? 'was' : 'were');

function listed(points: Required<Slot>[]): string {
  return `[${points
    .map(p => `${javaDouble(p.value)} (${reasonDate(p.t)})`)
    .join(', ')}]`;
}

/** All N evaluated datapoints missing (or, for notBreaching, treated so). */
export function missingReason(treat: string, periods: number): string {
  if (treat === 'missing') {
    return `Insufficient Data: ${plural(periods, 'datapoint')} ${wasWere(
      periods,
    )} unknown.`;
  }
  return `Threshold Crossed: no datapoints were received for ${plural(
    periods,
    'period',
  )} and ${plural(periods, 'missing datapoint')} ${wasWere(
    periods,
  )} treated as [${treat === 'breaching' ? 'Breaching' : 'NonBreaching'}].`;
}

/**
 * The reason for going to ALARM (`points` are the breaching datapoints) or
 * OK (the ones within the threshold), newest first. `treatedAs` missing
 * datapoints counted towards that state (TreatMissingData breaching or
 * notBreaching).
 */
export function crossedReason(
  rule: AlarmRule,
  points: Required<Slot>[],
  alarm: boolean,
  treatedAs: number,
): string {
  if (points.length === 0) {
    return missingReason(alarm ? 'breaching' : 'notBreaching', treatedAs);
  }
  const k = points.length;
  const n = rule.EvaluationPeriods;
  const relation = `${alarm ? '' : 'not '}${WORDS[rule.ComparisonOperator]}`;
  const threshold = `the threshold (${javaDouble(rule.Threshold)})`;
  const treated = treatedAs
    ? ` and ${plural(treatedAs, 'missing datapoint')} ${wasWere(
        treatedAs,
      )} treated as [${alarm ? 'Breaching' : 'NonBreaching'}]`
    : '';
  const many = k >= 5;
  const recent = `The most recent datapoints which ${
    alarm ? 'crossed' : 'did not cross'
  } the threshold: ${listed(points.slice(0, 5))}`;
  if (rule.DatapointsToAlarm === undefined) {
    return many
      ? `Threshold Crossed: ${k} datapoints were ${relation} ${threshold}${treated}. ${recent}.`
      : `Threshold Crossed: ${plural(k, 'datapoint')} ${listed(
          points,
        )} ${wasWere(k)} ${relation} ${threshold}${treated}.`;
  }
  const minimum = alarm
    ? rule.DatapointsToAlarm
    : n - rule.DatapointsToAlarm + 1;
  const transition = ` (minimum ${plural(minimum, 'datapoint')} for ${
    alarm ? 'OK -> ALARM' : 'ALARM -> OK'
  } transition)`;
  return many
    ? `Threshold Crossed: ${k} out of the last ${n} datapoints were ${relation} ${threshold}${treated}. ${recent}${transition}.`
    : `Threshold Crossed: ${k} out of the last ${n} datapoints ${listed(
        points,
      )} ${wasWere(k)} ${relation} ${threshold}${treated}${transition}.`;
}

/** StateReasonData: the evaluated datapoints as JSON, newest first. */
export function alarmReasonData(
  rule: AlarmRule,
  tick: number,
  evaluated: Slot[],
): string {
  const real = evaluated.filter(
    (s): s is Required<Slot> => s.value !== undefined,
  );
  return JSON.stringify({
    version: '1.0',
    queryDate: dataDate(tick),
    startDate: real.length ? dataDate(real[real.length - 1].t) : undefined,
    unit: rule.Unit,
    statistic: rule.Statistic ?? rule.ExtendedStatistic,
    period: rule.Period,
    recentDatapoints: real.map(s => s.value),
    threshold: rule.Threshold,
    evaluatedDatapoints: evaluated.map(s =>
      s.value === undefined
        ? { timestamp: dataDate(s.t) }
        : {
            timestamp: dataDate(s.t),
            sampleCount: s.sampleCount,
            value: s.value,
          },
    ),
  });
}
