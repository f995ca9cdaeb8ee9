/** What to deploy: one image of one project into one environment. */
export interface PromotionDeployRequest {
  project: string;
  environment: string;
  image: string;
  promotionId: string;
  /**
   * Called with each progress line (e.g. CloudFormation stack events); the
   * lines are stored in the promotion's history for the UI. Must not throw.
   */
  onProgress(message: string): void;
}

export type PromotionDeployResult =
  | { ok: true }
  | { ok: false; reason: string };

/**
 * Deploys an image into an environment. Injected: the real implementation
 * (a CDK deploy with the image as a stack parameter) lives in another
 * package. On failure it must leave the environment on its previous image
 * (CloudFormation rollback) and report the stack's reason.
 */
export interface PromotionDeployer {
  deploy(request: PromotionDeployRequest): Promise<PromotionDeployResult>;
}
