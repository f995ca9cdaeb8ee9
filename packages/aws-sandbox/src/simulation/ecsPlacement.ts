/*
 * Where the simulator places a service's new task: its zone, subnet and
 * address range.
 */
import type { EcsWorld } from '../world';
import type { RegionState } from '../state';
import type { EcsService, EcsTask } from '../stateEcs';
import {
  availabilityZones,
  Placement,
  placements,
} from '../services/ec2Network';
import type { EcsTaskIndex } from './ecsTaskIndex';
import { simulatorContext } from './ecsSimulatorContext';

/**
 * Where a new task of `svc` goes, as Fargate places a service's tasks:
 * spread evenly over the zones of its subnets (the zone with the fewest of
 * the service's live tasks, ties broken by the seeded random stream), then
 * over the subnets within the zone. Without subnets (EC2 launch type), the
 * region's zones a, b, c.
 */
export function placeTask(
  sandbox: EcsWorld,
  index: EcsTaskIndex,
  region: string,
  r: RegionState,
  svc: EcsService,
  now: number,
): Placement & { zoneIndex: number } {
  const ctx = simulatorContext(sandbox, region, r, now);
  const subnets: string[] =
    svc.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  const options: Placement[] = subnets.length
    ? placements(ctx, subnets)
    : availabilityZones(region)
        .slice(0, 3)
        .map(z => ({ availabilityZone: z.ZoneName }));
  const live = index.liveTasks(r, svc);
  const count = (key: (t: EcsTask) => boolean) => live.filter(key).length;
  const zones = [...new Set(options.map(o => o.availabilityZone))];
  const load = zones.map(z => count(t => t.availabilityZone === z));
  const least = Math.min(...load);
  const tied = zones.filter((_, i) => load[i] === least);
  const zone =
    tied[tied.length > 1 ? sandbox.random.int(0, tied.length - 1) : 0];
  const inZone = options.filter(o => o.availabilityZone === zone);
  const subnetLoad = inZone.map(o =>
    count(t => o.subnetId !== undefined && t.subnetId === o.subnetId),
  );
  const choice = inZone[subnetLoad.indexOf(Math.min(...subnetLoad))];
  const zoneIndex = Math.max(
    0,
    availabilityZones(region).findIndex(z => z.ZoneName === zone),
  );
  return { ...choice, zoneIndex };
}
