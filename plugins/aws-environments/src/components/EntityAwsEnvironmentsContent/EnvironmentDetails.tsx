import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import Box from '@material-ui/core/Box';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { StatusRange } from '@envplane/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api';
import { EnvironmentSection, LogsPanel } from '../EnvironmentSection';
import { EnvironmentCostAndDrift } from './EnvironmentCostAndDrift';

/**
 * Everything about one environment, read when a person opens it: tasks,
 * stopped tasks, parameters and charts now, logs once their panel opens.
 */
export function EnvironmentDetails(props: {
  entity: CompoundEntityRef;
  environment: string;
  range: StatusRange;
  refreshSeconds: number;
  /** Bumped by the tab's Refresh button. */
  refreshKey: number;
}) {
  const api = useApi(awsEnvironmentsApiRef);
  const { entity, environment, range } = props;
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getStatus({ entity, range, environment, logs: false }),
    [
      api,
      entity.kind,
      entity.namespace,
      entity.name,
      environment,
      range,
      props.refreshKey,
    ],
  );
  // Pauses while a request is in flight so a slow AWS never stacks requests.
  useInterval(retry, loading ? null : props.refreshSeconds * 1000);

  if (loading && !value) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  const status = value?.environments.find(e => e.name === environment);
  if (!value || !status) return null;
  return (
    <>
      <EnvironmentSection
        environment={status}
        range={value.range}
        logs={
          <LogsPanel entity={entity} environment={environment} range={range} />
        }
      />
      <Box mt={2}>
        <EnvironmentCostAndDrift entity={entity} environment={environment} />
      </Box>
    </>
  );
}
