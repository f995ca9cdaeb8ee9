/**
 * The deployer a promotion runs: its contract lives in the aws-environments
 * node library, next to the real implementation (`createPromotionDeployer`).
 */
export type {
  PromotionDeployer,
  PromotionDeployRequest,
  PromotionDeployResult,
  PromotionInspection,
  PromotionInspectRequest,
} from '@envplane/plugin-aws-environments-node';
