/** The smoke invokes of the new version: outcome and the REPORT lines' figures. */
import type { SmokeReport } from '../../core/deployment.ts';
import { formatMs } from '../format.ts';
import { ExtraFacts } from './extra-facts.tsx';

/** The report fields shown by name; any other is shown as an extra fact. */
const SHOWN = new Set([
  'passed',
  'reason',
  'statusCode',
  'functionError',
  'responseExcerpt',
  'initDurationMs',
  'durationMs',
  'maxMemoryUsedMb',
  'verdict',
  'version',
  'gates',
  'coldStarts',
]);

/** ` (median of 5 cold starts, IQR 38.9 ms–44.0 ms)`; nothing for one figure or older records. */
function spreadOf(smoke: SmokeReport): string {
  const s = smoke.coldStarts;
  if (!s || s.n < 2) return '';
  return ` (median of ${s.n} cold starts, IQR ${formatMs(s.q1Ms)}–${formatMs(s.q3Ms)})`;
}

/** `passed`, `failed: …`, or `works, but rejected by a gate: …` (a cold-start gate). */
function outcome(smoke: SmokeReport): string {
  if (smoke.verdict === 'reject') return `works, but rejected by a gate: ${smoke.reason ?? ''}`;
  return smoke.passed ? 'passed' : `failed: ${smoke.reason ?? 'no reason given'}`;
}

/** The smoke section of a deployment page. */
export function SmokeSection(props: { smoke: SmokeReport | undefined }) {
  const smoke = props.smoke;
  if (!smoke) return <p class="muted">No smoke invoke (the deployment ended before it).</p>;
  return (
    <div id="smoke">
      <dl class="facts">
        <dt>Outcome</dt>
        <dd class={smoke.passed && smoke.verdict !== 'reject' ? undefined : 'error'}>
          {outcome(smoke)}
        </dd>
        {smoke.version ? (
          <>
            <dt>Version invoked</dt>
            <dd>{smoke.version}</dd>
          </>
        ) : null}
        <dt>Status code</dt>
        <dd>{smoke.statusCode}</dd>
        {smoke.functionError ? (
          <>
            <dt>Function error</dt>
            <dd>{smoke.functionError}</dd>
          </>
        ) : null}
        <dt>Init duration</dt>
        <dd>
          {formatMs(smoke.initDurationMs)}
          {spreadOf(smoke)}
        </dd>
        <dt>Duration</dt>
        <dd>{formatMs(smoke.durationMs)}</dd>
        <dt>Max memory used</dt>
        <dd>{smoke.maxMemoryUsedMb == null ? 'not reported' : `${smoke.maxMemoryUsedMb} MB`}</dd>
      </dl>
      <ExtraFacts report={smoke} known={SHOWN} />
      {smoke.responseExcerpt ? <pre>{smoke.responseExcerpt}</pre> : null}
    </div>
  );
}
