import {
  AwsEnvironmentConfig,
  PromotionPolicy,
} from '@envplane/plugin-aws-environments-common';
import { StoredGate } from './promotionTables';

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

  /**
   * The gate a promotion of `project` from `from` into `to` must pass, with
   * `{project}` and `{environment}` (the source) filled into alarm names;
   * undefined when `to` has none.
   */
  gate(project: string, from: string, to: string): StoredGate | undefined {
    const verification = this.policy(to).verification;
    if (!verification) {
      return undefined;
    }
    const fill = (pattern: string) =>
      pattern
        .replace(/\{project\}/g, project)
        .replace(/\{environment\}/g, from);
    return {
      soakMinutes: verification.soakMinutes,
      alarmNames: verification.alarmNames.map(fill),
      alarmPrefixes: verification.alarmPrefixes.map(fill),
    };
  }
}
