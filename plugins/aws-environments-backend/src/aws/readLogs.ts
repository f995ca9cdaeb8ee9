import {
  FilteredLogEvent,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { LogEvent } from '@envplane/plugin-aws-environments-common';
import { ReadContext } from './readContext';

/**
 * Windows searched, newest first, in seconds before now. FilterLogEvents
 * returns the OLDEST events of its window first, so one call over the whole
 * range would show the start of the range, not what just happened. Asking
 * the last minute first and widening only when it holds too few events
 * gives recent lines with at most three calls.
 */
const WINDOWS_SECONDS = [60, 15 * 60];

/** The newest log events of the range, newest first, at most the limit. */
export async function readLogs(ctx: ReadContext): Promise<LogEvent[]> {
  const limit = ctx.options.logEventLimit;
  const end = ctx.window.end.getTime();
  const rangeStart = ctx.window.start.getTime();
  const bounds = [
    ...WINDOWS_SECONDS.map(s => end - s * 1000).filter(t => t > rangeStart),
    rangeStart,
  ];

  const events: FilteredLogEvent[] = [];
  let windowEnd = end;
  for (const windowStart of bounds) {
    const response = await ctx.clients.logs.send(
      new FilterLogEventsCommand({
        logGroupName: ctx.names.logGroupName,
        startTime: windowStart,
        endTime: windowEnd,
        limit,
      }),
      { abortSignal: ctx.abortSignal },
    );
    events.push(...(response.events ?? []));
    if (events.length >= limit) {
      break;
    }
    windowEnd = windowStart;
  }
  // Window bounds are inclusive, so an event on a boundary can come twice.
  const seen = new Set<string>();
  return events
    .filter(e => !e.eventId || (!seen.has(e.eventId) && !!seen.add(e.eventId)))
    .map(e => ({
      timestamp: new Date(e.timestamp ?? 0).toISOString(),
      message: e.message ?? '',
      logStream: e.logStreamName ?? '',
    }))
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp))
    .slice(0, limit);
}
