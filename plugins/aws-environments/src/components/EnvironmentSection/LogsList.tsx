import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { LogEvent } from '@envplane/plugin-aws-environments-common';

/** The newest log lines of the service's log group. */
export function LogsList(props: { logs: LogEvent[] }) {
  if (props.logs.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No log events in this range.
      </Typography>
    );
  }
  return (
    <Box
      component="pre"
      data-testid="logs"
      style={{ maxHeight: 240, overflow: 'auto', fontSize: 12, margin: 0 }}
    >
      {props.logs
        .map(
          e =>
            `${new Date(e.timestamp).toISOString()}  ${e.logStream
              .split('/')
              .pop()}  ${e.message}`,
        )
        .join('\n')}
    </Box>
  );
}
