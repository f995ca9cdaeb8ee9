/*
 * The simulator calls ECS's model functions (task definitions, deployments)
 * as the account a region belongs to, under the identity `ecs`.
 */
import type { EcsWorld } from '../world';
import type { RegionState } from '../state';
import { ACCOUNT_ID, regionEntries, userArn } from '../state';
import type { EcsContext } from '../services/ecsLookup';

/** The account `r` belongs to: tasks get its ARNs and log into it. */
export function accountOf(sandbox: EcsWorld, r: RegionState): string {
  const entry = regionEntries(sandbox.state).find(e => e.state === r);
  return entry?.account ?? ACCOUNT_ID;
}

export function simulatorContext(
  sandbox: EcsWorld,
  region: string,
  r: RegionState,
  now: number,
): EcsContext {
  return {
    sandbox,
    region,
    regionState: r,
    caller: {
      accessKeyId: 'ecs',
      account: accountOf(sandbox, r),
      arn: userArn(accountOf(sandbox, r)),
      userId: 'ecs',
    },
    now,
  };
}
