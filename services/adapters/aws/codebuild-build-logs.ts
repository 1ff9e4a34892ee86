/**
 * The BuildLogs port on AWS: CodeBuild's BatchGetBuilds names the build's CloudWatch Logs group,
 * stream and console link; GetLogEvents reads the stream (a tail from its end, or forward from a
 * token). CodeBuild writes a line an event; an event holding several lines is split. A build
 * whose stream does not exist yet (queued, provisioning) has no lines: its cursor starts at the
 * stream's head.
 */

import { type CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { BatchGetBuildsCommand } from '@aws-sdk/client-codebuild';
import { InvalidRequestError, isFerryError } from '../../core/errors.ts';
import type { BuildLogPage, BuildLogQuery, BuildLogs } from '../../core/ports.ts';
import { toFerryError } from './aws-errors.ts';

/** The cursor of a stream read from its first event. */
const HEAD = 'head';
// GetLogEvents' tokens: f/… forward, b/… backward.
const TOKEN = /^[fb]\/[A-Za-z0-9/+=_-]{1,512}$/;

/** BuildLogs from CodeBuild and CloudWatch Logs (see module doc). */
export class CodeBuildBuildLogs implements BuildLogs {
  constructor(
    private readonly codebuild: CodeBuildClient,
    private readonly logs: CloudWatchLogsClient,
  ) {}

  async read(buildId: string, query: BuildLogQuery): Promise<BuildLogPage | null> {
    const cursor = 'cursor' in query ? query.cursor : undefined;
    if (cursor !== undefined && cursor !== HEAD && !TOKEN.test(cursor)) {
      throw new InvalidRequestError(`cursor is not one this server returned: '${cursor}'`, {
        kind: 'invalid-cursor',
        field: 'cursor',
      });
    }
    const found = await this.codebuild
      .send(new BatchGetBuildsCommand({ ids: [buildId] }))
      .catch((error: unknown) => {
        throw toFerryError(error, `codebuild:BatchGetBuilds ${buildId}`);
      });
    const build = found.builds?.find((b) => b.id === buildId);
    if (!build) return null;
    const link = build.logs?.deepLink ?? null;
    const group = build.logs?.groupName;
    const stream = build.logs?.streamName;
    const empty = { lines: [], cursor: cursor ?? HEAD, link };
    if (!group || !stream) return empty;
    const tail = 'tail' in query ? query.tail : undefined;
    const request = {
      logGroupName: group,
      logStreamName: stream,
      startFromHead: tail === undefined,
      limit: tail ?? ('limit' in query ? query.limit : undefined),
      ...(cursor && cursor !== HEAD ? { nextToken: cursor } : {}),
    };
    try {
      const page = await this.logs.send(new GetLogEventsCommand(request));
      const lines = (page.events ?? []).flatMap((e) =>
        (e.message ?? '').replace(/\r?\n$/, '').split(/\r?\n/),
      );
      return {
        lines: tail === undefined ? lines : lines.slice(-tail),
        cursor: page.nextForwardToken ?? cursor ?? HEAD,
        link,
      };
    } catch (error) {
      const mapped = toFerryError(error, `logs:GetLogEvents ${group}`);
      // The stream appears with the build's first line.
      if (isFerryError(mapped, 'NotFoundError')) return empty;
      throw mapped;
    }
  }
}
