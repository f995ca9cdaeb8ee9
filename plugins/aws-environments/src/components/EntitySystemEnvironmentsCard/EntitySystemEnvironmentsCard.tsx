import useAsync from 'react-use/esm/useAsync';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CATALOG_FILTER_EXISTS,
  catalogApiRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { ANNOTATION_PROJECT } from '@envplane/plugin-aws-environments-common';
import Box from '@material-ui/core/Box';
import { DeliveryMetricsCard } from '../DeliveryMetricsCard';
import { EnvironmentStatusGrid } from '../EnvironmentStatusGrid';

/** The environment status view for one System's components, on the System's page. */
export function EntitySystemEnvironmentsCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const systemRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'component',
        [`metadata.annotations.${ANNOTATION_PROJECT}`]: CATALOG_FILTER_EXISTS,
      },
    });
    // spec.system may be a short name or a full ref; compare full refs.
    return items.filter(c => {
      const system = c.spec?.system;
      if (typeof system !== 'string') return false;
      const full = system.includes(':')
        ? system
        : `system:${c.metadata.namespace ?? 'default'}/${system}`;
      return full === systemRef;
    });
  }, [catalogApi, systemRef]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const components = value ?? [];
  return (
    <>
      <EnvironmentStatusGrid entities={value} title="Environments" />
      {components.length > 0 && (
        <Box mt={2}>
          <DeliveryMetricsCard
            entityRefs={components.map(c => stringifyEntityRef(c))}
          />
        </Box>
      )}
    </>
  );
}
