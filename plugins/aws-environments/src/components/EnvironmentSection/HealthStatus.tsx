import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { EnvironmentHealth } from '@envplane/plugin-aws-environments-common';

const LABELS: Record<EnvironmentHealth, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  unhealthy: 'Unhealthy',
  unknown: 'Unknown',
};

/** The environment's overall health as a status dot and a word. */
export function HealthStatus(props: { health: EnvironmentHealth }) {
  return (
    <span data-testid={`health-${props.health}`}>
      <StatusIcon health={props.health} />
    </span>
  );
}

function StatusIcon(props: { health: EnvironmentHealth }) {
  const label = LABELS[props.health];
  switch (props.health) {
    case 'healthy':
      return <StatusOK>{label}</StatusOK>;
    case 'degraded':
      return <StatusWarning>{label}</StatusWarning>;
    case 'unhealthy':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}
