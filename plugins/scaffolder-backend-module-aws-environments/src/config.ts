import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';

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
