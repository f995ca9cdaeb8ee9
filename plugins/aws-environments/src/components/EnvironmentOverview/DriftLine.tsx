import Typography from '@material-ui/core/Typography';
import { EnvironmentDriftSummary } from '@envplane/plugin-aws-environments-common';

/**
 * The last drift check in a few words, for the grid and the overview
 * cards; nothing until a check has finished.
 */
export function DriftLine(props: {
  environment: string;
  drift?: EnvironmentDriftSummary;
}) {
  const { drift } = props;
  if (!drift?.checkedAt) return null;
  const when = new Date(drift.checkedAt).toLocaleString();
  let text: string;
  if (drift.status === 'drifted') {
    const n = drift.driftedResourceCount;
    text = `Drifted: ${n} resource${n === 1 ? '' : 's'}`;
  } else if (drift.status === 'in_sync') {
    text = 'In sync with its template';
  } else if (drift.status === 'failed') {
    text = 'Drift check failed';
  } else {
    return null;
  }
  return (
    <Typography
      variant="caption"
      component="div"
      color={drift.status === 'in_sync' ? 'textSecondary' : 'error'}
      title={`Drift checked ${when}`}
      data-testid={`drift-${props.environment}`}
    >
      {text}
    </Typography>
  );
}
