/**
 * The seed's environments (VPC, NAT, ECS Fargate, IAM, logs, optional ALB)
 * as AWS CDK constructs and one stack per (project, environment).
 *
 * @packageDocumentation
 */
export { NetworkConstruct } from './network';
export type { NetworkConstructProps } from './network';
export { ServiceConstruct } from './service';
export type { ServiceConstructProps } from './service';
export { LoadBalancerConstruct } from './loadBalancer';
export type { LoadBalancerConstructProps } from './loadBalancer';
export {
  AppEnvironmentStack,
  CREATED_BY,
  environmentTags,
  MANAGED_BY,
} from './stack';
export type { AppEnvironmentStackProps } from './stack';
export type { EnvironmentStackInputs } from './stackInputs';
export { buildEnvironmentsApp, synthesizeEnvironments } from './synth';
export type {
  SynthesizedEnvironment,
  SynthesizedEnvironments,
  SynthesizeOptions,
} from './synth';
export {
  PROVISIONING_INPUTS_OUTPUT,
  provisioningInputsOf,
  readProvisioningInputs,
} from './provisioningInputs';
export type { ProvisioningInputs, StackOutputs } from './provisioningInputs';
