/*
 * Metric alarm evaluation as CloudWatch does it. Every minute (every period
 * for 10, 20 and 30-second alarms) an alarm takes the periods that end at
 * that tick: EvaluationPeriods of them plus two older ones, the "evaluation
 * range", and decides OK, ALARM or INSUFFICIENT_DATA following the
 * CloudWatch User Guide ("How alarm state is evaluated when data is
 * missing"; alarmEvaluation.test.ts checks its tables).
 *
 * Evaluation is lazy: whenever the API reads or changes an alarm it first
 * replays the ticks it missed on the simulated clock, so a manual clock that
 * jumps ahead still records when the state changed, and a SetAlarmState
 * value holds until the next tick re-evaluates, as on AWS.
 */
import type { AlarmStateValue, MetricAlarm } from '../state';
import { Sample, Series, statistic } from './metrics';
import {
  AlarmRule,
  alarmReasonData,
  crossedReason,
  missingReason,
  Slot,
} from './alarmReason';

export type { AlarmRule, Slot } from './alarmReason';

const MINUTE = 60_000;
/** Periods evaluated beyond EvaluationPeriods, as in the guide's tables. */
const EXTRA_PERIODS = 2;
/**
 * Ticks replayed at most (a day of minutes). An alarm untouched for longer
 * starts from its stored state that many ticks back; nobody can observe the
 * ticks skipped, as the sandbox keeps no alarm history.
 */
const MAX_TICKS = 1440;

export interface Decision {
  state: AlarmStateValue;
  reason: string;
  reasonData: string;
}

const COMPARE: Record<string, (v: number, threshold: number) => boolean> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

export const STATIC_THRESHOLD_OPERATORS = Object.keys(COMPARE);

/** Where a range without any data leads; `ignore` keeps the state. */
const WITHOUT_DATA: Record<string, AlarmStateValue | undefined> = {
  missing: 'INSUFFICIENT_DATA',
  breaching: 'ALARM',
  notBreaching: 'OK',
};

/** How often the alarm is evaluated (ms). */
export function evaluationInterval(periodSeconds: number): number {
  return periodSeconds >= 60 ? MINUTE : periodSeconds * 1000;
}

const isReal = (s: Slot): s is Required<Slot> => s.value !== undefined;

/** Too few samples for a percentile to mean anything (guide's rule). */
function lowSampleCount(rule: AlarmRule, slots: Slot[]): boolean {
  const p = /^p(\d+(?:\.\d+)?)$/.exec(rule.ExtendedStatistic ?? '');
  if (!p || rule.EvaluateLowSampleCountPercentile !== 'ignore') return false;
  // 10 / (1 - p) samples from p0.5 up, 10 / p below, in percent to stay exact.
  const percent = Number(p[1]);
  const needed = percent >= 50 ? 1000 / (100 - percent) : 1000 / percent;
  return slots.some(s => isReal(s) && s.sampleCount < needed);
}

/**
 * The state the evaluation range calls for, or undefined to keep the current
 * one. `range` is newest first: range[0] is the period ending at `tick`.
 */
export function decide(
  rule: AlarmRule,
  range: Slot[],
  tick: number,
): Decision | undefined {
  const n = rule.EvaluationPeriods;
  const m = rule.DatapointsToAlarm ?? n;
  const treat = rule.TreatMissingData ?? 'missing';
  const breaches = (v: number) =>
    COMPARE[rule.ComparisonOperator](v, rule.Threshold);
  const real = range.filter(isReal);
  const data = (evaluated: Slot[]) => alarmReasonData(rule, tick, evaluated);

  if (real.length === 0) {
    const state = WITHOUT_DATA[treat];
    if (!state) return undefined;
    return {
      state,
      reason: missingReason(treat, n),
      reasonData: data(range.slice(0, n)),
    };
  }

  // The newest real datapoints; when there are fewer than N, the newest
  // missing periods make up the rest ("uses missing data points only as few
  // times as possible"). Kept newest first.
  const missingSlots = range.filter(s => !isReal(s));
  const evaluated =
    real.length >= n
      ? real.slice(0, n)
      : [...real, ...missingSlots.slice(0, n - real.length)].sort(
          (a, b) => b.t - a.t,
        );
  if (lowSampleCount(rule, evaluated)) return undefined;
  const breaching = evaluated.filter(isReal).filter(s => breaches(s.value));
  const within = evaluated.filter(isReal).filter(s => !breaches(s.value));
  const fills = evaluated.length - breaching.length - within.length;
  const crossed = (state: 'ALARM' | 'OK', treatedAs = 0): Decision => ({
    state,
    reason: crossedReason(
      rule,
      state === 'ALARM' ? breaching : within,
      state === 'ALARM',
      treatedAs,
    ),
    reasonData: data(evaluated),
  });

  if (treat === 'breaching') {
    return breaching.length + fills >= m
      ? crossed('ALARM', fills)
      : crossed('OK');
  }
  if (treat === 'notBreaching') {
    return breaching.length >= m ? crossed('ALARM') : crossed('OK', fills);
  }
  if (breaching.length >= m) return crossed('ALARM');
  if (within.length > 0) return crossed('OK');
  // Only breaching and missing datapoints, too few breaching. With
  // `missing`, an alarm whose oldest breaching datapoint is at least M
  // periods old goes to ALARM anyway ("avoiding premature transitions").
  if (treat === 'ignore') return undefined;
  const oldest = evaluated.indexOf(breaching[breaching.length - 1]);
  if (oldest >= m - 1) return crossed('ALARM');
  return {
    state: 'INSUFFICIENT_DATA',
    reason: missingReason('missing', fills),
    reasonData: data(evaluated),
  };
}

/** Index of the first sample at or after t (samples sorted by time). */
function lowerBound(samples: Sample[], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The evaluation range ending at `tick`, newest period first. */
export function evaluationRange(
  rule: AlarmRule,
  samples: Sample[],
  tick: number,
): Slot[] {
  const periodMs = rule.Period * 1000;
  const stat = rule.Statistic ?? rule.ExtendedStatistic ?? 'Average';
  const out: Slot[] = [];
  for (let k = 0; k < rule.EvaluationPeriods + EXTRA_PERIODS; k++) {
    const start = tick - (k + 1) * periodMs;
    const inPeriod: Sample[] = [];
    for (
      let i = lowerBound(samples, start);
      i < samples.length && samples[i].t < start + periodMs;
      i++
    )
      inPeriod.push(samples[i]);
    const value = statistic(stat, inPeriod);
    out.push(
      value === undefined
        ? { t: start }
        : {
            t: start,
            value,
            sampleCount: inPeriod.reduce((c, s) => c + s.count, 0),
          },
    );
  }
  return out;
}

/**
 * Replays the evaluation ticks after the alarm's last one, up to `now`,
 * against the metric's series (undefined: the metric has no data).
 */
export function catchUp(
  alarm: MetricAlarm,
  series: Series | undefined,
  now: number,
): void {
  const interval = evaluationInterval(alarm.Period);
  const last = Math.floor(now / interval) * interval;
  const first = Math.max(
    (Math.floor(alarm.evaluatedAt / interval) + 1) * interval,
    last - (MAX_TICKS - 1) * interval,
  );
  if (first > last) return;
  const span = (alarm.EvaluationPeriods + EXTRA_PERIODS) * alarm.Period * 1000;
  // An alarm with a Unit sees only data in that unit; the sandbox keeps one
  // unit per metric.
  const samples =
    series && (!alarm.Unit || alarm.Unit === series.unit)
      ? series.samples(first - span, last)
      : [];
  for (let tick = first; tick <= last; tick += interval) {
    const decision = decide(alarm, evaluationRange(alarm, samples, tick), tick);
    if (decision && decision.state !== alarm.StateValue) {
      alarm.StateValue = decision.state;
      alarm.StateReason = decision.reason;
      alarm.StateReasonData = decision.reasonData;
      alarm.StateUpdatedTimestamp = tick;
      alarm.StateTransitionedTimestamp = tick;
    }
  }
  alarm.evaluatedAt = last;
}
