/** In-memory BuildLogs: builds and their lines as a test writes them; cursors count lines read. */
import { InvalidRequestError } from '../../services/core/errors.ts';
import type { BuildLogPage, BuildLogQuery, BuildLogs } from '../../services/core/ports.ts';

export class FakeBuildLogs implements BuildLogs {
  private readonly builds = new Map<string, { lines: string[]; link: string | null }>();

  /** Registers a build (no lines yet). */
  start(buildId: string, link: string | null = `https://logs.example.com/${buildId}`): void {
    this.builds.set(buildId, { lines: [], link });
  }

  /** Appends lines to a started build's log. */
  write(buildId: string, lines: readonly string[]): void {
    const build = this.builds.get(buildId);
    if (!build) throw new Error(`no build ${buildId}`);
    build.lines.push(...lines);
  }

  async read(buildId: string, query: BuildLogQuery): Promise<BuildLogPage | null> {
    const build = this.builds.get(buildId);
    const cursor = 'cursor' in query ? query.cursor : undefined;
    if (cursor !== undefined && !/^[0-9]+$/.test(cursor)) {
      throw new InvalidRequestError(`cursor is not one this server returned: '${cursor}'`, {
        kind: 'invalid-cursor',
      });
    }
    if (!build) return null;
    const { lines, link } = build;
    if ('tail' in query)
      return { lines: lines.slice(-query.tail), cursor: String(lines.length), link };
    const from = Math.min(Number(cursor ?? 0), lines.length);
    const page = lines.slice(from, from + query.limit);
    return { lines: page, cursor: String(from + page.length), link };
  }
}
