import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Link } from '@backstage/core-components';
import {
  EnvironmentStatus,
  StatusRange,
} from '@envplane/plugin-aws-environments-common';
import { FindingsList } from './FindingsList';
import { HealthStatus } from './HealthStatus';
import { LogsList } from './LogsList';
import { MetricsCharts } from './MetricsCharts';
import { ParametersTable } from './ParametersTable';
import { ServiceSummary } from './ServiceSummary';
import { SourceErrors } from './SourceErrors';
import { TasksTable } from './TasksTable';

function ConsoleLinks(props: { links: EnvironmentStatus['consoleLinks'] }) {
  const entries: [string, string][] = [
    ['Service', props.links.service],
    ['Tasks', props.links.tasks],
    ['Logs', props.links.logs],
    ['Parameters', props.links.parameters],
    ['Metrics', props.links.metrics],
    ['Stack', props.links.stack],
  ];
  return (
    <Box display="flex" gridGap={16} flexWrap="wrap">
      {entries.map(([label, href]) => (
        <Link key={label} to={href} target="_blank" rel="noopener">
          {label} in the AWS console
        </Link>
      ))}
    </Box>
  );
}

/** Everything about one environment of the service, in one card. */
export function EnvironmentSection(props: {
  environment: EnvironmentStatus;
  range: StatusRange;
  /** Shown in place of `environment.logs`, e.g. a panel that reads them on demand. */
  logs?: ReactNode;
}) {
  const env = props.environment;
  return (
    <div data-testid={`environment-${env.name}`}>
      <InfoCard
        title={
          <Box display="flex" alignItems="center" gridGap={16}>
            <span>{env.title}</span>
            <HealthStatus health={env.health} />
          </Box>
        }
        subheader={`${env.accountId} · ${env.region}`}
      >
        <FindingsList findings={env.findings} />
        <SourceErrors errors={env.errors} />
        {env.service && <ServiceSummary service={env.service} />}
        {env.service && (
          <Box mb={2}>
            <TasksTable tasks={env.tasks} />
          </Box>
        )}
        {!env.errors.some(e => e.source === 'ssm') && (
          <Box mb={2}>
            <ParametersTable parameters={env.parameters} />
          </Box>
        )}
        {env.metrics && (
          <Box mb={2}>
            <MetricsCharts metrics={env.metrics} range={props.range} />
          </Box>
        )}
        {props.logs && <Box mb={2}>{props.logs}</Box>}
        {!props.logs && env.logs && (
          <Box mb={2}>
            <Typography variant="subtitle2">Recent logs</Typography>
            <LogsList logs={env.logs} />
          </Box>
        )}
        <ConsoleLinks links={env.consoleLinks} />
      </InfoCard>
    </div>
  );
}
