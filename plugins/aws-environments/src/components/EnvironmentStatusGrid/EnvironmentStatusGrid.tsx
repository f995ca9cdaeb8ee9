import {
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  identityApiRef,
  useApi,
  useRouteRef,
} from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import Typography from '@material-ui/core/Typography';
import { useConfiguredEnvironments } from '../../hooks/useConfiguredEnvironments';
import { EnvironmentCell } from './EnvironmentCell';
import { GridRow, useEnvironmentGrid } from './useEnvironmentGrid';

/**
 * Services as rows, environments as columns in promotion order: what runs
 * where, how healthy it is, and what waits for review.
 */
export function EnvironmentStatusGrid(props: {
  entities: Entity[] | undefined;
  title?: string;
}) {
  const environments = useConfiguredEnvironments();
  const entityRoute = useRouteRef(entityRouteRef);
  const { value, loading, error, retry } = useEnvironmentGrid(props.entities);
  // Once per grid, not per cell.
  const identityApi = useApi(identityApiRef);
  const { value: currentUser } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return <Progress />;
  }

  const columns: TableColumn<GridRow>[] = [
    {
      title: 'Service',
      render: row => (
        <>
          <EntityRefLink entityRef={row.entity} />
          {row.error && (
            <Typography variant="caption" color="error" component="div">
              {row.error.message}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Owner',
      render: row => (
        <EntityRefLink
          entityRef={String(row.entity.spec?.owner ?? '')}
          defaultKind="group"
        />
      ),
    },
    ...environments.map((env, i) => ({
      title: (
        <span>
          {env.title}
          <Typography variant="caption" display="block" color="textSecondary">
            {env.trigger}
            {env.reviewRequired ? ', review' : ''}
          </Typography>
        </span>
      ) as any,
      render: (row: GridRow) => (
        <EnvironmentCell
          entityRef={row.entityRef}
          environmentsLink={`${entityRoute(
            getCompoundEntityRef(row.entity),
          )}/environments`}
          status={row.environments[env.name]}
          promotion={value.promotions[row.entityRef]?.[env.name]}
          next={
            environments[i + 1] && row.environments[environments[i + 1].name]
              ? environments[i + 1]
              : undefined
          }
          currentUser={currentUser}
          onChange={retry}
        />
      ),
    })),
  ];

  return (
    <>
      {value.promotionsError && (
        <WarningPanel
          severity="warning"
          title="Promotions could not be read"
          message={value.promotionsError.message}
        />
      )}
      <Table<GridRow>
        title={props.title ?? 'Environments'}
        isLoading={loading}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={value.rows}
        emptyContent={
          <Typography style={{ padding: 16 }}>
            No service carries the <code>aws-environments.io/project</code>{' '}
            annotation yet. Provision one with the{' '}
            <Link to="/create">template wizard</Link>.
          </Typography>
        }
      />
    </>
  );
}
