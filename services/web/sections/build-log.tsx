/**
 * A failed source build's log on its deployment page: the last lines, plain text (terminal
 * escapes removed, every character escaped by hono/jsx), and where the whole log is. Reading the
 * log is best effort: the page says why it could not, never fails for it.
 */
import { stripControls } from '../../core/build-failure.ts';
import type { Deployment } from '../../core/deployment.ts';
import { describeError } from '../../core/errors.ts';
import type { BuildLogs } from '../../core/ports.ts';
import { safeHref } from '../format.ts';

/** Lines the page shows. */
export const PAGE_LOG_LINES = 50;

/** What the section shows: the lines read, or why there are none. */
export type BuildLogView =
  | { readonly buildId: string; readonly lines: readonly string[]; readonly link: string | null }
  | { readonly buildId: string; readonly problem: string; readonly link: string | null };

/** Reads the log a deployment's page shows: only for a source build that failed; null otherwise. */
export async function buildLogView(
  buildLogs: BuildLogs | undefined,
  d: Deployment,
): Promise<BuildLogView | null> {
  const failed = d.steps.some((s) => s.name === 'Build' && s.outcome === 'failed');
  if (!d.request.source || !failed || !d.buildId || !buildLogs) return null;
  const link = d.buildLogsUrl ?? null;
  try {
    const page = await buildLogs.read(d.buildId, { tail: PAGE_LOG_LINES });
    if (!page) return { buildId: d.buildId, problem: 'it is gone', link };
    return { buildId: d.buildId, lines: page.lines, link: page.link ?? link };
  } catch (error) {
    return { buildId: d.buildId, problem: describeError(error).message, link };
  }
}

/** Where the whole log is: a console link, or a local file's path. */
function Where(props: { link: string | null }) {
  const href = safeHref(props.link ?? undefined);
  if (href) return <a href={href}>open the whole log</a>;
  if (props.link?.startsWith('file:')) {
    return <code>{decodeURIComponent(new URL(props.link).pathname)}</code>;
  }
  return null;
}

/** The build log section (nothing without a view). */
export function BuildLogSection(props: { view: BuildLogView | null | undefined }) {
  const view = props.view;
  if (!view) return null;
  return (
    <section id="build-log">
      <h2>Build log</h2>
      {'lines' in view ? (
        <>
          <p class="muted">
            The last {view.lines.length} lines of build <code>{view.buildId}</code>.{' '}
            <Where link={view.link} />
          </p>
          <pre>{view.lines.map(stripControls).join('\n')}</pre>
        </>
      ) : (
        <p class="muted">
          The build log could not be read ({view.problem}). <Where link={view.link} />
        </p>
      )}
    </section>
  );
}
