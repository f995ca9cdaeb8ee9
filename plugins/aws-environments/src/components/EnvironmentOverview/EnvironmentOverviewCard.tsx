import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentDriftSummary,
  EnvironmentSummary,
} from '@envplane/plugin-aws-environments-common';
import { HealthStatus } from '../EnvironmentSection/HealthStatus';
import { DriftLine } from './DriftLine';
import { imageTag } from '../EnvironmentStatusGrid/imageTag';

function Line(props: {
  label: string;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <Box display="flex" gridGap={8} data-testid={props.testId}>
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ minWidth: 72 }}
      >
        {props.label}
      </Typography>
      <Typography
        variant="body2"
        component="div"
        style={{ overflowWrap: 'anywhere' }}
      >
        {props.children}
      </Typography>
    </Box>
  );
}

/**
 * One environment at a glance: health, tasks, what runs and since when, the
 * most severe finding. Details (tasks, parameters, charts, logs) open below
 * the overview on demand.
 */
export function EnvironmentOverviewCard(props: {
  name: string;
  summary?: EnvironmentSummary;
  drift?: EnvironmentDriftSummary;
  selected: boolean;
  onSelect: () => void;
}) {
  const { name, summary, selected } = props;
  const service = summary?.service;
  const finding = summary?.findings[0];
  return (
    <Card
      variant="outlined"
      data-testid={`overview-${name}`}
      style={{ height: '100%', display: 'flex', flexDirection: 'column' }}
      raised={selected}
    >
      <CardContent style={{ flexGrow: 1 }}>
        <Box display="flex" justifyContent="space-between" alignItems="center">
          <Typography variant="h6">{summary?.title ?? name}</Typography>
          {summary && <HealthStatus health={summary.health} />}
        </Box>
        {!summary && (
          <Typography variant="body2" color="textSecondary">
            Reading from AWS…
          </Typography>
        )}
        {summary && (
          <Box mt={1} display="flex" flexDirection="column" gridGap={4}>
            <Line label="Tasks" testId={`tasks-${name}`}>
              {service
                ? `${service.runningCount} of ${service.desiredCount} running${
                    service.pendingCount
                      ? `, ${service.pendingCount} pending`
                      : ''
                  }`
                : '—'}
            </Line>
            <Line label="Image" testId={`image-${name}`}>
              {service?.image ? (
                <span title={service.image}>{imageTag(service.image)}</span>
              ) : (
                '—'
              )}
            </Line>
            <Line label="Deployed">
              {service?.deployedAt
                ? new Date(service.deployedAt).toLocaleString()
                : '—'}
              {service?.rolloutState && service.rolloutState !== 'COMPLETED'
                ? ` (rollout ${service.rolloutState
                    .toLowerCase()
                    .replace('_', ' ')})`
                : ''}
            </Line>
            {finding && (
              <Typography
                variant="body2"
                color={finding.severity === 'error' ? 'error' : 'textPrimary'}
                data-testid={`finding-${finding.id}`}
              >
                {finding.title}
                {summary.findings.length > 1
                  ? ` (+${summary.findings.length - 1})`
                  : ''}
              </Typography>
            )}
            <DriftLine environment={name} drift={props.drift} />
            {summary.errors.length > 0 && (
              <Typography variant="caption" color="error">
                Could not read {summary.errors.map(e => e.source).join(', ')}
              </Typography>
            )}
            <Typography variant="caption" color="textSecondary">
              {summary.accountId} · {summary.region} · read{' '}
              {new Date(summary.fetchedAt).toLocaleTimeString()}
            </Typography>
          </Box>
        )}
      </CardContent>
      <CardActions>
        <Button
          size="small"
          color="primary"
          aria-pressed={selected}
          aria-label={`${selected ? 'Hide' : 'Show'} details of ${
            summary?.title ?? name
          }`}
          onClick={props.onSelect}
        >
          {selected ? 'Hide details' : 'Details'}
        </Button>
      </CardActions>
    </Card>
  );
}
