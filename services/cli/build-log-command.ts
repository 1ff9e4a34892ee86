/**
 * A source deployment's build log in the CLI: `ferry status <id> --logs` prints its last lines,
 * and `ferry deploy … --wait --logs` streams it while the deployment runs, polling
 * `GET /v1/deployments/{id}/build-log` with the cursor so each line shows once.
 */
import type { Deployment } from '../core/deployment.ts';
import type { FerryClient } from './client.ts';
import { ProblemError } from './problem.ts';

/** Lines `ferry status --logs` shows. */
export const STATUS_LOG_LINES = 50;

/** The answer of `GET /v1/deployments/{id}/build-log`. */
export interface BuildLogAnswer {
  readonly buildId: string | null;
  readonly lines: readonly string[];
  readonly cursor: string | null;
  readonly link: string | null;
}

const path = (id: string) => `/v1/deployments/${encodeURIComponent(id)}/build-log`;

/** `  build log (<link>)` and the log's last lines, or a line saying there was no build. */
export async function buildLogLines(client: FerryClient, d: Deployment): Promise<string[]> {
  if (!d.request.source) return ['  build log: none (an image was deployed)'];
  let answer: BuildLogAnswer;
  try {
    answer = await client.request<BuildLogAnswer>('GET', `${path(d.id)}?tail=${STATUS_LOG_LINES}`);
  } catch (error) {
    if (error instanceof ProblemError && error.problem.status === 404) {
      return [`  build log: ${error.problem.detail ?? 'not found'}`];
    }
    throw error;
  }
  if (!answer.buildId) return ['  build log: the build has not started'];
  return [
    `  build log${answer.link ? ` (${answer.link})` : ''}`,
    ...answer.lines.map((line) => `    ${line}`),
  ];
}

/**
 * Follows a deployment's build log across polls: each {@link BuildLogStream.poll} prints the
 * lines written since the last one (`build | <line>`). Nothing is read for an image deployment.
 */
export class BuildLogStream {
  private cursor: string | null = null;

  constructor(
    private readonly client: FerryClient,
    private readonly out: { write(text: string): void },
  ) {}

  /** Prints what the build logged since the last poll. */
  async poll(d: Deployment): Promise<void> {
    if (!d.request.source) return;
    // Pages until caught up, so a burst of lines is not spread over many polls.
    for (let page = 0; page < 20; page++) {
      const query = new URLSearchParams({ limit: '1000' });
      if (this.cursor) query.set('cursor', this.cursor);
      const answer = await this.client.request<BuildLogAnswer>('GET', `${path(d.id)}?${query}`);
      if (!answer.cursor) return;
      this.cursor = answer.cursor;
      if (answer.lines.length === 0) return;
      this.out.write(answer.lines.map((line) => `build | ${line}\n`).join(''));
    }
  }
}
