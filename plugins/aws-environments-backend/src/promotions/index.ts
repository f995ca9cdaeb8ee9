/**
 * Promotion of a service's image from one environment to the next, with
 * review, automatic steps and an audit history.
 */
export {
  PROMOTIONS_TASK_ID,
  createPromotionWorkflow,
} from './createPromotionWorkflow';
export type {
  PromotionWorkflow,
  PromotionWorkflowOptions,
} from './createPromotionWorkflow';
export type {
  PromotionDeployer,
  PromotionDeployRequest,
  PromotionDeployResult,
  PromotionInspection,
  PromotionInspectRequest,
} from '@envplane/plugin-aws-environments-node';
export type {
  EnvironmentState,
  EnvironmentStateReader,
} from './EnvironmentStateReader';
export { createStatusEnvironmentStateReader } from './statusEnvironmentStateReader';
export {
  createPromotionConditionalDecision,
  promotionConditions,
  promotionPermissionResourceRef,
  promotionPermissionRules,
} from './promotionPermissions';
export type { PromotionQuery } from './promotionPermissions';
