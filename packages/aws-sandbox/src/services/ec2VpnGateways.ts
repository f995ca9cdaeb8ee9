/*
 * DescribeVpnGateways, which the `vpc-provider` lookup calls: the sandbox
 * has no virtual private gateways, so it checks the request and finds none.
 */
import { AwsError } from '../protocol/errors';
import type { Handler } from './types';
import { dryRun, Filter, invalidValue } from './ec2Describe';

const VPN_GATEWAY_FILTERS = [
  'amazon-side-asn',
  'attachment.state',
  'attachment.vpc-id',
  'availability-zone',
  'state',
  'type',
  'vpn-gateway-id',
  'tag-key',
];

export const vpnGatewayOperations: Record<string, Handler> = {
  // The sandbox has no virtual private gateways (no template creates one),
  // so every valid request finds none.
  DescribeVpnGateways: input => {
    dryRun(input);
    for (const f of (input.Filter ?? []) as Filter[]) {
      const name = f.Name ?? '';
      if (!VPN_GATEWAY_FILTERS.includes(name) && !/^tag:./.test(name)) {
        throw invalidValue(`The filter '${name}' is invalid`);
      }
    }
    const [id] = input.VpnGatewayId ?? [];
    if (id) {
      throw new AwsError(
        'InvalidVpnGatewayID.NotFound',
        `The virtual private gateway ID '${id}' does not exist`,
      );
    }
    return { VpnGateways: [] };
  },
};
