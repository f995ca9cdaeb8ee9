/*
 * The simulator's tasks by service. The index lives for one pass over all
 * services (a tick, or the search for the next due time) and is rebuilt in the
 * next, so it never has to follow tasks that change outside a pass.
 */
import type { RegionState } from '../state';
import type { EcsService, EcsTask } from '../stateEcs';

export class EcsTaskIndex {
  private passes = 0;
  private taskIndex = new WeakMap<RegionState, Map<string, EcsTask[]>>();

  liveTasks(r: RegionState, s: EcsService): EcsTask[] {
    return this.serviceTasks(r, s).filter(t => t.desiredStatus === 'RUNNING');
  }

  /**
   * A service's tasks, from an index while a pass over all services runs:
   * scanning every task once per service made each tick quadratic, minutes
   * long with a few thousand services.
   */
  serviceTasks(r: RegionState, s: EcsService): EcsTask[] {
    if (!this.passes) {
      return Object.values(r.ecs.tasks).filter(
        t => t.clusterName === s.clusterName && t.serviceName === s.serviceName,
      );
    }
    let index = this.taskIndex.get(r);
    if (!index) {
      index = new Map();
      for (const t of Object.values(r.ecs.tasks)) this.indexTask(index, t);
      this.taskIndex.set(r, index);
    }
    return index.get(`${s.clusterName}/${s.serviceName}`) ?? [];
  }

  /** A task launched during a pass joins the index. */
  add(r: RegionState, task: EcsTask): void {
    const index = this.taskIndex.get(r);
    if (index) this.indexTask(index, task);
  }

  private indexTask(index: Map<string, EcsTask[]>, t: EcsTask) {
    if (!t.serviceName) return;
    const key = `${t.clusterName}/${t.serviceName}`;
    const list = index.get(key);
    if (list) list.push(t);
    else index.set(key, [t]);
  }

  /** Runs `fn` with the task index on; it is dropped when the outer pass ends. */
  inPass<T>(fn: () => T): T {
    this.passes++;
    try {
      return fn();
    } finally {
      this.passes--;
      if (!this.passes) this.taskIndex = new WeakMap();
    }
  }
}
