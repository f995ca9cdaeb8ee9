export { EnvironmentStatusPage } from './EnvironmentStatusPage';
