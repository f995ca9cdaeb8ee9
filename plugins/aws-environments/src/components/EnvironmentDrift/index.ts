export { EnvironmentDriftView } from './EnvironmentDriftView';
export type { EnvironmentDriftViewProps } from './EnvironmentDriftView';
