import { Alert } from '@material-ui/lab';
import Box from '@material-ui/core/Box';
import { EnvironmentError } from '@envplane/plugin-aws-environments-common';

const SOURCE_NAMES: Record<EnvironmentError['source'], string> = {
  ecs: 'ECS',
  ssm: 'SSM Parameter Store',
  cloudwatch: 'CloudWatch metrics',
  logs: 'CloudWatch Logs',
  autoscaling: 'Application Auto Scaling',
};

const HINTS: Record<EnvironmentError['type'], string> = {
  NOT_FOUND: 'Not found: has this environment been provisioned?',
  ACCESS_DENIED: 'Access denied.',
  THROTTLED: 'AWS throttled the request; it is retried on the next refresh.',
  TIMEOUT: 'AWS did not answer in time.',
  UNKNOWN: 'Could not be read.',
};

/** What could not be read in this environment, one line per AWS source. */
export function SourceErrors(props: { errors: EnvironmentError[] }) {
  if (props.errors.length === 0) {
    return null;
  }
  return (
    <Box display="flex" flexDirection="column" gridGap={8} mb={2}>
      {props.errors.map(error => (
        <Alert
          key={error.source}
          severity="warning"
          data-testid={`source-error-${error.source}`}
        >
          <strong>{SOURCE_NAMES[error.source]}</strong>: {HINTS[error.type]}{' '}
          {error.message}
        </Alert>
      ))}
    </Box>
  );
}
