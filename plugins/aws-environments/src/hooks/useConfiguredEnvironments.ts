import { configApiRef, useApi } from '@backstage/core-plugin-api';

export interface ConfiguredEnvironment {
  name: string;
  title: string;
  trigger: 'manual' | 'auto';
  reviewRequired: boolean;
}

/** The promotion path from `awsEnvironments.environments`, in order. */
export function useConfiguredEnvironments(): ConfiguredEnvironment[] {
  const config = useApi(configApiRef);
  return (
    config.getOptionalConfigArray('awsEnvironments.environments') ?? []
  ).map(env => ({
    name: env.getString('name'),
    title: env.getOptionalString('title') ?? env.getString('name'),
    trigger:
      env.getOptionalString('promotion.trigger') === 'auto' ? 'auto' : 'manual',
    reviewRequired: env.getOptionalBoolean('promotion.reviewRequired') ?? false,
  }));
}
