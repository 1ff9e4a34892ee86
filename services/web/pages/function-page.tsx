/** `GET /functions/:name`: release history with trend charts of size and init duration. */
import type { Caller } from '../../auth/authenticator.ts';
import type { Deployment } from '../../core/deployment.ts';
import type { FunctionSettings } from '../../core/settings.ts';
import { describeStrategy } from '../../core/traffic-words.ts';
import { formatBytes, formatDuration, formatMs, formatTime, shortDigest } from '../format.ts';
import { Layout, StatusBadge } from '../layout.tsx';
import { TrendChart, type TrendPoint } from '../trend-chart.tsx';

/** Properties of {@link FunctionPage}. */
export interface FunctionPageProps {
  readonly caller: Caller;
  readonly canSignOut: boolean;
  readonly name: string;
  readonly settings: FunctionSettings;
  /** Newest first, as the store pages them. */
  readonly items: readonly Deployment[];
  /** The next (older) page, when there is one. */
  readonly olderCursor?: string | undefined;
  readonly refreshSeconds?: number | undefined;
}

/** Chart points for one figure, oldest release first. */
function points(
  items: readonly Deployment[],
  value: (d: Deployment) => number | null | undefined,
  format: (v: number) => string,
): TrendPoint[] {
  return [...items].reverse().map((d, i) => {
    const v = value(d) ?? null;
    return {
      label: `#${i + 1}`,
      value: v,
      bad: d.status !== 'SUCCEEDED',
      note: `${d.id} ${d.status}: ${v === null ? 'not reported' : format(v)}`,
    };
  });
}

/** `canary 10% for 5 min, then all; approval required; 5 provisioned environments`. */
function releaseOf(settings: FunctionSettings): string {
  return [
    describeStrategy(settings.release),
    ...(settings.approval.required ? ['approval required'] : []),
    ...(settings.provisionedConcurrency > 0
      ? [`${settings.provisionedConcurrency} provisioned environments`]
      : []),
  ].join('; ');
}

/** The function's page. */
export function FunctionPage(props: FunctionPageProps) {
  const { settings, items } = props;
  return (
    <Layout
      title={props.name}
      caller={props.caller}
      canSignOut={props.canSignOut}
      refreshSeconds={props.refreshSeconds}
    >
      <h1>{props.name}</h1>
      <dl class="facts">
        <dt>Team</dt>
        <dd>{settings.team}</dd>
        <dt>Alias</dt>
        <dd>{settings.alias}</dd>
        <dt>Size budget</dt>
        <dd>{formatBytes(settings.sizeBudgetBytes)} compressed</dd>
        <dt>Max growth</dt>
        <dd>{settings.maxGrowthRatio === null ? 'off' : `×${settings.maxGrowthRatio} vs live`}</dd>
        <dt>Cold-start gate</dt>
        <dd id="cold-start-gate">{coldStartGate(settings.coldStart)}</dd>
        <dt>Release</dt>
        <dd id="release">{releaseOf(settings)}</dd>
      </dl>
      <h2>Trends</h2>
      <div class="charts">
        <TrendChart
          id="chart-size"
          title="Compressed image size per release"
          yLabel="compressed size"
          points={points(items, (d) => d.scan?.compressedBytes, formatBytes)}
          format={formatBytes}
        />
        <TrendChart
          id="chart-init"
          title="Init duration (cold start) per release"
          yLabel="init duration"
          points={points(items, (d) => d.smoke?.initDurationMs, formatDuration)}
          format={formatDuration}
        />
      </div>
      <h2>Releases</h2>
      {items.length === 0 ? (
        <p class="muted">No deployment yet.</p>
      ) : (
        <table id="history">
          <thead>
            <tr>
              <th>When</th>
              <th>Status</th>
              <th>Trigger</th>
              <th>Who</th>
              <th>Digest</th>
              <th class="num">Compressed</th>
              <th class="num">Layers</th>
              <th class="num">Init duration</th>
              <th class="num">Duration</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr>
                <td>
                  <a href={`/deployments/${d.id}`}>{formatTime(d.createdAt)}</a>
                </td>
                <td>
                  <StatusBadge status={d.status} />
                </td>
                <td>{d.trigger?.kind ?? '-'}</td>
                <td>{d.trigger?.actor ?? '-'}</td>
                <td>
                  <code title={d.release?.digest ?? ''}>{shortDigest(d.release?.digest)}</code>
                </td>
                <td class="num">{formatBytes(d.scan?.compressedBytes)}</td>
                <td class="num">{d.scan?.layerCount ?? '-'}</td>
                <td class="num">{d.smoke ? formatMs(d.smoke.initDurationMs) : '-'}</td>
                <td class="num">{d.smoke ? formatMs(d.smoke.durationMs) : '-'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.olderCursor ? (
        <p>
          <a
            href={`/functions/${encodeURIComponent(props.name)}?cursor=${encodeURIComponent(props.olderCursor)}`}
          >
            Older releases →
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

/**
 * `median Init Duration of 5 cold starts ×1.5 vs live, beyond 100 ms`, or `off` (null, or
 * settings stored before the gate existed).
 */
function coldStartGate(gate: FunctionSettings['coldStart'] | undefined): string {
  const ratio = gate?.maxInitGrowthRatio;
  if (typeof ratio !== 'number') return 'off';
  const inconclusive = gate?.inconclusiveBlocks ? '; inconclusive blocks' : '';
  return `median Init Duration of ${gate?.samples ?? 5} cold starts ×${ratio} vs live, beyond ${gate?.minInitDeltaMs ?? 0} ms${inconclusive}`;
}
