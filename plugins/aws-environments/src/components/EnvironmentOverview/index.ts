export { EnvironmentOverviewCard } from './EnvironmentOverviewCard';
export { DriftLine } from './DriftLine';
