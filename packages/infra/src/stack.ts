import {
  CfnOutput,
  CfnParameter,
  DefaultStackSynthesizer,
  IStackSynthesizer,
  LegacyStackSynthesizer,
  Stack,
  Tags,
} from 'aws-cdk-lib';
import {
  AwsEnvironmentConfig,
  environmentResourceNames,
  EnvironmentResourceNames,
  validateProjectName,
} from '@envplane/plugin-aws-environments-common';
import { Construct } from 'constructs';
import { LoadBalancerConstruct } from './loadBalancer';
import { NetworkConstruct } from './network';
import {
  PROVISIONING_INPUTS_OUTPUT,
  provisioningInputsOf,
} from './provisioningInputs';
import { SEED_SERVICE, ServiceConstruct } from './service';
import type { EnvironmentStackInputs } from './stackInputs';

/**
 * Props of {@link AppEnvironmentStack}.
 *
 * @public
 */
export interface AppEnvironmentStackProps {
  /** What the user chose. */
  inputs: EnvironmentStackInputs;
  /** The environment the stack is for; gives its account, region and CIDR. */
  environment: AwsEnvironmentConfig;
}

/*
 * Tag values. `CreatedBy` and `ManagedBy` said `terraform` in the seed; here
 * the stack is created from the Backstage wizard and its state is held and
 * changed by CloudFormation through AWS CDK, so they say so. Anyone filtering
 * resources by tag can tell the two generations apart.
 */

/**
 * The `CreatedBy` tag value of every resource of the stacks.
 *
 * @public
 */
export const CREATED_BY = 'backstage';
/**
 * The `ManagedBy` tag value of every resource of the stacks.
 *
 * @public
 */
export const MANAGED_BY = 'aws-cdk';

/**
 * The tags of every resource of one environment's stack, and of the stack.
 *
 * @public
 */
export function environmentTags(
  inputs: Pick<EnvironmentStackInputs, 'project' | 'owner' | 'application'>,
  environment: string,
): Record<string, string> {
  return {
    Environment: environment,
    Project: inputs.project,
    Owner: inputs.owner,
    CreatedBy: CREATED_BY,
    ManagedBy: MANAGED_BY,
    Application: inputs.application ?? 'app',
  };
}

/** Throws an error naming the input when the inputs cannot make a stack. */
export function checkStackInputs(inputs: EnvironmentStackInputs): void {
  const projectProblem = validateProjectName(inputs.project);
  if (projectProblem) {
    throw new Error(`project "${inputs.project}" ${projectProblem}`);
  }
  if (!inputs.image.trim()) {
    throw new Error('image must not be empty');
  }
  const min = inputs.minCapacity ?? SEED_SERVICE.minCapacity;
  const max = inputs.maxCapacity ?? SEED_SERVICE.maxCapacity;
  const desired = inputs.desiredCount ?? 1;
  for (const [name, value] of Object.entries({
    minCapacity: min,
    maxCapacity: max,
    desiredCount: desired,
  })) {
    if (!Number.isInteger(value) || value < 1 || value > 10) {
      throw new Error(`${name} must be an integer from 1 to 10`);
    }
  }
  if (min > max) {
    throw new Error('minCapacity must not exceed maxCapacity');
  }
  if (desired < min || desired > max) {
    throw new Error(
      'desiredCount must lie between minCapacity and maxCapacity',
    );
  }
}

/**
 * One (project, environment) of the seed: network, ECS service, optional
 * load balancer. Region and account come from the environment's config.
 *
 * @public
 */
export class AppEnvironmentStack extends Stack {
  /** The environment's resource names. */
  readonly names: EnvironmentResourceNames;
  /** The VPC and its subnets and gateways. */
  readonly network: NetworkConstruct;
  /** The ECS service and what it needs. */
  readonly app: ServiceConstruct;
  /** The load balancer, when the inputs ask for one. */
  readonly loadBalancer?: LoadBalancerConstruct;
  /** The `ImageUri` parameter: the container image. */
  readonly imageParameter: CfnParameter;
  /** The `DesiredCount` parameter: the number of tasks. */
  readonly desiredCountParameter: CfnParameter;

  constructor(scope: Construct, id: string, props: AppEnvironmentStackProps) {
    const { inputs, environment } = props;
    checkStackInputs(inputs);
    const names = environmentResourceNames(inputs.project, environment.name);
    super(scope, id, {
      stackName: names.stackName,
      env: { account: environment.accountId, region: environment.region },
      description: stackDescription(inputs, environment),
      synthesizer: makeSynthesizer(inputs.synthesizer ?? 'legacy'),
      // No AWS::CDK::Metadata resource: it is only usage reporting, and it
      // would make the template differ between CDK versions for no reason.
      analyticsReporting: false,
    });
    this.names = names;
    // Tags.of (an aspect) writes the tags into every taggable resource of
    // the template, where they are visible and reviewable; it also sets them
    // as stack tags. Stack tags alone would only be propagated at deploy time.
    for (const [key, value] of Object.entries(
      environmentTags(inputs, environment.name),
    )) {
      Tags.of(this).add(key, value);
    }

    // Image and desired count are parameters so that a promotion only
    // changes parameter values: the stack stays the source of truth and no
    // one edits the service behind CloudFormation's back.
    this.imageParameter = new CfnParameter(this, 'ImageUri', {
      type: 'String',
      default: inputs.image,
      minLength: 1,
      description:
        'Container image of the app (registry/repository:tag or @digest)',
    });
    this.desiredCountParameter = new CfnParameter(this, 'DesiredCount', {
      type: 'Number',
      default: inputs.desiredCount ?? 1,
      minValue: 1,
      maxValue: 10,
      description: 'Number of tasks the service starts with',
    });

    this.network = new NetworkConstruct(this, 'Network', {
      namePrefix: names.stackName,
      vpcName: names.vpcName,
      vpcCidr: environment.vpcCidr,
      availabilityZones: this.availabilityZones,
    });

    this.app = new ServiceConstruct(this, 'App', {
      names,
      project: inputs.project,
      environment: environment.name,
      vpc: this.network.vpc,
      image: this.imageParameter.valueAsString,
      desiredCount: this.desiredCountParameter.valueAsNumber,
      minCapacity: inputs.minCapacity ?? SEED_SERVICE.minCapacity,
      maxCapacity: inputs.maxCapacity ?? SEED_SERVICE.maxCapacity,
      behindLoadBalancer: inputs.loadBalancer ?? false,
    });

    if (inputs.loadBalancer) {
      this.loadBalancer = new LoadBalancerConstruct(this, 'LoadBalancer', {
        names,
        vpc: this.network.vpc,
        service: this.app.service,
        containerName: names.containerName,
      });
    }

    Tags.of(this.app.cluster).add('Name', names.clusterName);
    Tags.of(this.app.securityGroup).add('Name', names.securityGroupName);

    const output = (outputId: string, value: string, description: string) =>
      new CfnOutput(this, outputId, { value, description });
    output('ClusterName', this.app.cluster.clusterName, 'ECS cluster');
    output('ServiceName', this.app.service.serviceName, 'ECS service');
    output('ServiceArn', this.app.service.serviceArn, 'ECS service ARN');
    output('LogGroupName', this.app.logGroup.logGroupName, 'Container logs');
    output('TaskRoleArn', this.app.taskRole.roleArn, 'Application IAM role');
    output('VpcId', this.network.vpc.vpcId, 'VPC');
    output('ParameterPath', names.parameterPath, 'SSM parameters of the app');
    if (this.loadBalancer) {
      output(
        'LoadBalancerDnsName',
        this.loadBalancer.loadBalancer.loadBalancerDnsName,
        'Public HTTP endpoint',
      );
    }
    // What a promotion needs to synthesize this stack again with another
    // image, held by the stack itself. Nothing secret is among the inputs.
    output(
      PROVISIONING_INPUTS_OUTPUT,
      JSON.stringify(provisioningInputsOf(inputs)),
      'Stack inputs other than the image (JSON), to synthesize it again',
    );
  }

  /**
   * The seed's three zones, `${region}a/b/c`, known without an AWS call:
   * with an explicit account and region CDK would otherwise look them up
   * (context provider) and synthesize placeholders until it has.
   */
  override get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map(zone => `${this.region}${zone}`);
  }
}

function makeSynthesizer(kind: 'legacy' | 'default'): IStackSynthesizer {
  return kind === 'default'
    ? new DefaultStackSynthesizer()
    : new LegacyStackSynthesizer();
}

function stackDescription(
  inputs: EnvironmentStackInputs,
  environment: AwsEnvironmentConfig,
): string {
  const base = `${inputs.project} ${environment.name} environment (VPC ${environment.vpcCidr}, ECS Fargate), provisioned from Backstage`;
  const full = inputs.description ? `${base}: ${inputs.description}` : base;
  // CloudFormation limits descriptions to 1024 bytes; aws-cdk-lib 2.270
  // refuses more than 512 characters (whatever its message says), which a
  // 500-character description from the wizard would otherwise exceed.
  return full.length > 512 || Buffer.byteLength(full) > 1024 ? base : full;
}
