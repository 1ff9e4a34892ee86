/** Release gates with their figures side by side: new vs live, ratio, delta, limit, outcome. */
import type { Deployment } from '../../core/deployment.ts';
import { blocksRelease, type GateResult } from '../../core/gates.ts';
import { formatBytes, formatDuration } from '../format.ts';

/** The gates of a deployment's scan and smoke reports (records older than gates have none). */
function gatesOf(d: Deployment): GateResult[] {
  const all = [...(d.scan?.gates ?? []), ...(d.smoke?.gates ?? [])];
  return all.filter((g) => g && typeof g.gate === 'string' && typeof g.outcome === 'string');
}

/** A figure in the gate's unit, or `-`. */
function figure(g: GateResult, value: number | null): string {
  if (value === null || value === undefined) return '-';
  return g.unit === 'bytes' ? formatBytes(value) : formatDuration(value);
}

/** The gates table, failed first; nothing when the deployment has no gate results. */
export function GatesSection(props: { deployment: Deployment }) {
  const gates = gatesOf(props.deployment).sort(
    (a, b) => Number(b.outcome === 'failed') - Number(a.outcome === 'failed'),
  );
  if (gates.length === 0) return null;
  return (
    <>
      <h2>Gates</h2>
      <table id="gates">
        <thead>
          <tr>
            <th>Gate</th>
            <th>Outcome</th>
            <th class="num">New</th>
            <th class="num">Live</th>
            <th class="num">Ratio</th>
            <th class="num">Delta</th>
            <th class="num">Max ratio</th>
            <th class="num">Noise floor</th>
            <th>Summary</th>
          </tr>
        </thead>
        <tbody>
          {gates.map((g) => (
            <tr>
              <td>{g.gate}</td>
              {/* Red only when it stopped the release: a rollback's growth is reported, not held. */}
              <td class={blocksRelease(g) ? 'error' : undefined}>{g.outcome}</td>
              <td class="num">{figure(g, g.value)}</td>
              <td class="num">{figure(g, g.live)}</td>
              <td class="num">{g.ratio == null ? '-' : `×${g.ratio.toFixed(2)}`}</td>
              <td class="num">{figure(g, g.delta)}</td>
              <td class="num">{g.maxRatio == null ? 'off' : `×${g.maxRatio}`}</td>
              <td class="num">{figure(g, g.minDelta)}</td>
              <td>{g.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
