/**
 * `GET /functions/:name`: the rollback form, release history (the live release marked) with
 * trend charts of size and init duration.
 */
import type { Caller } from '../../auth/authenticator.ts';
import type { Deployment } from '../../core/deployment.ts';
import type { LiveRelease } from '../../core/live.ts';
import type { FunctionSettings } from '../../core/settings.ts';
import { describeStrategy } from '../../core/traffic-words.ts';
import type { Flash } from '../flash.ts';
import { formatBytes, formatDuration } from '../format.ts';
import { Layout } from '../layout.tsx';
import type { RollbackChoice } from '../rollback-choice.ts';
import { HistoryTable } from '../sections/history-table.tsx';
import { RollbackSection } from '../sections/rollback-section.tsx';
import { TrendChart, type TrendPoint } from '../trend-chart.tsx';

/** Properties of {@link FunctionPage}. */
export interface FunctionPageProps {
  readonly caller: Caller;
  readonly canSignOut: boolean;
  readonly name: string;
  readonly settings: FunctionSettings;
  /** Newest first, as the store pages them. */
  readonly items: readonly Deployment[];
  /** What the alias serves, as far as Ferry released it. */
  readonly live: LiveRelease | null;
  /** What a rollback would release; null: not offered. */
  readonly rollback: RollbackChoice | null;
  /** The session's form token; null: no forms (the CLI commands instead). */
  readonly formToken: string | null;
  readonly flash?: Flash | null | undefined;
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
      formToken={props.formToken}
      flash={props.flash}
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
      <RollbackSection name={props.name} choice={props.rollback} formToken={props.formToken} />
      <h2>Releases</h2>
      <HistoryTable name={props.name} items={items} live={props.live} formToken={props.formToken} />
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
