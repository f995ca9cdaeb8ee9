import { useState } from 'react';
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
import { EnvironmentSection } from '../EnvironmentSection';

/**
 * The backend caches for 30 s by default; refreshing every minute keeps a
 * page current without letting many open tabs multiply AWS reads.
 */
const DEFAULT_REFRESH_SECONDS = 60;

/** The Environments tab: one section per environment, in promotion order. */
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
  const entityRef = getCompoundEntityRef(entity);

  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getStatus({ entity: entityRef, range }),
    [api, entityRef.kind, entityRef.namespace, entityRef.name, range],
  );
  // Pauses while a request is in flight so a slow AWS never stacks requests.
  useInterval(retry, loading ? null : refreshSeconds * 1000);

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <Box display="flex" alignItems="center" gridGap={16}>
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
          <Button
            size="small"
            startIcon={<RefreshIcon />}
            onClick={retry}
            disabled={loading}
          >
            Refresh
          </Button>
          <Typography variant="caption" color="textSecondary">
            {value?.environments[0]?.fetchedAt
              ? `Read from AWS at ${new Date(
                  value.environments[0].fetchedAt,
                ).toLocaleTimeString()}; refreshes every ${refreshSeconds} s`
              : ''}
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
      {value && value.environments.length === 0 && (
        <Grid item>
          <EmptyState
            missing="data"
            title="No environments"
            description="This entity names no environment that is configured in awsEnvironments.environments."
          />
        </Grid>
      )}
      {value &&
        [...value.environments]
          .sort((a, b) => a.order - b.order)
          .map(env => (
            <Grid item key={env.name}>
              <EnvironmentSection environment={env} range={value.range} />
            </Grid>
          ))}
      {entity.kind.toLocaleLowerCase('en-US') === 'component' && (
        <Grid item>
          <DeliveryMetricsCard entityRefs={[stringifyEntityRef(entity)]} />
        </Grid>
      )}
    </Grid>
  );
}
