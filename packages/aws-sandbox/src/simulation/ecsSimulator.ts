import type { Sandbox } from '../sandbox';
import type { ClockListener } from './clock';

export class EcsSimulator implements ClockListener {
  constructor(private readonly sandbox: Sandbox) {}
  nextDueAt(_now: number): number | undefined {
    return undefined;
  }
  onTick(_now: number): void {}
  onFaultsChanged(): void {}
}
