/*
 * A service's events as DescribeServices lists them: newest first, the last
 * hundred.
 */
import type { EcsWorld } from '../world';
import type { EcsService } from '../stateEcs';

const MAX_EVENTS = 100;

export function addServiceEvent(
  sandbox: EcsWorld,
  svc: EcsService,
  now: number,
  message: string,
) {
  svc.events.unshift({
    id: sandbox.random.uuid(),
    createdAt: now,
    message,
  });
  if (svc.events.length > MAX_EVENTS) svc.events.length = MAX_EVENTS;
}
