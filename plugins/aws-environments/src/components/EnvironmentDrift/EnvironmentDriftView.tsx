import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  DriftPropertyDifference,
  DriftedResource,
  EnvironmentDrift,
  awsEnvironmentsDriftCheckPermission,
} from '@envplane/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api';

/** Props of {@link EnvironmentDriftView}. */
export interface EnvironmentDriftViewProps {
  /** The entity the environment belongs to, e.g. `component:default/shop`. */
  entityRef: string;
  /** The environment's drift, as `getDrift` answered it. */
  drift: EnvironmentDrift;
  /** Called with each newer drift read after "Check now". */
  onChange?: (drift: EnvironmentDrift) => void;
  /** How often to read the result while a check runs. Default 3000 ms. */
  pollIntervalMs?: number;
}

/** The backend's own words for a refused request (a 429 says when to retry). */
function messageOf(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body.error.message;
  }
  return (error as Error).message;
}

function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "In sync", "Drifted: 2 resources", ... with the status icon. */
function Headline({ drift }: { drift: EnvironmentDrift }) {
  switch (drift.status) {
    case 'in_sync':
      return <StatusOK>In sync</StatusOK>;
    case 'drifted':
      return (
        <StatusError>
          Drifted: {plural(drift.driftedResourceCount, 'resource')}
        </StatusError>
      );
    case 'failed':
      return <StatusError>Drift check failed</StatusError>;
    case 'checking':
      return <StatusPending>Checking drift…</StatusPending>;
    default:
      return <StatusPending>Drift not checked yet</StatusPending>;
  }
}

function Difference({ d }: { d: DriftPropertyDifference }) {
  if (d.redacted) {
    return (
      <li>
        <code>{d.path}</code> changed (the value is not shown: an SSM parameter
        may hold a secret)
      </li>
    );
  }
  const verb = { NOT_EQUAL: 'changed', ADD: 'added', REMOVE: 'removed' }[
    d.differenceType
  ];
  return (
    <li>
      <code>{d.path}</code> {verb}: expected <code>{d.expected ?? '—'}</code>,
      actual <code>{d.actual ?? '—'}</code>
    </li>
  );
}

function Resource({ r }: { r: DriftedResource }) {
  return (
    <Box mt={1} data-testid={`drifted-resource-${r.logicalId}`}>
      <Typography variant="body2">
        <strong>{r.logicalId}</strong> ({r.resourceType})
        {r.status === 'DELETED' ? ' was deleted outside CloudFormation' : ''}
      </Typography>
      {r.differences.length > 0 && (
        <Typography variant="body2" component="ul">
          {r.differences.map(d => (
            <Difference key={`${d.path}-${d.differenceType}`} d={d} />
          ))}
        </Typography>
      )}
    </Box>
  );
}

/**
 * One environment's CloudFormation drift: in sync or drifted with each
 * drifted resource's expected and actual properties, when it was checked,
 * and a "Check now" button for people allowed to start a check. After a
 * check starts it reads the result until the check is done.
 */
export function EnvironmentDriftView(props: EnvironmentDriftViewProps) {
  const { entityRef, onChange, pollIntervalMs = 3000 } = props;
  const api = useApi(awsEnvironmentsApiRef);
  const [drift, setDrift] = useState(props.drift);
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  /** Counts reads while checking, so each answer schedules the next. */
  const [polls, setPolls] = useState(0);
  const { allowed, loading } = usePermission({
    permission: awsEnvironmentsDriftCheckPermission,
    resourceRef: entityRef,
  });

  useEffect(() => setDrift(props.drift), [props.drift]);
  const { status, environment } = drift;

  // While a check runs, read the result again every pollIntervalMs.
  useEffect(() => {
    if (status !== 'checking') return undefined;
    let cancelled = false;
    const timer = setTimeout(async () => {
      try {
        const answer = await api.getDrift(parseEntityRef(entityRef));
        const next = answer.environments.find(
          e => e.environment === environment,
        );
        if (next && !cancelled) {
          setDrift(next);
          onChange?.(next);
          setPolls(n => n + 1);
        }
      } catch (e) {
        // Stops reading and says why; a reload reads the result again.
        if (!cancelled) setError(messageOf(e));
      }
    }, pollIntervalMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, status, environment, polls, entityRef, onChange, pollIntervalMs]);

  const checkNow = async () => {
    setStarting(true);
    setError(undefined);
    try {
      const next = await api.checkDrift({
        entity: parseEntityRef(entityRef),
        environment: drift.environment,
      });
      setDrift(next);
      onChange?.(next);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setStarting(false);
    }
  };

  const busy = starting || drift.status === 'checking';
  const button = (
    <Button
      variant="outlined"
      size="small"
      disabled={!allowed || busy}
      onClick={checkNow}
    >
      Check now
    </Button>
  );

  return (
    <Box data-testid={`environment-drift-${drift.environment}`}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Typography variant="body1" component="div">
          <Headline drift={drift} />
        </Typography>
        {allowed || loading ? (
          button
        ) : (
          <Tooltip
            title={`You may not check the drift of ${entityRef} (permission ${awsEnvironmentsDriftCheckPermission.name})`}
          >
            {/* A disabled button gets no mouse events; its wrapper does. */}
            <span>{button}</span>
          </Tooltip>
        )}
      </Box>
      <Typography variant="caption" color="textSecondary" component="p">
        Stack {drift.stackName}
        {drift.checkedAt ? `, checked ${when(drift.checkedAt)}` : ''}
        {drift.status === 'checking' && drift.startedAt
          ? `; a check started ${when(drift.startedAt)}`
          : ''}
      </Typography>
      {drift.error && (
        <Typography variant="body2" color="error">
          {drift.error}
        </Typography>
      )}
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      {drift.resources.map(r => (
        <Resource key={r.logicalId} r={r} />
      ))}
    </Box>
  );
}
