import useAsync from 'react-use/esm/useAsync';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { awsEnvironmentsApiRef } from '../../api';
import { EnvironmentDriftView } from '../EnvironmentDrift';

const usd = (value: number) =>
  value.toLocaleString('en-US', { style: 'currency', currency: 'USD' });

function errorText(error: Error | undefined): string | undefined {
  return error ? `could not be read: ${error.message}` : undefined;
}

/** What the open environment costs as configured now. */
function Cost(props: { entity: CompoundEntityRef; environment: string }) {
  const api = useApi(awsEnvironmentsApiRef);
  const { entity, environment } = props;
  const { value, loading, error } = useAsync(
    () => api.getEntityCost(entity),
    [api, entity.kind, entity.namespace, entity.name],
  );
  if (loading) return <Progress />;
  const result = value?.environments.find(e => e.environment === environment);
  const problem = errorText(error) ?? result?.error;
  return (
    <InfoCard title="Estimated monthly cost" variant="fullHeight">
      <div data-testid={`cost-${environment}`}>
        {problem && (
          <Typography variant="body2" color="textSecondary">
            The estimate{' '}
            {problem.startsWith('could') ? problem : `is missing: ${problem}`}
          </Typography>
        )}
        {result?.estimate && result.settings && (
          <>
            <Typography variant="h5">
              {usd(result.monthlyAtDesired ?? result.estimate.monthly.low)}
            </Typography>
            <Typography variant="body2">
              at {result.settings.desiredCount} task
              {result.settings.desiredCount === 1 ? '' : 's'}; from{' '}
              {usd(result.estimate.monthly.low)} ({result.settings.minCapacity})
              to {usd(result.estimate.monthly.high)} (
              {result.settings.maxCapacity}) as it scales
            </Typography>
            <Box mt={1}>
              <Typography variant="caption" color="textSecondary">
                An estimate from on-demand list prices
                {value?.priceDate
                  ? ` of ${value.priceDate.slice(0, 10)}`
                  : ''}{' '}
                in {result.region}, as the stack is configured now; the
                assumptions are in the wizard's estimate.
              </Typography>
            </Box>
          </>
        )}
      </div>
    </InfoCard>
  );
}

/** Whether the open environment's stack still matches what was provisioned. */
function Drift(props: { entity: CompoundEntityRef; environment: string }) {
  const api = useApi(awsEnvironmentsApiRef);
  const { entity, environment } = props;
  const { value, loading, error } = useAsync(
    () => api.getDrift(entity),
    [api, entity.kind, entity.namespace, entity.name],
  );
  if (loading) return <Progress />;
  const drift = value?.environments.find(e => e.environment === environment);
  return (
    <InfoCard title="Drift" variant="fullHeight">
      {error && (
        <Typography variant="body2" color="textSecondary">
          Drift {errorText(error)}
        </Typography>
      )}
      {drift && (
        <EnvironmentDriftView
          entityRef={stringifyEntityRef(entity)}
          drift={drift}
        />
      )}
    </InfoCard>
  );
}

/**
 * Cost and drift of the open environment, each read on its own so one
 * failing leaves the other and the status shown.
 */
export function EnvironmentCostAndDrift(props: {
  entity: CompoundEntityRef;
  environment: string;
}) {
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={5}>
        <Cost {...props} />
      </Grid>
      <Grid item xs={12} md={7}>
        <Drift {...props} />
      </Grid>
    </Grid>
  );
}
