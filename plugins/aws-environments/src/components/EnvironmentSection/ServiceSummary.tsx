import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { StructuredMetadataTable } from '@backstage/core-components';
import { EcsServiceSummary } from '@envplane/plugin-aws-environments-common';

function Count(props: { label: string; value: number; testId: string }) {
  return (
    <Box mr={4} textAlign="center" data-testid={props.testId}>
      <Typography variant="h4">{props.value}</Typography>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
    </Box>
  );
}

/** Desired/running/pending, the rollout of each deployment and the latest events. */
export function ServiceSummary(props: { service: EcsServiceSummary }) {
  const { service } = props;
  const primary = service.deployments.find(d => d.status === 'PRIMARY');
  return (
    <Box mb={2}>
      <Box display="flex" alignItems="center" mb={2}>
        <Count
          label="Desired"
          value={service.desiredCount}
          testId="count-desired"
        />
        <Count
          label="Running"
          value={service.runningCount}
          testId="count-running"
        />
        <Count
          label="Pending"
          value={service.pendingCount}
          testId="count-pending"
        />
        {primary?.rolloutState && (
          <Chip
            label={`Rollout ${primary.rolloutState
              .toLowerCase()
              .replace('_', ' ')}`}
            color={primary.rolloutState === 'FAILED' ? 'secondary' : 'default'}
            size="small"
          />
        )}
      </Box>
      <StructuredMetadataTable
        dense
        metadata={{
          service: service.serviceName,
          cluster: service.clusterName,
          status: service.status,
          image: service.image ?? '—',
          'task definition': service.taskDefinitionRevision
            ? `revision ${service.taskDefinitionRevision}`
            : '—',
          'circuit breaker': service.circuitBreaker
            ? `${service.circuitBreaker.enable ? 'on' : 'off'}, rollback ${
                service.circuitBreaker.rollback ? 'on' : 'off'
              }`
            : 'off',
          scaling: service.scaling
            ? `${service.scaling.minCapacity}–${service.scaling.maxCapacity} tasks`
            : 'fixed',
          deployments: service.deployments.map(
            d =>
              `${d.status}: rev ${d.taskDefinitionRevision ?? '?'}, ${
                d.runningCount
              }/${d.desiredCount} running${
                d.failedTasks ? `, ${d.failedTasks} failed` : ''
              }${d.rolloutState ? `, ${d.rolloutState}` : ''}${
                d.rolloutStateReason ? ` (${d.rolloutStateReason})` : ''
              }`,
          ),
        }}
      />
      {service.events.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2">Latest service events</Typography>
          {service.events.map(event => (
            <Typography key={event.id} variant="body2" component="div">
              <Typography variant="caption" color="textSecondary">
                {new Date(event.createdAt).toLocaleString()}
              </Typography>{' '}
              {event.message}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}
