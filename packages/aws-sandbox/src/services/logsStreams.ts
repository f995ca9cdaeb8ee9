/*
 * CloudWatch Logs' log streams and their events: the ECS simulator's and
 * PutLogEvents' writes, DescribeLogStreams, GetLogEvents and
 * FilterLogEvents with its filter patterns.
 */
import { AwsError } from '../protocol/errors';
import type { LogGroup, LogStream, RegionState } from '../state';
import type { Handler, RequestContext } from './types';
import { paginate } from './paging';
import { findGroup, invalid, logGroupArn, notFound } from './logsGroups';

/** Per-stream cap so a long-running simulation cannot exhaust memory. */
const MAX_EVENTS_PER_STREAM = 10_000;

export function appendLogEvents(
  r: RegionState,
  groupName: string,
  streamName: string,
  events: { timestamp: number; message: string }[],
  now: number,
  newEventId: () => string,
): boolean {
  const group = r.logs.groups[groupName];
  if (!group) return false;
  let stream = group.streams[streamName];
  if (!stream) {
    stream = {
      logStreamName: streamName,
      creationTime: now,
      events: [],
      storedBytes: 0,
    };
    group.streams[streamName] = stream;
  }
  for (const e of events) {
    stream.events.push({
      timestamp: e.timestamp,
      ingestionTime: Math.max(now, e.timestamp),
      message: e.message,
      eventId: newEventId(),
    });
    stream.storedBytes += Buffer.byteLength(e.message) + 26;
  }
  // Events arrive in order from the simulator; PutLogEvents may not.
  if (
    events.length > 1 ||
    (stream.events.length > 1 &&
      stream.events[stream.events.length - 2].timestamp >
        stream.events[stream.events.length - 1].timestamp)
  ) {
    stream.events.sort((a, b) => a.timestamp - b.timestamp);
  }
  if (stream.events.length > MAX_EVENTS_PER_STREAM) {
    stream.events.splice(0, stream.events.length - MAX_EVENTS_PER_STREAM);
  }
  return true;
}

function streamSummary(ctx: RequestContext, g: LogGroup, s: LogStream) {
  const first = s.events[0];
  const last = s.events[s.events.length - 1];
  return {
    logStreamName: s.logStreamName,
    creationTime: s.creationTime,
    firstEventTimestamp: first?.timestamp,
    lastEventTimestamp: last?.timestamp,
    lastIngestionTime: last?.ingestionTime,
    uploadSequenceToken: `4960${String(s.events.length).padStart(52, '0')}`,
    arn: `${logGroupArn(
      ctx.region,
      ctx.caller.account,
      g.logGroupName,
    )}:log-stream:${s.logStreamName}`,
    storedBytes: 0,
  };
}

/**
 * CloudWatch Logs filter patterns, the common subset: space-separated terms
 * (all must match), "quoted phrases", -term exclusions, ?term alternatives,
 * and JSON patterns of the form { $.field = "value" }.
 */
export function compileFilterPattern(
  pattern: string | undefined,
): (msg: string) => boolean {
  const text = (pattern ?? '').trim();
  if (!text) return () => true;
  const json = /^\{\s*\$\.([\w.]+)\s*(=|!=)\s*"?([^"}]*)"?\s*\}$/.exec(text);
  if (json) {
    const [, path, op, expected] = json;
    return msg => {
      let value: any;
      try {
        value = path.split('.').reduce((o: any, k) => o?.[k], JSON.parse(msg));
      } catch {
        return false;
      }
      const re = new RegExp(
        `^${expected
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}$`,
      );
      const ok = value !== undefined && re.test(String(value));
      return op === '=' ? ok : !ok;
    };
  }
  const tokens = text.match(/"[^"]*"|\S+/g) ?? [];
  const must: string[] = [];
  const not: string[] = [];
  const any: string[] = [];
  for (const tok of tokens) {
    const unq = (s: string) => s.replace(/^"|"$/g, '');
    if (tok.startsWith('-')) not.push(unq(tok.slice(1)));
    else if (tok.startsWith('?')) any.push(unq(tok.slice(1)));
    else must.push(unq(tok));
  }
  return msg =>
    must.every(t => msg.includes(t)) &&
    !not.some(t => msg.includes(t)) &&
    (any.length === 0 || any.some(t => msg.includes(t)));
}

export const streamOperations: Record<string, Handler> = {
  CreateLogStream: (input, ctx) => {
    const g = findGroup(ctx, input);
    const name = String(input.logStreamName ?? '');
    if (!name || name.includes(':') || name.includes('*')) {
      throw invalid('Invalid log stream name.');
    }
    if (g.streams[name]) {
      throw new AwsError(
        'ResourceAlreadyExistsException',
        'The specified log stream already exists',
      );
    }
    g.streams[name] = {
      logStreamName: name,
      creationTime: ctx.now,
      events: [],
      storedBytes: 0,
    };
    return {};
  },

  PutLogEvents: (input, ctx) => {
    const g = findGroup(ctx, input);
    const s = g.streams[String(input.logStreamName ?? '')];
    if (!s) throw notFound('log stream');
    const events: any[] = input.logEvents ?? [];
    if (events.length === 0 || events.length > 10000) {
      throw invalid('logEvents must have between 1 and 10000 items.');
    }
    appendLogEvents(
      ctx.regionState,
      g.logGroupName,
      s.logStreamName,
      events.map(e => ({
        timestamp: Number(e.timestamp),
        message: String(e.message),
      })),
      ctx.now,
      () => ctx.sandbox.random.digits(56),
    );
    return {
      nextSequenceToken: streamSummary(ctx, g, s).uploadSequenceToken,
    };
  },

  DescribeLogStreams: (input, ctx) => {
    const g = findGroup(ctx, input);
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && input.logStreamNamePrefix) {
      throw invalid(
        'Cannot order by LastEventTime with a logStreamNamePrefix.',
      );
    }
    let streams = Object.values(g.streams).filter(
      s =>
        !input.logStreamNamePrefix ||
        s.logStreamName.startsWith(input.logStreamNamePrefix),
    );
    if (orderBy === 'LastEventTime') {
      const last = (s: LogStream) =>
        s.events[s.events.length - 1]?.timestamp ?? 0;
      streams.sort(
        (a, b) =>
          last(a) - last(b) || (a.logStreamName < b.logStreamName ? -1 : 1),
      );
    } else {
      streams.sort((a, b) => (a.logStreamName < b.logStreamName ? -1 : 1));
    }
    if (input.descending) streams = streams.reverse();
    const { page, nextToken } = paginate(streams, {
      maxResults: input.limit,
      nextToken: input.nextToken,
      defaultSize: 50,
      maxSize: 50,
      limitName: 'limit',
      tokenError: 'InvalidParameterException',
      limitError: 'InvalidParameterException',
      fingerprint: `${g.logGroupName}|${orderBy}|${!!input.descending}|${
        input.logStreamNamePrefix ?? ''
      }`,
    });
    return { logStreams: page.map(s => streamSummary(ctx, g, s)), nextToken };
  },

  GetLogEvents: (input, ctx) => {
    const g = findGroup(ctx, input);
    const s = g.streams[String(input.logStreamName ?? '')];
    if (!s) throw notFound('log stream');
    const limit = input.limit ?? 10000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10000) {
      throw invalid('limit must be between 1 and 10000');
    }
    const events = s.events.filter(
      e =>
        (input.startTime === undefined || e.timestamp >= input.startTime) &&
        (input.endTime === undefined || e.timestamp < input.endTime),
    );
    // Tokens are "f/<index>" (forward) or "b/<index>" (backward), like AWS's.
    let from: number;
    let forward: boolean;
    const token: string | undefined = input.nextToken;
    if (token) {
      const m = /^([fb])\/(\d+)$/.exec(token);
      if (!m) throw invalid('The specified nextToken is invalid.');
      forward = m[1] === 'f';
      from = Number(m[2]);
    } else {
      forward = input.startFromHead === true;
      from = forward ? 0 : events.length;
    }
    let start: number;
    let end: number;
    if (forward) {
      start = Math.min(from, events.length);
      end = Math.min(start + limit, events.length);
    } else {
      end = Math.min(from, events.length);
      start = Math.max(0, end - limit);
    }
    return {
      events: events.slice(start, end).map(e => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
      })),
      nextForwardToken: `f/${end}`,
      nextBackwardToken: `b/${start}`,
    };
  },

  FilterLogEvents: (input, ctx) => {
    const g = findGroup(ctx, input);
    if (input.logStreamNames && input.logStreamNamePrefix) {
      throw invalid(
        'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
      );
    }
    const match = compileFilterPattern(input.filterPattern);
    const names: string[] | undefined = input.logStreamNames;
    const events = Object.values(g.streams)
      .filter(s => !names || names.includes(s.logStreamName))
      .filter(
        s =>
          !input.logStreamNamePrefix ||
          s.logStreamName.startsWith(input.logStreamNamePrefix),
      )
      .flatMap(s =>
        s.events
          .filter(
            e =>
              (input.startTime === undefined ||
                e.timestamp >= input.startTime) &&
              (input.endTime === undefined || e.timestamp <= input.endTime) &&
              match(e.message),
          )
          .map(e => ({
            logStreamName: s.logStreamName,
            timestamp: e.timestamp,
            message: e.message,
            ingestionTime: e.ingestionTime,
            eventId: e.eventId,
          })),
      )
      .sort(
        (a, b) => a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : 1),
      );
    const { page, nextToken } = paginate(events, {
      maxResults: input.limit,
      nextToken: input.nextToken,
      defaultSize: 10000,
      maxSize: 10000,
      limitName: 'limit',
      tokenError: 'InvalidParameterException',
      limitError: 'InvalidParameterException',
      fingerprint: JSON.stringify([
        g.logGroupName,
        input.filterPattern ?? '',
        names ?? [],
        input.logStreamNamePrefix ?? '',
        input.startTime ?? null,
        input.endTime ?? null,
      ]),
    });
    return {
      events: page,
      searchedLogStreams: [],
      nextToken,
    };
  },
};
