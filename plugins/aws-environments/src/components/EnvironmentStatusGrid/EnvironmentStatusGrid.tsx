import { useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import {
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  EntityRefLink,
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  identityApiRef,
  useApi,
  useRouteRef,
} from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import Typography from '@material-ui/core/Typography';
import { useConfiguredEnvironments } from '../../hooks/useConfiguredEnvironments';
import { EnvironmentCell } from './EnvironmentCell';
import { PromotionHistoryDialog } from './PromotionHistoryDialog';
import { OverviewPageQuery } from '../../api';
import {
  GridRow,
  entitiesSource,
  pageSource,
  useEnvironmentGrid,
} from './useEnvironmentGrid';

/**
 * `spec.owner` as written, often a bare group name. EntityRefLink builds its
 * link from a string ref without defaults and throws on a bare name, which
 * would take the whole grid down, so the ref is completed here.
 */
function ownerRef(entity: Entity): CompoundEntityRef | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
  } catch {
    return undefined;
  }
}

/**
 * Services as rows, environments as columns in promotion order: what runs
 * where, how healthy it is, and what waits for review.
 */
export function EnvironmentStatusGrid(props: {
  /** These entities' rows; or, with `query`, one page the backend filters. */
  entities?: Entity[];
  query?: OverviewPageQuery;
  /** Called with the cursor of the page a person asks for. */
  onCursor?: (cursor: string) => void;
  title?: string;
}) {
  const environments = useConfiguredEnvironments();
  const entityRoute = useRouteRef(entityRouteRef);
  const queryKey = props.query ? JSON.stringify(props.query) : undefined;
  const entitiesKey = props.entities
    ?.map(e => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`)
    .join(',');
  const source = useMemo(
    () => {
      if (props.query) return pageSource(props.query);
      return props.entities ? entitiesSource(props.entities) : undefined;
    },
    // Rebuilt only when other rows are asked for, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [queryKey, entitiesKey],
  );
  const { value, loading, error, retry } = useEnvironmentGrid(source);
  // Once per grid, not per cell.
  const identityApi = useApi(identityApiRef);
  const { value: currentUser } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  // Held here, not in the cell: the table may remount its cells when a poll
  // brings new data, which would close a dialog someone is reading.
  const [historyOf, setHistoryOf] = useState<string>();

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
      render: row => {
        const owner = ownerRef(row.entity);
        return owner ? <EntityRefLink entityRef={owner} /> : null;
      },
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
            // Lower-cased and encoded, as the service's own link in the row.
            entityRouteParams(row.entity, { encodeParams: true }),
          )}/environments`}
          status={row.environments[env.name]}
          drift={row.drift?.[env.name]}
          promotion={value.promotions[row.entityRef]?.[env.name]}
          next={
            environments[i + 1] && row.environments[environments[i + 1].name]
              ? environments[i + 1]
              : undefined
          }
          currentUser={currentUser}
          onChange={retry}
          onShowHistory={setHistoryOf}
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
      {value.page && (
        <Box
          display="flex"
          alignItems="center"
          justifyContent="flex-end"
          gridGap={8}
          mt={1}
          data-testid="grid-pages"
        >
          <Typography variant="body2" color="textSecondary">
            {value.rows.length} of {value.page.totalItems} services
          </Typography>
          <Button
            size="small"
            disabled={!value.page.prevCursor || loading}
            onClick={() => props.onCursor?.(value.page!.prevCursor!)}
          >
            Previous
          </Button>
          <Button
            size="small"
            disabled={!value.page.nextCursor || loading}
            onClick={() => props.onCursor?.(value.page!.nextCursor!)}
          >
            Next
          </Button>
        </Box>
      )}
      {historyOf && (
        <PromotionHistoryDialog
          promotionId={historyOf}
          onClose={() => setHistoryOf(undefined)}
        />
      )}
    </>
  );
}
