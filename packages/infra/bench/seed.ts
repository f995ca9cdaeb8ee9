import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { EnvironmentStackInputs } from '../src';

/** The seed's four environments, as configured in app-config.yaml. */
export const SEED_BENCH_ENVIRONMENTS: AwsEnvironmentConfig[] = (
  [
    ['test', '10.3.0.0/16', 'manual', false],
    ['qa', '10.1.0.0/16', 'manual', true],
    ['staging', '10.2.0.0/16', 'auto', true],
    ['prod', '10.0.0.0/16', 'manual', true],
  ] as const
).map(([name, vpcCidr, trigger, reviewRequired]) => ({
  name,
  title: name,
  accountId: '000000000000',
  region: 'us-east-1',
  vpcCidr,
  promotion: { trigger, reviewRequired, approvers: [] },
}));

export const BENCH_INPUTS: EnvironmentStackInputs = {
  project: 'devops-app',
  owner: 'group:default/devops-team',
  image: 'public.ecr.aws/docker/library/python:3.12-slim',
};
