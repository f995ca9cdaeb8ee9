import {
  AwsEnvironmentConfig,
  PromotionPolicy,
} from '@envplane/plugin-aws-environments-common';

/**
 * The configured environments in promotion order. A promotion always goes
 * from one environment to the one right after it; nothing skips a step.
 */
export class PromotionPath {
  constructor(private readonly environments: AwsEnvironmentConfig[]) {}

  names(): string[] {
    return this.environments.map(e => e.name);
  }

  has(name: string): boolean {
    return this.environments.some(e => e.name === name);
  }

  /** The environment after `name`, or undefined for the last one. */
  next(name: string): AwsEnvironmentConfig | undefined {
    const index = this.environments.findIndex(e => e.name === name);
    return index < 0 ? undefined : this.environments[index + 1];
  }

  policy(name: string): PromotionPolicy {
    const environment = this.environments.find(e => e.name === name);
    if (!environment) {
      throw new Error(`Environment "${name}" is not configured`);
    }
    return environment.promotion;
  }
}
