/**
 * What a user chooses in the wizard; the same for every environment of a run.
 *
 * @public
 */
export interface EnvironmentStackInputs {
  /** The project name; see `validateProjectName`. */
  project: string;
  /** Entity ref of the owning group or user, e.g. `group:default/devops-team`. */
  owner: string;
  /** Added to the stack's description. */
  description?: string;
  /** Default value of the stack's `ImageUri` parameter. */
  image: string;
  /** Default value of the stack's `DesiredCount` parameter. Default 1. */
  desiredCount?: number;
  /** Default 1 (the seed's minimum). */
  minCapacity?: number;
  /** Default 10 (the seed's maximum). */
  maxCapacity?: number;
  /** Adds the seed's future Application Load Balancer. Default false. */
  loadBalancer?: boolean;
  /** The seed's `Application` tag. Default `app`. */
  application?: string;
  /**
   * `legacy` (default) deploys without a bootstrap stack: templates go inline
   * and there are no assets. `default` needs `cdk bootstrap` in each account.
   */
  synthesizer?: 'legacy' | 'default';
}
