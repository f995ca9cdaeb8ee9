import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import {
  EmptyState,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_PROJECT,
  STATUS_RANGES,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api';
import { hasProjectAnnotation } from '../../isAwsEnvironmentsAvailable';
import { DeliveryMetricsCard } from '../DeliveryMetricsCard';
import { EnvironmentOverviewCard } from '../EnvironmentOverview';
import { EnvironmentDetails } from './EnvironmentDetails';

/**
 * The overview comes from the backend's snapshots (a database read, a 304
 * when nothing changed); refreshing every minute keeps the page current.
 */
const DEFAULT_REFRESH_SECONDS = 60;

/** Which environment's details are open: `?environment=` in the URL. */
const OPEN_PARAM = 'environment';

/**
 * The Environments tab: the environments side by side along the promotion
 * path, and one environment's details below when a person opens it.
 */
export function EntityAwsEnvironmentsContent() {
  const { entity } = useEntity();
  if (!hasProjectAnnotation(entity)) {
    return <MissingAnnotationEmptyState annotation={ANNOTATION_PROJECT} />;
  }
  return <EnvironmentsStatus />;
}

function EnvironmentsStatus() {
  const { entity } = useEntity();
  const api = useApi(awsEnvironmentsApiRef);
  const config = useApi(configApiRef);
  const refreshSeconds =
    config.getOptionalNumber('awsEnvironments.status.refreshIntervalSeconds') ??
    DEFAULT_REFRESH_SECONDS;
  const [range, setRange] = useState<StatusRange>('1h');
  const [refreshKey, setRefreshKey] = useState(0);
  const [params, setParams] = useSearchParams();
  const open = params.get(OPEN_PARAM) ?? undefined;
  const entityRef = getCompoundEntityRef(entity);

  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntityOverview(entityRef),
    [api, entityRef.kind, entityRef.namespace, entityRef.name],
  );
  useInterval(retry, loading ? null : refreshSeconds * 1000);

  const toggle = (name: string) => {
    const next = new URLSearchParams(params);
    if (open === name) next.delete(OPEN_PARAM);
    else next.set(OPEN_PARAM, name);
    setParams(next, { replace: true });
  };
  const environments = value?.environments ?? [];
  const opened = environments.some(e => e.name === open) ? open : undefined;

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <Box display="flex" alignItems="center" gridGap={16}>
          <Button
            size="small"
            startIcon={<RefreshIcon />}
            onClick={() => {
              retry();
              setRefreshKey(k => k + 1);
            }}
            disabled={loading}
          >
            Refresh
          </Button>
          <Typography variant="caption" color="textSecondary">
            Overview refreshes every {refreshSeconds} s
          </Typography>
        </Box>
      </Grid>
      {loading && !value && (
        <Grid item>
          <Progress />
        </Grid>
      )}
      {error && (
        <Grid item>
          <ResponseErrorPanel error={error} />
        </Grid>
      )}
      {value?.error && (
        <Grid item>
          <WarningPanel
            severity="error"
            title="No environments shown"
            message={value.error}
          />
        </Grid>
      )}
      {value && !value.error && environments.length === 0 && (
        <Grid item>
          <EmptyState
            missing="data"
            title="No environments"
            description="This entity names no environment that is configured in awsEnvironments.environments."
          />
        </Grid>
      )}
      {environments.length > 0 && (
        <Grid item>
          <Grid container spacing={2} alignItems="stretch">
            {environments.map(env => (
              <Grid item xs={12} sm={6} md={3} key={env.name}>
                <EnvironmentOverviewCard
                  name={env.name}
                  summary={env.summary}
                  drift={env.drift}
                  selected={opened === env.name}
                  onSelect={() => toggle(env.name)}
                />
              </Grid>
            ))}
          </Grid>
        </Grid>
      )}
      {opened && (
        <Grid item>
          <Box display="flex" alignItems="center" gridGap={16} mb={2}>
            <ToggleButtonGroup
              size="small"
              exclusive
              value={range}
              onChange={(_, next) => next && setRange(next)}
              aria-label="time range"
            >
              {STATUS_RANGES.map(r => (
                <ToggleButton key={r} value={r} aria-label={r}>
                  {r}
                </ToggleButton>
              ))}
            </ToggleButtonGroup>
          </Box>
          <EnvironmentDetails
            entity={entityRef}
            environment={opened}
            range={range}
            refreshSeconds={refreshSeconds}
            refreshKey={refreshKey}
          />
        </Grid>
      )}
      {entity.kind.toLocaleLowerCase('en-US') === 'component' && (
        <Grid item>
          <DeliveryMetricsCard entityRefs={[stringifyEntityRef(entity)]} />
        </Grid>
      )}
    </Grid>
  );
}
