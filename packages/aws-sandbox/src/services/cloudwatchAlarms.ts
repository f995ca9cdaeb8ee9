/*
 * CloudWatch metric alarms: PutMetricAlarm, DescribeAlarms, DeleteAlarms and
 * SetAlarmState, for alarms on one metric with a static threshold. Alarms
 * live in the region's state with everything else and are evaluated against
 * the same metrics GetMetricData serves (the seeded ECS series and
 * PutMetricData's), catching up with the simulated clock whenever one of
 * these operations runs (simulation/alarmEvaluation.ts).
 *
 * Metric math, anomaly detection, Metrics Insights and PromQL alarms are
 * refused rather than stored and never evaluated. Alarm actions are kept and
 * returned but never run: the sandbox has no SNS, Auto Scaling or EC2
 * actions to call. Tags are accepted and dropped, as nothing in the sandbox
 * can list a CloudWatch resource's tags.
 */
import type { AlarmStateValue, MetricAlarm, RegionState } from '../state';
import type { Handler, RequestContext } from './types';
import { catalogue, findSeries } from '../simulation/metrics';
import { catchUp } from '../simulation/alarmEvaluation';
import { paginateByKey } from './paging';
import {
  combination,
  Constraints,
  invalidFormat,
  missing,
  resourceNotFound,
  validationError,
} from './cloudwatchErrors';
import {
  ALARM_TYPES,
  checkModel,
  checkSingleMetricAlarm,
  STATES,
} from './cloudwatchAlarmValidation';

/** The region's alarms; state files from before alarms have none. */
function alarmTable(r: RegionState): Record<string, MetricAlarm> {
  return (r.cloudwatch.alarms ??= {});
}

/** Brings alarms up to the simulated clock, one catalogue for all. */
function evaluate(alarms: MetricAlarm[], ctx: RequestContext): void {
  if (alarms.length === 0) return;
  const all = catalogue(ctx.regionState, ctx.sandbox.state.seed, ctx.now);
  for (const alarm of alarms) {
    catchUp(
      alarm,
      findSeries(all, alarm.Namespace, alarm.MetricName, alarm.Dimensions),
      ctx.now,
    );
  }
}

function putMetricAlarm(input: any, ctx: RequestContext) {
  if (input.AlarmName === undefined || input.AlarmName === null)
    throw missing('AlarmName');
  checkModel(input);
  checkSingleMetricAlarm(input);
  const table = alarmTable(ctx.regionState);
  const existing = table[input.AlarmName];
  // An update keeps the state, which the old configuration produced up to now.
  if (existing) evaluate([existing], ctx);
  table[input.AlarmName] = {
    AlarmName: input.AlarmName,
    AlarmArn:
      existing?.AlarmArn ??
      `arn:aws:cloudwatch:${ctx.region}:${ctx.caller.account}:alarm:${input.AlarmName}`,
    AlarmDescription: input.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: ctx.now,
    ActionsEnabled: input.ActionsEnabled ?? true,
    OKActions: input.OKActions ?? [],
    AlarmActions: input.AlarmActions ?? [],
    InsufficientDataActions: input.InsufficientDataActions ?? [],
    StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
    StateReasonData: existing?.StateReasonData,
    StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? ctx.now,
    StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? ctx.now,
    MetricName: input.MetricName,
    Namespace: input.Namespace,
    Statistic: input.Statistic,
    ExtendedStatistic: input.ExtendedStatistic,
    Dimensions: (input.Dimensions ?? []).map((d: any) => ({
      Name: d.Name,
      Value: d.Value,
    })),
    Period: input.Period,
    Unit: input.Unit,
    EvaluationPeriods: input.EvaluationPeriods,
    DatapointsToAlarm: input.DatapointsToAlarm,
    Threshold: input.Threshold,
    ComparisonOperator: input.ComparisonOperator,
    TreatMissingData: input.TreatMissingData,
    EvaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile,
    // The first evaluation is the next tick after creation.
    evaluatedAt: existing?.evaluatedAt ?? ctx.now,
  };
  return {};
}

/** An alarm as DescribeAlarms returns it (MetricAlarm's member order). */
function describe(a: MetricAlarm) {
  return {
    AlarmName: a.AlarmName,
    AlarmArn: a.AlarmArn,
    AlarmDescription: a.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(
      a.AlarmConfigurationUpdatedTimestamp,
    ),
    ActionsEnabled: a.ActionsEnabled,
    OKActions: a.OKActions,
    AlarmActions: a.AlarmActions,
    InsufficientDataActions: a.InsufficientDataActions,
    StateValue: a.StateValue,
    StateReason: a.StateReason,
    StateReasonData: a.StateReasonData,
    StateUpdatedTimestamp: new Date(a.StateUpdatedTimestamp),
    MetricName: a.MetricName,
    Namespace: a.Namespace,
    Statistic: a.Statistic,
    ExtendedStatistic: a.ExtendedStatistic,
    Dimensions: a.Dimensions,
    Period: a.Period,
    Unit: a.Unit,
    EvaluationPeriods: a.EvaluationPeriods,
    DatapointsToAlarm: a.DatapointsToAlarm,
    Threshold: a.Threshold,
    ComparisonOperator: a.ComparisonOperator,
    TreatMissingData: a.TreatMissingData,
    EvaluateLowSampleCountPercentile: a.EvaluateLowSampleCountPercentile,
    StateTransitionedTimestamp: new Date(a.StateTransitionedTimestamp),
  };
}

function describeAlarms(input: any, ctx: RequestContext) {
  new Constraints()
    .length('alarmNames', input.AlarmNames, 0, 100)
    .length('alarmNamePrefix', input.AlarmNamePrefix, 1, 255)
    .eachOneOf('alarmTypes', input.AlarmTypes, ALARM_TYPES)
    .length('childrenOfAlarmName', input.ChildrenOfAlarmName, 1, 255)
    .length('parentsOfAlarmName', input.ParentsOfAlarmName, 1, 255)
    .oneOf('stateValue', input.StateValue, STATES)
    .length('actionPrefix', input.ActionPrefix, 1, 1024)
    .atLeast('maxRecords', input.MaxRecords, 1)
    .atMost('maxRecords', input.MaxRecords, 100)
    .check();
  if (input.AlarmNames?.length && input.AlarmNamePrefix !== undefined) {
    throw combination(
      'The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.',
    );
  }
  const family = input.ChildrenOfAlarmName ?? input.ParentsOfAlarmName;
  if (family !== undefined) {
    const others = Object.keys(input).filter(
      k => !['MaxRecords', 'NextToken'].includes(k),
    );
    if (others.length > 1) {
      throw validationError(
        'If ChildrenOfAlarmName or ParentsOfAlarmName is specified, no other parameters except MaxRecords and NextToken can be specified.',
      );
    }
    // Only composite alarms have children or parents, and the sandbox has none.
    return { CompositeAlarms: [], MetricAlarms: [] };
  }
  const table = alarmTable(ctx.regionState);
  evaluate(Object.values(table), ctx);
  const names = input.AlarmNames?.length ? new Set(input.AlarmNames) : null;
  const types: string[] = input.AlarmTypes?.length
    ? input.AlarmTypes
    : ['MetricAlarm'];
  const matching = (types.includes('MetricAlarm') ? Object.values(table) : [])
    .filter(a => !names || names.has(a.AlarmName))
    .filter(
      a =>
        input.AlarmNamePrefix === undefined ||
        a.AlarmName.startsWith(input.AlarmNamePrefix),
    )
    .filter(a => !input.StateValue || a.StateValue === input.StateValue)
    .filter(
      a =>
        input.ActionPrefix === undefined ||
        [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some(
          arn => arn.startsWith(input.ActionPrefix),
        ),
    )
    .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : 1));
  const { page, nextToken } = paginateByKey(matching, a => a.AlarmName, {
    maxResults: input.MaxRecords,
    nextToken: input.NextToken,
    defaultSize: 50,
    maxSize: 100,
    tokenError: 'InvalidNextToken',
    fingerprint: JSON.stringify([
      input.AlarmNames ?? [],
      input.AlarmNamePrefix,
      input.StateValue,
      input.ActionPrefix,
      types,
    ]),
  });
  return {
    CompositeAlarms: [],
    MetricAlarms: page.map(describe),
    NextToken: nextToken,
  };
}

function deleteAlarms(input: any, ctx: RequestContext) {
  if (!Array.isArray(input.AlarmNames)) throw missing('AlarmNames');
  const c = new Constraints().length('alarmNames', input.AlarmNames, 0, 100);
  input.AlarmNames.forEach((name: unknown, i: number) =>
    c.length(`alarmNames.${i + 1}.member`, name, 1, 255),
  );
  c.check();
  // Names that match no alarm are skipped: "the alarms you specify with
  // correct names are still deleted".
  const table = alarmTable(ctx.regionState);
  for (const name of input.AlarmNames) delete table[name];
  return {};
}

function setAlarmState(input: any, ctx: RequestContext) {
  for (const name of ['AlarmName', 'StateValue', 'StateReason']) {
    if (input[name] === undefined || input[name] === null) throw missing(name);
  }
  new Constraints()
    .length('alarmName', input.AlarmName, 1, 255)
    .oneOf('stateValue', input.StateValue, STATES)
    .length('stateReason', input.StateReason, 0, 1023)
    .length('stateReasonData', input.StateReasonData, 0, 4000)
    .check();
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw invalidFormat('Data was not syntactically valid JSON');
    }
  }
  const alarm = alarmTable(ctx.regionState)[input.AlarmName];
  if (!alarm) throw resourceNotFound();
  // Ticks already due run first: the forced state lasts until the next one.
  evaluate([alarm], ctx);
  const state: AlarmStateValue = input.StateValue;
  if (state !== alarm.StateValue) {
    alarm.StateValue = state;
    alarm.StateReason = input.StateReason;
    alarm.StateReasonData = input.StateReasonData;
    alarm.StateUpdatedTimestamp = ctx.now;
    alarm.StateTransitionedTimestamp = ctx.now;
  }
  return {};
}

export const alarmOperations: Record<string, Handler> = {
  PutMetricAlarm: putMetricAlarm,
  DescribeAlarms: describeAlarms,
  DeleteAlarms: deleteAlarms,
  SetAlarmState: setAlarmState,
};
