import { Config } from '@backstage/config';

/**
 * `awsEnvironments.provisioning`: how stacks are synthesized and deployed,
 * the same for the scaffolder actions and for promotions (the schema is
 * declared in the scaffolder module's config.d.ts).
 *
 * @public
 */
export interface ProvisioningOptions {
  /** Environments one provision run deploys at a time (1 to 16). */
  concurrency: number;
  /** Synthesizer of newly created stacks; a promotion keeps the stack's own. */
  synthesizer: 'legacy' | 'default';
  /** Run aws-cdk-lib's template validation during synthesis. */
  validateTemplates: boolean;
  /** Milliseconds between CloudFormation polls while deploying. */
  pollIntervalMs: number;
}

/**
 * Reads `awsEnvironments.provisioning` with its defaults; throws an error
 * naming the key of a value out of range.
 *
 * @public
 */
export function readProvisioningOptions(config: Config): ProvisioningOptions {
  const key = 'awsEnvironments.provisioning';
  const concurrency = config.getOptionalNumber(`${key}.concurrency`) ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new Error(`${key}.concurrency must be an integer from 1 to 16`);
  }
  const synthesizer =
    config.getOptionalString(`${key}.synthesizer`) ?? 'legacy';
  if (synthesizer !== 'legacy' && synthesizer !== 'default') {
    throw new Error(`${key}.synthesizer must be "legacy" or "default"`);
  }
  const pollIntervalMs =
    config.getOptionalNumber(`${key}.pollIntervalMs`) ?? 2000;
  if (!(pollIntervalMs >= 0)) {
    throw new Error(`${key}.pollIntervalMs must not be negative`);
  }
  return {
    concurrency,
    synthesizer,
    validateTemplates:
      config.getOptionalBoolean(`${key}.validateTemplates`) ?? false,
    pollIntervalMs,
  };
}
