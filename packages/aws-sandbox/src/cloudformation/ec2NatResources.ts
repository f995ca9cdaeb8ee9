/*
 * AWS::EC2::EIP and AWS::EC2::NatGateway as records in the region's EC2
 * state: a NAT gateway has a private address in its subnet and, when
 * public, an Elastic IP's; a deleted one stays, in state `deleted`.
 */
import { AwsError } from '../protocol/errors';
import {
  addressIn,
  blockSize,
  derivedId,
  ec2State,
} from '../services/ec2Network';
import { hashString } from '../simulation/random';
import { hexId, Provider } from './provider';
import { tagsOf } from './ec2ResourceTags';
import { subnetNotFound } from './ec2ResourceValidation';

export const natProviders: Record<string, Provider> = {
  'AWS::EC2::EIP': {
    create: (p, ctx) => {
      const r = ctx.sandbox.random;
      const ip = `3.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
      const allocation = hexId(ctx, 'eipalloc');
      ec2State(ctx).addresses[allocation] = {
        AllocationId: allocation,
        PublicIp: ip,
        Domain: p.Domain ?? 'vpc',
        Tags: tagsOf(p, ctx),
      };
      return {
        physicalId: ip,
        attributes: { PublicIp: ip, AllocationId: allocation },
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const a =
        ec2State(ctx).addresses[String(previous.attributes.AllocationId)];
      if (a) a.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (_id, _p, attributes, ctx) => {
      delete ec2State(ctx).addresses[String(attributes.AllocationId)];
    },
    replaceOn: ['Domain', 'InstanceId'],
  },

  'AWS::EC2::NatGateway': {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      const subnet = ec2.subnets[p.SubnetId];
      if (!subnet) throw subnetNotFound(p.SubnetId);
      const connectivity = p.ConnectivityType ?? 'public';
      const address = p.AllocationId
        ? ec2.addresses[p.AllocationId]
        : undefined;
      if (connectivity === 'public' && !address) {
        throw new AwsError(
          'InvalidAllocationID.NotFound',
          `Allocation ID '${p.AllocationId}' not found.`,
        );
      }
      const id = hexId(ctx, 'nat');
      const hostCount = Math.max(1, blockSize(subnet.CidrBlock) - 5);
      ec2.natGateways[id] = {
        NatGatewayId: id,
        SubnetId: subnet.SubnetId,
        VpcId: subnet.VpcId,
        State: 'available',
        ConnectivityType: connectivity,
        AllocationId: address?.AllocationId,
        PublicIp: address?.PublicIp,
        PrivateIp: addressIn(
          subnet.CidrBlock,
          4 + (hashString(id) % hostCount),
        ),
        NetworkInterfaceId: derivedId('eni', id),
        CreateTime: ctx.now,
        Tags: tagsOf(p, ctx),
      };
      return { physicalId: id, attributes: { NatGatewayId: id } };
    },
    update: (physicalId, p, previous, ctx) => {
      const n = ec2State(ctx).natGateways[physicalId];
      if (n) n.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    // A deleted NAT gateway stays visible, in state `deleted`, for an hour.
    delete: (physicalId, _p, _a, ctx) => {
      const n = ec2State(ctx).natGateways[physicalId];
      if (n && n.State !== 'deleted') {
        n.State = 'deleted';
        n.DeleteTime = ctx.now;
      }
    },
    replaceOn: [
      'AllocationId',
      'SubnetId',
      'ConnectivityType',
      'PrivateIpAddress',
    ],
  },
};
