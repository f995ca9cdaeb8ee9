export { EnvironmentSection } from './EnvironmentSection';
export { LogsPanel } from './LogsPanel';
