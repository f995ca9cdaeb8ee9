/*
 * EC2, for what CDK apps look up at synth time: DescribeAvailabilityZones
 * (the `availability-zones` context provider of an app with an explicit
 * env). Zones are those of the region: us-east-1a..f in us-east-1 (six, as
 * AWS has), <region>a..c elsewhere, all available.
 */
import { AwsError } from '../protocol/errors';
import { ec2Codec } from '../protocol/ec2Query';
import { flatList, struct } from '../protocol/queryShapes';
import type { ServiceDefinition } from './types';

const DIRECTIONS: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** `us-east-1` → `use1`, the prefix of AWS's zone ids (`use1-az1`). */
function zoneIdPrefix(region: string): string {
  const [geo, direction, number] = region.split('-');
  return `${geo}${DIRECTIONS[direction] ?? direction?.[0] ?? ''}${
    number ?? ''
  }`;
}

export function availabilityZones(region: string) {
  const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
  return [...letters].map((letter, i) => ({
    ZoneName: `${region}${letter}`,
    ZoneId: `${zoneIdPrefix(region)}-az${i + 1}`,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: region,
    GroupName: region,
    NetworkBorderGroup: region,
    ZoneType: 'availability-zone',
  }));
}

type Zone = ReturnType<typeof availabilityZones>[number];

/** DescribeAvailabilityZones' filter names and the zone field each reads. */
const FILTERS: Record<string, keyof Zone> = {
  'zone-name': 'ZoneName',
  'zone-id': 'ZoneId',
  state: 'State',
  'region-name': 'RegionName',
  'group-name': 'GroupName',
  'network-border-group': 'NetworkBorderGroup',
  'opt-in-status': 'OptInStatus',
  'zone-type': 'ZoneType',
};

/** EC2 filter values may use `*` and `?` wildcards. */
const matches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

const invalidValue = (message: string) =>
  new AwsError('InvalidParameterValue', message);

export const ec2: ServiceDefinition = {
  name: 'ec2',
  signingName: 'ec2',
  protocol: 'ec2',
  query: ec2Codec({
    DescribeAvailabilityZones: {
      input: struct({
        ZoneName: flatList('string'),
        ZoneId: flatList('string'),
        AllAvailabilityZones: 'boolean',
        DryRun: 'boolean',
        Filter: flatList(struct({ Name: 'string', Value: flatList('string') })),
      }),
      locationNames: {
        AvailabilityZones: 'availabilityZoneInfo',
        State: 'zoneState',
        Messages: 'messageSet',
      },
    },
  }),
  operations: {
    DescribeAvailabilityZones: (input, ctx) => {
      if (input.DryRun) {
        throw new AwsError(
          'DryRunOperation',
          'Request would have succeeded, but DryRun flag is set.',
          412,
        );
      }
      const all = availabilityZones(ctx.region);
      const names: string[] = input.ZoneName ?? [];
      const ids: string[] = input.ZoneId ?? [];
      for (const name of names) {
        if (!all.some(z => z.ZoneName === name)) {
          throw invalidValue(`Invalid availability zone: [${name}]`);
        }
      }
      for (const id of ids) {
        if (!all.some(z => z.ZoneId === id)) {
          throw invalidValue(`Invalid availability zone ID: [${id}]`);
        }
      }
      const filters: { Name?: string; Value?: string[] }[] = input.Filter ?? [];
      for (const f of filters) {
        if (!f.Name || !FILTERS[f.Name]) {
          throw invalidValue(`The filter '${f.Name ?? ''}' is invalid`);
        }
      }
      return {
        AvailabilityZones: all.filter(
          z =>
            (names.length === 0 || names.includes(z.ZoneName)) &&
            (ids.length === 0 || ids.includes(z.ZoneId)) &&
            filters.every(f =>
              (f.Value ?? []).some(v =>
                matches(v, String(z[FILTERS[f.Name!]])),
              ),
            ),
        ),
      };
    },
  },
};
