/*
 * DescribeAvailabilityZones (the `availability-zones` context provider): the
 * region's zones (services/ec2Network.ts), all available, by name, id or
 * filter.
 */
import type { Handler } from './types';
import { availabilityZones } from './ec2Network';
import { dryRun, Filter, invalidValue, matches } from './ec2Describe';

type Zone = ReturnType<typeof availabilityZones>[number];

/** DescribeAvailabilityZones' filter names and the zone field each reads. */
const ZONE_FILTERS: Record<string, keyof Zone> = {
  'zone-name': 'ZoneName',
  'zone-id': 'ZoneId',
  state: 'State',
  'region-name': 'RegionName',
  'group-name': 'GroupName',
  'network-border-group': 'NetworkBorderGroup',
  'opt-in-status': 'OptInStatus',
  'zone-type': 'ZoneType',
};

export const zoneOperations: Record<string, Handler> = {
  DescribeAvailabilityZones: (input, ctx) => {
    dryRun(input);
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
    const filters: Filter[] = input.Filter ?? [];
    for (const f of filters) {
      if (!f.Name || !ZONE_FILTERS[f.Name]) {
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
              matches(v, String(z[ZONE_FILTERS[f.Name!]])),
            ),
          ),
      ),
    };
  },
};
