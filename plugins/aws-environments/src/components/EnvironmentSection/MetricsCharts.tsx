import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  METRIC_IDS,
  MetricSeries,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';

/** The autoscaling targets of the seed: CPU 70 %, memory 80 %. */
export const CPU_TARGET = 70;
export const MEMORY_TARGET = 80;

type Row = { t: number } & Record<string, number>;

/** Joins series on their timestamps into rows, the shape recharts draws. */
export function toRows(series: MetricSeries[]): Row[] {
  const rows = new Map<number, Row>();
  for (const s of series) {
    for (const p of s.points) {
      const t = Date.parse(p.timestamp);
      const row = rows.get(t) ?? ({ t } as Row);
      row[s.id] = p.value;
      rows.set(t, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

function formatTick(range: StatusRange) {
  return (t: number) => {
    const d = new Date(t);
    return range === '7d'
      ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
      : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  };
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

function Chart(props: {
  title: string;
  series: MetricSeries[];
  range: StatusRange;
  unit?: string;
  targets?: { value: number; label: string }[];
  domain?: [number, number];
}) {
  const { series, range } = props;
  if (series.length === 0 || series.every(s => s.points.length === 0)) {
    return null;
  }
  return (
    <Box data-testid={`chart-${props.title}`}>
      <Typography variant="subtitle2">{props.title}</Typography>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart
          data={toRows(series)}
          margin={{ top: 8, right: 24, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={formatTick(range)}
          />
          <YAxis unit={props.unit} domain={props.domain ?? [0, 'auto']} />
          <Tooltip
            labelFormatter={t => new Date(Number(t)).toLocaleString()}
            formatter={(v: number) => v.toFixed(2)}
          />
          <Legend />
          {props.targets?.map(target => (
            <ReferenceLine
              key={target.label}
              y={target.value}
              stroke="#d62728"
              strokeDasharray="6 3"
              label={{
                value: target.label,
                position: 'insideTopRight',
                fontSize: 11,
              }}
            />
          ))}
          {series.map((s, i) => (
            <Line
              key={s.id}
              dataKey={s.id}
              name={s.label}
              stroke={COLORS[i % COLORS.length]}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </Box>
  );
}

/** CPU and memory against their scaling targets, task count, and the ALB's traffic when there is one. */
export function MetricsCharts(props: {
  metrics: MetricSeries[];
  range: StatusRange;
}) {
  const byId = (...ids: string[]) =>
    props.metrics.filter(m => ids.includes(m.id));
  const utilization = byId(METRIC_IDS.cpuAverage, METRIC_IDS.memoryAverage);
  const tasks = byId(METRIC_IDS.runningTaskCount);
  const requests = byId(METRIC_IDS.requestCount, METRIC_IDS.target5xxCount);
  const latency = byId(METRIC_IDS.targetResponseTime);
  if (props.metrics.every(m => m.points.length === 0)) {
    return (
      <Typography variant="body2" color="textSecondary">
        No metric data in this range.
      </Typography>
    );
  }
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <Chart
          title="CPU and memory utilization"
          series={utilization}
          range={props.range}
          unit="%"
          domain={[0, 100]}
          targets={[
            { value: CPU_TARGET, label: `CPU target ${CPU_TARGET}%` },
            { value: MEMORY_TARGET, label: `memory target ${MEMORY_TARGET}%` },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <Chart title="Running tasks" series={tasks} range={props.range} />
      </Grid>
      {requests.length > 0 && (
        <Grid item xs={12} md={6}>
          <Chart
            title="Load balancer requests and 5xx"
            series={requests}
            range={props.range}
          />
        </Grid>
      )}
      {latency.length > 0 && (
        <Grid item xs={12} md={6}>
          <Chart
            title="Target response time"
            series={latency}
            range={props.range}
            unit="s"
          />
        </Grid>
      )}
    </Grid>
  );
}
