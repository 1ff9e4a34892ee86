/**
 * A gradual release on the deployment page: the strategy, the new version's share as a bar, the
 * step with its time left, the phase, provisioned concurrency, who approved or aborted, and every
 * judged window with its figures.
 */
import type { Deployment } from '../../core/deployment.ts';
import {
  describeStrategy,
  type Judgement,
  PHASE_WORDS,
  percentOf,
  provisioningLine,
  secondsInWords,
  secondsLeft,
  stepOf,
} from '../../core/traffic-words.ts';
import { formatTime } from '../format.ts';

/** `12/40 errors (30.0%), 0 throttles` for one version's window. */
function figures(v: Judgement['candidate'] | null): string {
  if (!v) return '-';
  const rate = v.invocations > 0 ? ` (${((v.errors / v.invocations) * 100).toFixed(1)}%)` : '';
  const p90 = v.durationP90Ms === null ? '' : `, p90 ${Math.round(v.durationP90Ms)} ms`;
  return `v${v.version}: ${v.invocations} calls, ${v.errors} errors${rate}, ${v.throttles} throttles${p90}`;
}

/** `14:02:00–14:07:00 UTC`. */
const windowOf = (j: Judgement) =>
  `${formatTime(j.from).slice(11, 19)}–${formatTime(j.to).slice(11)}`;

/** The judged windows, oldest first. */
function JudgementsTable(props: { judgements: readonly Judgement[] }) {
  if (props.judgements.length === 0) return <p class="muted">No step has been judged yet.</p>;
  return (
    <table id="judgements">
      <thead>
        <tr>
          <th class="num">Step</th>
          <th class="num">Weight</th>
          <th>Window</th>
          <th>Outcome</th>
          <th>Action</th>
          <th>New version</th>
          <th>Old version</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {props.judgements.map((j) => (
          <tr>
            <td class="num">{j.step + 1}</td>
            <td class="num">{percentOf(j.weight)}</td>
            <td>{windowOf(j)}</td>
            <td class={j.outcome === 'fail' ? 'error' : undefined}>{j.outcome}</td>
            <td class={j.action === 'rollback' ? 'error' : undefined}>{j.action}</td>
            <td>{figures(j.candidate)}</td>
            <td>{figures(j.baseline)}</td>
            <td>
              {j.reason}
              {j.alarms
                .filter((a) => a.state === 'ALARM')
                .map((a) => (
                  <div class="muted">
                    alarm {a.name} in ALARM{a.preexisting ? ' (already before the release)' : ''}
                  </div>
                ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The release section; nothing for a deployment that never reached its release steps. */
export function TrafficSection(props: { deployment: Deployment; now: Date }) {
  const d = props.deployment;
  const t = d.traffic;
  if (!t && !d.approval && !d.abort) return null;
  const left = t ? secondsLeft(t, props.now) : null;
  const pc = provisioningLine(t);
  const version = d.release?.version ?? t?.judgements.at(-1)?.candidate.version;
  return (
    <>
      <h2>Release</h2>
      <div id="traffic">
        <dl class="facts">
          {t ? (
            <>
              <dt>Strategy</dt>
              <dd>{describeStrategy(t.strategy)}</dd>
              <dt>New version's share</dt>
              <dd>
                {percentOf(t.weight)}
                {version ? <span class="muted"> → version {version}</span> : null}
                <div class="bar" title={percentOf(t.weight)}>
                  <span style={`width:${Math.min(100, Math.max(0, t.weight * 100)).toFixed(1)}%`} />
                </div>
              </dd>
              <dt>Step</dt>
              <dd>
                {stepOf(t)}
                {left === null ? null : <span class="muted"> · {secondsInWords(left)} left</span>}
                {t.extensions > 0 ? <span class="muted"> · held again {t.extensions}×</span> : null}
              </dd>
              <dt>Phase</dt>
              <dd class={t.phase === 'rolled-back' ? 'error' : undefined}>
                {PHASE_WORDS[t.phase]}
                {t.phase === 'awaiting-approval' && !d.abort && d.status === 'RUNNING' ? (
                  <span class="muted">
                    {' '}
                    — <code>ferry approve {d.id}</code> or <code>ferry abort {d.id}</code>
                  </span>
                ) : null}
              </dd>
              {pc ? (
                <>
                  <dt>Provisioned concurrency</dt>
                  <dd class={t.provisionedConcurrency?.status === 'FAILED' ? 'error' : undefined}>
                    {pc}
                  </dd>
                </>
              ) : null}
              {t.preexistingAlarms.length > 0 ? (
                <>
                  <dt>Alarms already in ALARM</dt>
                  <dd>{t.preexistingAlarms.join(', ')}</dd>
                </>
              ) : null}
            </>
          ) : null}
          {d.approval ? (
            <>
              <dt>Approved</dt>
              <dd>
                by {d.approval.by} at {formatTime(d.approval.at)}
              </dd>
            </>
          ) : null}
          {d.abort ? (
            <>
              <dt>Aborted</dt>
              <dd class="error">
                by {d.abort.by} at {formatTime(d.abort.at)}
              </dd>
            </>
          ) : null}
        </dl>
        {t ? (
          <>
            <h3>Judgements</h3>
            <JudgementsTable judgements={t.judgements} />
          </>
        ) : null}
      </div>
    </>
  );
}
