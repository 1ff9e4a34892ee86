/**
 * `GET /deployments/:id`: steps, the release's traffic with approve / abort, scan report, smoke
 * result and why it ended as it did. Sections are self-contained components listed in order
 * below: a new one is one import and one line.
 */
import type { Caller } from '../../auth/authenticator.ts';
import { type Deployment, isTerminal, type Release } from '../../core/deployment.ts';
import type { Flash } from '../flash.ts';
import { elapsedMs, formatDuration, formatTime, safeHref, shortDigest } from '../format.ts';
import { collectedWord, imageCollectedAt } from '../image-collected.ts';
import { Layout, StatusBadge } from '../layout.tsx';
import { BuildLogSection, type BuildLogView } from '../sections/build-log.tsx';
import { GatesSection } from '../sections/gates-section.tsx';
import { ReleaseActions } from '../sections/release-actions.tsx';
import { ScanSection } from '../sections/scan-section.tsx';
import { SmokeSection } from '../sections/smoke-section.tsx';
import { StepTimeline } from '../sections/step-timeline.tsx';
import { TrafficSection } from '../sections/traffic-section.tsx';

/** Properties of {@link DeploymentPage}. */
export interface DeploymentPageProps {
  readonly caller: Caller;
  readonly canSignOut: boolean;
  readonly deployment: Deployment;
  readonly now: Date;
  readonly refreshSeconds?: number | undefined;
  /** The session's form token; null: no forms (the CLI commands instead). */
  readonly formToken: string | null;
  readonly flash?: Flash | null | undefined;
  /** A failed build's log (see build-log.tsx). @default - none shown */
  readonly buildLog?: BuildLogView | null | undefined;
}

function ReleaseText(props: { release: Release | undefined }) {
  const r = props.release;
  if (!r?.digest && !r?.version) return <span class="muted">-</span>;
  return (
    <>
      <code title={r.digest ?? ''}>{shortDigest(r.digest)}</code>
      {r.version ? <span class="muted"> version {r.version}</span> : null}
    </>
  );
}

/** The deployment's page. */
export function DeploymentPage(props: DeploymentPageProps) {
  const d = props.deployment;
  const logs = safeHref(d.buildLogsUrl);
  const what =
    d.request?.image ??
    (d.request?.source
      ? `${d.request.source.url}${d.request.source.ref ? ` @ ${d.request.source.ref}` : ''}`
      : '-');
  const collected = imageCollectedAt(d);
  return (
    <Layout
      title={`${d.functionName} ${d.id}`}
      caller={props.caller}
      canSignOut={props.canSignOut}
      refreshSeconds={props.refreshSeconds}
      formToken={props.formToken}
      flash={props.flash}
    >
      <h1>
        <a href={`/functions/${encodeURIComponent(d.functionName)}`}>{d.functionName}</a> · {d.id}{' '}
        <StatusBadge status={d.status} />
      </h1>
      {isTerminal(d.status) ? null : (
        <p class="muted" id="live">
          In flight: this page reloads every {props.refreshSeconds ?? 2} s until the deployment
          ends.
        </p>
      )}
      <ReleaseActions deployment={d} formToken={props.formToken} />
      {d.reason ? (
        <div class={d.status === 'ROLLBACK_FAILED' ? 'reason critical' : 'reason'} id="reason">
          <strong>Reason:</strong> {d.reason}
        </div>
      ) : null}
      <dl class="facts">
        <dt>Trigger</dt>
        <dd>
          {d.trigger?.kind ?? '-'}
          {d.trigger?.eventId ? ` (event ${d.trigger.eventId})` : ''}
        </dd>
        <dt>Who</dt>
        <dd>{d.trigger?.actor ?? '-'}</dd>
        <dt>Requested</dt>
        <dd>
          <code>{what}</code>
        </dd>
        {d.request?.reason ? (
          <>
            <dt>Note</dt>
            <dd>{d.request.reason}</dd>
          </>
        ) : null}
        <dt>Started</dt>
        <dd>{formatTime(d.createdAt)}</dd>
        <dt>Took</dt>
        <dd>
          {d.endedAt
            ? formatDuration(elapsedMs(d.createdAt, d.endedAt, props.now))
            : 'still running'}
        </dd>
        <dt>Previous release</dt>
        <dd>
          <ReleaseText release={d.previous} />
        </dd>
        <dt>This release</dt>
        <dd>
          <ReleaseText release={d.release} />
          {collected ? (
            <div class="collected" id="image-collected">
              {d.imageArchived
                ? `image archived by ferry gc at ${formatTime(collected)}: restore it from the registry's archive tier to release it again`
                : `image ${collectedWord(d)} by ferry gc at ${formatTime(collected)}: it cannot be rolled back to`}
            </div>
          ) : null}
        </dd>
        {logs ? (
          <>
            <dt>Build log</dt>
            <dd>
              <a href={logs}>open</a>
            </dd>
          </>
        ) : null}
        {d.error ? (
          <>
            <dt>Error</dt>
            <dd class="error">
              {d.error.name}: {d.error.message}
            </dd>
          </>
        ) : null}
      </dl>
      <BuildLogSection view={props.buildLog} />
      <GatesSection deployment={d} />
      <TrafficSection deployment={d} now={props.now} />
      <h2>Steps</h2>
      <StepTimeline deployment={d} now={props.now} />
      <h2>Scan</h2>
      <ScanSection scan={d.scan} />
      <h2>Smoke invoke</h2>
      <SmokeSection smoke={d.smoke} />
    </Layout>
  );
}
