export * from './types';
export { detectFindings, healthFromFindings } from './detectFindings';
export { detectRunningBelowDesired } from './runningBelowDesired';
export { detectCrashLooping, isCrashedTask } from './crashLooping';
export { detectDeploymentFailed } from './deploymentFailed';
export { detectScalingPinnedAtMax } from './scalingPinnedAtMax';
export {
  detectCpuAboveTarget,
  detectMemoryAboveTarget,
} from './resourcePressure';
export { detectAppSecretMissing } from './appSecretMissing';
