export { EnvironmentSection } from './EnvironmentSection';
