import {
  Dimension,
  GetMetricDataCommand,
  MetricDataQuery,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import {
  METRIC_IDS,
  MetricId,
  MetricSeries,
} from '@envplane/plugin-aws-environments-common';
import { ReadContext } from './readContext';

interface SeriesDefinition {
  id: MetricId;
  label: string;
  namespace: string;
  metricName: string;
  stat: string;
  unit: string;
}

const SERVICE_SERIES: SeriesDefinition[] = [
  {
    id: METRIC_IDS.cpuAverage,
    label: 'CPU utilisation (average)',
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    stat: 'Average',
    unit: 'Percent',
  },
  {
    id: METRIC_IDS.cpuMaximum,
    label: 'CPU utilisation (maximum)',
    namespace: 'AWS/ECS',
    metricName: 'CPUUtilization',
    stat: 'Maximum',
    unit: 'Percent',
  },
  {
    id: METRIC_IDS.memoryAverage,
    label: 'Memory utilisation (average)',
    namespace: 'AWS/ECS',
    metricName: 'MemoryUtilization',
    stat: 'Average',
    unit: 'Percent',
  },
  {
    id: METRIC_IDS.runningTaskCount,
    label: 'Running tasks',
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    stat: 'Average',
    unit: 'Count',
  },
];

const LOAD_BALANCER_SERIES: SeriesDefinition[] = [
  {
    id: METRIC_IDS.requestCount,
    label: 'Requests',
    namespace: 'AWS/ApplicationELB',
    metricName: 'RequestCount',
    stat: 'Sum',
    unit: 'Count',
  },
  {
    id: METRIC_IDS.target5xxCount,
    label: 'Target 5XX responses',
    namespace: 'AWS/ApplicationELB',
    metricName: 'HTTPCode_Target_5XX_Count',
    stat: 'Sum',
    unit: 'Count',
  },
  {
    id: METRIC_IDS.targetResponseTime,
    label: 'Target response time',
    namespace: 'AWS/ApplicationELB',
    metricName: 'TargetResponseTime',
    stat: 'Average',
    unit: 'Seconds',
  },
];

/** One series to read: what the chart shows and what CloudWatch is asked. */
export interface SeriesQuery extends SeriesDefinition {
  dimensions: Dimension[];
}

/** The service's CPU, memory and task-count series of one environment. */
export function serviceSeries(names: {
  clusterName: string;
  serviceName: string;
}): SeriesQuery[] {
  const dimensions: Dimension[] = [
    { Name: 'ClusterName', Value: names.clusterName },
    { Name: 'ServiceName', Value: names.serviceName },
  ];
  return SERVICE_SERIES.map(d => ({ ...d, dimensions }));
}

/** The GetMetricData query of one series, under the query id given. */
export function metricQuery(
  d: SeriesQuery,
  id: string,
  periodSeconds: number,
): MetricDataQuery {
  return {
    Id: id,
    Label: d.label,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: d.namespace,
        MetricName: d.metricName,
        Dimensions: d.dimensions,
      },
      Period: periodSeconds,
      Stat: d.stat,
    },
  };
}

/** A series as the status shows it, its points in time order. */
export function toSeries(
  d: SeriesQuery,
  result: MetricDataResult | undefined,
  periodSeconds: number,
): MetricSeries {
  const timestamps = result?.Timestamps ?? [];
  const values = result?.Values ?? [];
  return {
    id: d.id,
    label: d.label,
    unit: d.unit,
    period: periodSeconds,
    points: timestamps
      .map((t, i) => ({ timestamp: t.toISOString(), value: values[i] }))
      .filter(p => typeof p.value === 'number')
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp)),
  };
}

/**
 * Every series of the environment in ONE GetMetricData call: the service's
 * CPU, memory and task count, plus the load balancer's requests, 5XX and
 * latency when the stack has one. The window's period keeps each series at
 * or under 1440 points, well inside one response.
 */
export async function readMetrics(
  ctx: ReadContext,
  loadBalancerDimension: string | undefined,
): Promise<MetricSeries[]> {
  const { start, end, periodSeconds } = ctx.window;
  const definitions: SeriesQuery[] = [
    ...serviceSeries(ctx.names),
    ...(loadBalancerDimension
      ? LOAD_BALANCER_SERIES.map(d => ({
          ...d,
          dimensions: [{ Name: 'LoadBalancer', Value: loadBalancerDimension }],
        }))
      : []),
  ];
  const response = await ctx.clients.cloudwatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: definitions.map(d =>
        metricQuery(d, d.id, periodSeconds),
      ),
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampAscending',
    }),
    { abortSignal: ctx.abortSignal },
  );
  const results = new Map(
    (response.MetricDataResults ?? []).map(r => [r.Id, r]),
  );
  return definitions.map(d => toSeries(d, results.get(d.id), periodSeconds));
}
