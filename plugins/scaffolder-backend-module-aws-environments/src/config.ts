import { Config } from '@backstage/config';
import {
  AwsEnvironmentConfig,
  readAwsEnvironments,
} from '@internal/plugin-aws-environments-common';

export interface ProvisioningOptions {
  concurrency: number;
  synthesizer: 'legacy' | 'default';
  validateTemplates: boolean;
  pollIntervalMs: number;
}

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

/**
 * Environments whose destruction or provisioning needs an explicit
 * confirmation: the one named `prod` and the last of the promotion path
 * (the list order in config), whatever it is called.
 */
export function protectedEnvironmentNames(
  environments: AwsEnvironmentConfig[],
): Set<string> {
  const names = new Set<string>();
  if (environments.some(e => e.name === 'prod')) {
    names.add('prod');
  }
  const last = environments[environments.length - 1];
  if (last) {
    names.add(last.name);
  }
  return names;
}

export { readAwsEnvironments };
