/**
 * The FunctionLogs port on AWS: what Lambda wrote to the function's log group,
 * `/aws/lambda/<function>`, read with FilterLogEvents. Lambda names each execution environment's
 * stream `YYYY/MM/DD/[<version>]<hex>` (the day it started, UTC), so one version's events are
 * those of the streams with its `[version]`: DescribeLogStreams lists them by name, newest day
 * first (names are consistent; LastEventTime ordering rests on a timestamp CloudWatch updates
 * only eventually, so a fresh stream could sort as stale), down to a day before the window, as
 * an environment keeps writing to the stream of the day it started. FilterLogEvents takes 100
 * stream names a call; each chunk is read on its own and the events merged by time.
 *
 * At most MAX_PAGES pages are read per chunk: a window holding more answers the newest of those
 * pages, and the cursor goes on from there. A follower's read looks again at the last seconds
 * before the newest line it saw (log-page.ts: LATE_MS), for lines CloudWatch took in late. A
 * missing log group is a function that has not logged yet: an empty page.
 */
import { createHash } from 'node:crypto';
import {
  type CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  type FilteredLogEvent,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { type Clock, systemClock } from '../../core/clock.ts';
import { isFerryError } from '../../core/errors.ts';
import { isEndLine, parseStreamName, requestIdOf, streamDay } from '../../core/lambda-log-lines.ts';
import {
  encodeTimeCursor,
  isNew,
  positionAfter,
  type TimedLogEvent,
  type TimePosition,
  timeStartOf,
} from '../../core/log-page.ts';
import type { FunctionLogPage, FunctionLogQuery, FunctionLogs } from '../../core/ports.ts';
import { toFerryError } from './aws-errors.ts';

/** FilterLogEvents' most stream names per call. */
export const MAX_STREAMS_PER_CALL = 100;
/** Pages read per chunk of streams, at most. */
export const MAX_PAGES = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The log group Lambda writes a function's logs to. */
export const logGroupOf = (functionName: string) => `/aws/lambda/${functionName}`;

/** FunctionLogs from CloudWatch Logs (see module doc). */
export class CloudWatchFunctionLogs implements FunctionLogs {
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly clock: Clock = systemClock,
  ) {}

  async read(functionName: string, query: FunctionLogQuery): Promise<FunctionLogPage> {
    const start = timeStartOf(query);
    const group = logGroupOf(functionName);
    try {
      const chunks =
        query.version === undefined
          ? [undefined]
          : chunked(await this.streamsOf(group, query.version, start.floor));
      const read: TimedLogEvent[] = [];
      for (const names of chunks) read.push(...(await this.events(group, names, start)));
      // Stable: one stream's events keep their order when several share a millisecond.
      read.sort((a, b) => a.at - b.at);
      const page = query.cursor ? read.slice(0, query.limit) : read.slice(-query.limit);
      const position = positionAfter(start, query.cursor ? page : read);
      return { events: page.map((e) => e.event), cursor: encodeTimeCursor(position) };
    } catch (error) {
      if (isFerryError(error, 'NotFoundError'))
        return { events: [], cursor: encodeTimeCursor(start) };
      throw error;
    }
  }

  /** The names of `version`'s streams that may hold events at or after `from`. */
  private async streamsOf(group: string, version: string, from: number): Promise<string[]> {
    const oldestDay = streamDay(new Date(Math.min(from, this.clock.now().getTime()) - DAY_MS));
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.client
        .send(
          new DescribeLogStreamsCommand({
            logGroupName: group,
            orderBy: 'LogStreamName',
            descending: true,
            nextToken,
          }),
        )
        .catch((error: unknown) => {
          throw toFerryError(error, `logs:DescribeLogStreams ${group}`);
        });
      for (const stream of out.logStreams ?? []) {
        const parsed = parseStreamName(stream.logStreamName ?? '');
        if (!parsed) continue;
        if (parsed.day < oldestDay) return names;
        if (parsed.version === version) names.push(stream.logStreamName ?? '');
      }
      nextToken = out.nextToken;
    } while (nextToken);
    return names;
  }

  /** The events `start` has not seen of the streams named (every stream: undefined), oldest first. */
  private async events(
    group: string,
    names: string[] | undefined,
    start: TimePosition,
  ): Promise<TimedLogEvent[]> {
    const read: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await this.client
        .send(
          new FilterLogEventsCommand({
            logGroupName: group,
            ...(names ? { logStreamNames: names } : {}),
            startTime: start.floor,
            nextToken,
          }),
        )
        .catch((error: unknown) => {
          throw toFerryError(error, `logs:FilterLogEvents ${group}`);
        });
      read.push(...(out.events ?? []));
      nextToken = out.nextToken;
    } while (nextToken && ++pages < MAX_PAGES);
    return withRequestIds(read).filter((e) => isNew(start, e));
  }
}

/** Stream names in chunks FilterLogEvents takes; none at all is no call. */
function chunked(names: readonly string[]): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += MAX_STREAMS_PER_CALL)
    chunks.push(names.slice(i, i + MAX_STREAMS_PER_CALL));
  return chunks;
}

/**
 * Events as the port gives them. An environment runs one invocation at a time, so within a
 * stream the lines between START and END belong to that START's request.
 */
function withRequestIds(events: readonly FilteredLogEvent[]): TimedLogEvent[] {
  const current = new Map<string, string>();
  return events.map((raw) => {
    const stream = raw.logStreamName ?? '';
    const message = (raw.message ?? '').replace(/\r?\n$/, '');
    const named = requestIdOf(message);
    if (message.startsWith('START RequestId: ') && named) current.set(stream, named);
    const requestId = named ?? current.get(stream);
    if (isEndLine(message)) current.delete(stream);
    const at = raw.timestamp ?? 0;
    return {
      // Short and unique across streams (an eventId alone need not be, on every implementation).
      id: createHash('sha256')
        .update(`${stream}\n${raw.eventId ?? ''}`)
        .digest('base64url')
        .slice(0, 11),
      at,
      event: {
        timestamp: new Date(at).toISOString(),
        version: parseStreamName(stream)?.version ?? 'unknown',
        ...(requestId ? { requestId } : {}),
        message,
      },
    };
  });
}
