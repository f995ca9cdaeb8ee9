import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DeliveryMetricsResponse,
  EnvironmentDeliveryMetrics,
} from '@envplane/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api';

const WINDOWS = [7, 30, 90];

/** 42 min, 5.5 h, 3.2 d: the unit a person reads a delay in. */
export function formatMinutes(minutes: number | undefined): string {
  if (minutes === undefined) return '—';
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 6) / 10} h`;
  return `${Math.round(minutes / 144) / 10} d`;
}

function percent(rate: number | undefined): string {
  return rate === undefined ? '—' : `${Math.round(rate * 100)} %`;
}

function MetricsTable(props: { metrics: DeliveryMetricsResponse }) {
  const { metrics } = props;
  const { leadTime } = metrics;
  return (
    <Box data-testid={`delivery-metrics-${metrics.project}`}>
      <Table<EnvironmentDeliveryMetrics>
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          toolbar: false,
        }}
        data={metrics.environments}
        columns={[
          { title: 'Environment', field: 'environment' },
          {
            title: 'Deployments',
            render: e => `${e.deployments} (${e.deploymentsPerWeek}/week)`,
          },
          {
            title: 'Change failure rate',
            render: e =>
              `${percent(e.changeFailureRate)}${
                e.changes ? ` of ${e.changes}` : ''
              }${e.rolledBack ? `, ${e.rolledBack} rolled back` : ''}`,
          },
          {
            title: 'Time to restore',
            render: e =>
              `${formatMinutes(e.timeToRestore.medianMinutes)}${
                e.timeToRestore.unrestored
                  ? ` (${e.timeToRestore.unrestored} not restored)`
                  : ''
              }`,
          },
        ]}
      />
      <Typography variant="body2" data-testid="lead-time">
        Lead time {leadTime.from} → {leadTime.to}:{' '}
        {leadTime.images.length
          ? `${formatMinutes(leadTime.medianMinutes)} median over ${
              leadTime.images.length
            } image${leadTime.images.length > 1 ? 's' : ''}`
          : `no image reached ${leadTime.to} in the window`}
      </Typography>
    </Box>
  );
}

/**
 * Deployment frequency, change failure rate, time to restore and lead time
 * of each given component's project, from the promotion history.
 */
export function DeliveryMetricsCard(props: { entityRefs: string[] }) {
  const api = useApi(awsEnvironmentsApiRef);
  const [days, setDays] = useState(30);
  const key = props.entityRefs.join(',');
  const { value, loading, error } = useAsync(
    async () =>
      Promise.all(
        props.entityRefs.map(ref => api.getDeliveryMetrics(ref, days)),
      ),
    [api, key, days],
  );
  return (
    <InfoCard
      title="Delivery"
      subheader="From the promotion history: deployments through the promotion path, failed or rolled-back changes, time from a failure to the next good deployment, and time from the first environment to the last."
      action={
        <ToggleButtonGroup
          size="small"
          exclusive
          value={days}
          onChange={(_, next) => next && setDays(next)}
          aria-label="window"
        >
          {WINDOWS.map(d => (
            <ToggleButton key={d} value={d} aria-label={`${d} days`}>
              {d} d
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      }
    >
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {!loading &&
        value?.map(metrics => (
          <Box key={metrics.entityRef} mb={2}>
            {value.length > 1 && (
              <Typography variant="subtitle2">
                {parseEntityRef(metrics.entityRef).name}
              </Typography>
            )}
            <MetricsTable metrics={metrics} />
          </Box>
        ))}
    </InfoCard>
  );
}
