/*
 * What a running task writes to its awslogs log group: a startup line or two
 * when it starts, a health check a minute after that, and its last words
 * when it crashes.
 */
import type { EcsWorld } from '../world';
import type { RegionState } from '../state';
import type { EcsTask } from '../stateEcs';
import { findTaskDefinition } from '../services/ecsTaskDefinitions';
import { appendLogEvents } from '../services/logsStreams';
import { accountOf, simulatorContext } from './ecsSimulatorContext';
import { hashString, noise } from './random';

/** Log heartbeats back-filled at most this far after a long clock jump. */
const MAX_LOG_BACKFILL_MS = 60 * 60_000;

export function writeLogs(
  sandbox: EcsWorld,
  region: string,
  r: RegionState,
  t: EcsTask,
  at: number,
  lines: string[],
) {
  for (const c of t.containers) {
    if (!c.logGroup) continue;
    const stream = c.logStreamPrefix
      ? `${c.logStreamPrefix}/${c.name}/${t.taskId}`
      : `${c.name}/${t.taskId}`;
    appendLogEvents(
      sandbox.region(accountOf(sandbox, r), c.logRegion ?? region),
      c.logGroup,
      stream,
      lines.map((message, i) => ({ timestamp: at + i, message })),
      at + 200,
      () => sandbox.random.digits(56),
    );
  }
  void r;
}

export function writeStartupLogs(
  sandbox: EcsWorld,
  region: string,
  r: RegionState,
  t: EcsTask,
) {
  const td = findTaskDefinition(
    simulatorContext(sandbox, region, r, t.runningAt),
    t.taskDefinitionArn,
  );
  const port = td?.containerDefinitions?.[0]?.portMappings?.[0]?.containerPort;
  writeLogs(sandbox, region, r, t, t.runningAt, [
    `Starting application (task ${t.taskId}, revision ${t.taskDefinitionArn
      .split(':')
      .pop()})`,
    port ? `Listening on 0.0.0.0:${port}` : 'Worker ready',
  ]);
  t.lastLogAt = t.runningAt;
}

export function writeHeartbeats(
  sandbox: EcsWorld,
  region: string,
  r: RegionState,
  t: EcsTask,
  now: number,
) {
  let last = t.lastLogAt ?? t.runningAt;
  if (now - last < 60_000) return;
  if (now - last > MAX_LOG_BACKFILL_MS) {
    last = now - MAX_LOG_BACKFILL_MS;
  }
  const lines: { at: number; text: string }[] = [];
  for (let at = last + 60_000; at <= now; at += 60_000) {
    const minute = Math.floor(at / 60_000);
    const ms =
      1 +
      Math.floor(noise(sandbox.state.seed, hashString(t.taskId), minute) * 40);
    lines.push({ at, text: `GET /health 200 ${ms}ms` });
    last = at;
  }
  for (const l of lines) writeLogs(sandbox, region, r, t, l.at, [l.text]);
  t.lastLogAt = last;
}
