/**
 * The seed's environments (VPC, NAT, ECS Fargate, IAM, logs, optional ALB)
 * as AWS CDK constructs and one stack per (project, environment).
 *
 * @packageDocumentation
 */
export * from './network';
export * from './service';
export * from './loadBalancer';
export * from './stack';
export * from './synth';
export * from './provisioningInputs';
