export { EnvironmentStatusGrid } from './EnvironmentStatusGrid';
