/**
 * A deployment's steps in the order they started, each with a bar scaled to the whole run; a
 * step whose result stopped the release (a failed smoke, a rejecting gate) is shown failed.
 */
import type { Deployment } from '../../core/deployment.ts';
import { stepVerdict } from '../../core/outcome-words.ts';
import { elapsedMs, formatDuration, formatTime } from '../format.ts';

/** The step timeline. */
export function StepTimeline(props: { deployment: Deployment; now: Date }) {
  const { deployment: d, now } = props;
  if (d.steps.length === 0) return <p class="muted">No step has started yet.</p>;
  const start = Date.parse(d.createdAt);
  const total = Math.max(1, elapsedMs(d.createdAt, d.endedAt, now));
  return (
    <ol class="timeline" id="steps">
      {d.steps.map((s) => {
        const took = elapsedMs(s.startedAt, s.endedAt, now);
        // Offset and width as percentages of the whole deployment: a Gantt row without script.
        const left = Math.min(100, Math.max(0, ((Date.parse(s.startedAt) - start) / total) * 100));
        const width = Math.min(100 - left, Math.max(0.5, (took / total) * 100));
        const verdict = stepVerdict(d, s).outcome;
        return (
          <li class={`o-${verdict}`}>
            <strong>{s.name}</strong>
            <span>
              {verdict === 'running' ? 'running…' : verdict}
              {s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}
            </span>
            <span>
              <span title={formatTime(s.startedAt)}>{formatDuration(took)}</span>
              {s.detail ? <span class="muted"> — {s.detail}</span> : null}
              <div class="bar">
                <span style={`margin-left:${left.toFixed(2)}%;width:${width.toFixed(2)}%`} />
              </div>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
