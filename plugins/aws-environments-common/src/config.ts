import { Config } from '@backstage/config';

/**
 * A promotion policy of one environment.
 *
 * @public
 */
export interface PromotionPolicy {
  /** `auto`: a promotion into the previous environment that succeeds creates a request into this one. */
  trigger: 'manual' | 'auto';
  /** Whether someone other than the requester must approve. */
  reviewRequired: boolean;
  /** Entity refs of groups or users who may approve; empty means anyone with the permission. */
  approvers: string[];
  /** The gate before promotions into this environment deploy, when configured. */
  verification?: VerificationGate;
}

/**
 * What must hold in the source environment before a promotion deploys.
 * Alarm names and prefixes may contain `{project}` and `{environment}`.
 *
 * @public
 */
export interface VerificationGate {
  /** Minutes the image must have run healthy in the source environment. */
  soakMinutes: number;
  /** CloudWatch alarms that must not be in ALARM in the source environment. */
  alarmNames: string[];
  /** Alarm name prefixes, likewise. */
  alarmPrefixes: string[];
}

/** Longest soak a gate may ask for: one day. */
const MAX_SOAK_MINUTES = 1440;

function readVerification(
  env: Config,
  at: string,
): VerificationGate | undefined {
  const gate = env.getOptionalConfig('promotion.verification');
  if (!gate) {
    return undefined;
  }
  const soakMinutes = gate.getOptionalNumber('soakMinutes') ?? 0;
  if (!(soakMinutes >= 0 && soakMinutes <= MAX_SOAK_MINUTES)) {
    throw new Error(
      `${at}.promotion.verification.soakMinutes must be between 0 and ${MAX_SOAK_MINUTES}`,
    );
  }
  return {
    soakMinutes,
    alarmNames: gate.getOptionalStringArray('alarmNames') ?? [],
    alarmPrefixes: gate.getOptionalStringArray('alarmPrefixes') ?? [],
  };
}

/**
 * One environment of the promotion path, as configured in `awsEnvironments`.
 *
 * @public
 */
export interface AwsEnvironmentConfig {
  /** Environment name, e.g. `prod`: lowercase letters, digits and dashes. */
  name: string;
  /** Display name; defaults to `name`. */
  title: string;
  /** The 12-digit AWS account the environment lives in. */
  accountId: string;
  /** The AWS region, e.g. `eu-west-1`. */
  region: string;
  /** The VPC's `10.x.0.0/16` block. */
  vpcCidr: string;
  /** How images are promoted into this environment. */
  promotion: PromotionPolicy;
}

const ENV_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const CIDR16 = /^10\.(\d{1,3})\.0\.0\/16$/;

/**
 * Reads `awsEnvironments.environments` in promotion order and checks what
 * the config schema cannot express (name format, unique names, CIDRs).
 * Throws an error naming the offending key.
 *
 * @public
 */
export function readAwsEnvironments(config: Config): AwsEnvironmentConfig[] {
  const list =
    config.getOptionalConfigArray('awsEnvironments.environments') ?? [];
  const seen = new Set<string>();
  return list.map((env, index) => {
    const at = `awsEnvironments.environments[${index}]`;
    const name = env.getString('name');
    if (!ENV_NAME.test(name)) {
      throw new Error(
        `${at}.name "${name}" must be lowercase letters, digits and dashes, at most 16 characters`,
      );
    }
    if (seen.has(name)) {
      throw new Error(`${at}.name "${name}" is listed twice`);
    }
    seen.add(name);
    const accountId = env.getString('accountId');
    if (!ACCOUNT_ID.test(accountId)) {
      throw new Error(`${at}.accountId must be 12 digits`);
    }
    const region = env.getString('region');
    if (!REGION.test(region)) {
      throw new Error(`${at}.region "${region}" is not an AWS region name`);
    }
    const vpcCidr = env.getString('vpcCidr');
    const m = CIDR16.exec(vpcCidr);
    if (!m || Number(m[1]) > 255) {
      throw new Error(`${at}.vpcCidr "${vpcCidr}" must be a 10.x.0.0/16 block`);
    }
    const trigger = env.getString('promotion.trigger');
    if (trigger !== 'manual' && trigger !== 'auto') {
      throw new Error(`${at}.promotion.trigger must be "manual" or "auto"`);
    }
    return {
      name,
      title: env.getOptionalString('title') ?? name,
      accountId,
      region,
      vpcCidr,
      promotion: {
        trigger,
        reviewRequired: env.getBoolean('promotion.reviewRequired'),
        approvers: env.getOptionalStringArray('promotion.approvers') ?? [],
        verification: readVerification(env, at),
      },
    };
  });
}
