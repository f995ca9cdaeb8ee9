/*
 * AWS::EC2::RouteTable, AWS::EC2::Route and
 * AWS::EC2::SubnetRouteTableAssociation as records in the region's EC2
 * state: a route table starts with its VPC's local route, a route is known
 * by its table and destination, a subnet has at most one association.
 */
import { AwsError } from '../protocol/errors';
import { ec2State } from '../services/ec2Network';
import { hexId, Provider } from './provider';
import { tagsOf } from './ec2ResourceTags';
import {
  routeTableNotFound,
  subnetNotFound,
  vpcOf,
} from './ec2ResourceValidation';

export const routeProviders: Record<string, Provider> = {
  'AWS::EC2::RouteTable': {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      const vpc = vpcOf(ec2, p.VpcId);
      const id = hexId(ctx, 'rtb');
      ec2.routeTables[id] = {
        RouteTableId: id,
        VpcId: vpc.VpcId,
        Routes: [
          {
            DestinationCidrBlock: vpc.CidrBlock,
            GatewayId: 'local',
            Origin: 'CreateRouteTable',
          },
        ],
        Associations: [],
        Tags: tagsOf(p, ctx),
      };
      return { physicalId: id, attributes: { RouteTableId: id } };
    },
    update: (physicalId, p, previous, ctx) => {
      const t = ec2State(ctx).routeTables[physicalId];
      if (!t) throw routeTableNotFound(physicalId);
      t.Tags = tagsOf(p, ctx);
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      const ec2 = ec2State(ctx);
      const t = ec2.routeTables[physicalId];
      if (!t) return;
      if (t.Associations.length > 0) {
        throw new AwsError(
          'DependencyViolation',
          `The routeTable '${physicalId}' has dependencies and cannot be deleted.`,
        );
      }
      delete ec2.routeTables[physicalId];
    },
    replaceOn: ['VpcId'],
  },

  'AWS::EC2::Route': {
    create: (p, ctx) => {
      const t = ec2State(ctx).routeTables[p.RouteTableId];
      if (!t) throw routeTableNotFound(p.RouteTableId);
      const destination =
        p.DestinationCidrBlock ??
        p.DestinationIpv6CidrBlock ??
        p.DestinationPrefixListId;
      if (
        t.Routes.some(
          r =>
            (r.DestinationCidrBlock ??
              r.DestinationIpv6CidrBlock ??
              r.DestinationPrefixListId) === destination,
        )
      ) {
        throw new AwsError(
          'RouteAlreadyExists',
          `The route identified by ${destination} already exists.`,
        );
      }
      t.Routes.push(routeOf(p));
      return {
        physicalId: `${t.RouteTableId}|${destination}`,
        attributes: {},
      };
    },
    update: (physicalId, p, previous, ctx) => {
      const t = ec2State(ctx).routeTables[p.RouteTableId];
      if (!t) throw routeTableNotFound(p.RouteTableId);
      const destination = physicalId.split('|')[1];
      t.Routes = t.Routes.map(r =>
        r.Origin === 'CreateRoute' &&
        (r.DestinationCidrBlock ??
          r.DestinationIpv6CidrBlock ??
          r.DestinationPrefixListId) === destination
          ? routeOf(p)
          : r,
      );
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      const [tableId, destination] = physicalId.split('|');
      const t = ec2State(ctx).routeTables[tableId];
      if (!t) return;
      t.Routes = t.Routes.filter(
        r =>
          r.Origin !== 'CreateRoute' ||
          (r.DestinationCidrBlock ??
            r.DestinationIpv6CidrBlock ??
            r.DestinationPrefixListId) !== destination,
      );
    },
    replaceOn: [
      'RouteTableId',
      'DestinationCidrBlock',
      'DestinationIpv6CidrBlock',
      'DestinationPrefixListId',
    ],
  },

  'AWS::EC2::SubnetRouteTableAssociation': {
    create: (p, ctx) => {
      const ec2 = ec2State(ctx);
      const t = ec2.routeTables[p.RouteTableId];
      if (!t) throw routeTableNotFound(p.RouteTableId);
      if (!ec2.subnets[p.SubnetId]) throw subnetNotFound(p.SubnetId);
      const taken = Object.values(ec2.routeTables).find(x =>
        x.Associations.some(a => a.SubnetId === p.SubnetId),
      );
      if (taken) {
        throw new AwsError(
          'Resource.AlreadyAssociated',
          `the specified association for route table ${taken.RouteTableId} conflicts with an existing association`,
        );
      }
      const id = hexId(ctx, 'rtbassoc');
      t.Associations.push({
        RouteTableAssociationId: id,
        SubnetId: p.SubnetId,
        Main: false,
      });
      return { physicalId: id, attributes: { Id: id } };
    },
    // Another route table for the subnet (ReplaceRouteTableAssociation).
    update: (physicalId, p, previous, ctx) => {
      const ec2 = ec2State(ctx);
      const t = ec2.routeTables[p.RouteTableId];
      if (!t) throw routeTableNotFound(p.RouteTableId);
      for (const x of Object.values(ec2.routeTables)) {
        x.Associations = x.Associations.filter(
          a => a.RouteTableAssociationId !== physicalId,
        );
      }
      t.Associations.push({
        RouteTableAssociationId: physicalId,
        SubnetId: p.SubnetId,
        Main: false,
      });
      return { physicalId, attributes: previous.attributes };
    },
    delete: (physicalId, _p, _a, ctx) => {
      for (const t of Object.values(ec2State(ctx).routeTables)) {
        t.Associations = t.Associations.filter(
          a => a.RouteTableAssociationId !== physicalId,
        );
      }
    },
    replaceOn: ['SubnetId'],
  },
};

function routeOf(p: any) {
  return {
    DestinationCidrBlock: p.DestinationCidrBlock,
    DestinationIpv6CidrBlock: p.DestinationIpv6CidrBlock,
    DestinationPrefixListId: p.DestinationPrefixListId,
    GatewayId: p.GatewayId,
    NatGatewayId: p.NatGatewayId,
    TransitGatewayId: p.TransitGatewayId,
    VpcPeeringConnectionId: p.VpcPeeringConnectionId,
    NetworkInterfaceId: p.NetworkInterfaceId,
    InstanceId: p.InstanceId,
    EgressOnlyInternetGatewayId: p.EgressOnlyInternetGatewayId,
    Origin: 'CreateRoute' as const,
  };
}
