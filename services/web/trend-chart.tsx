/**
 * A server-rendered SVG line chart of one figure over releases (no script, no assets). It scales
 * to its box (viewBox, 100% wide, height by aspect ratio), so it fills the page at 1280 px and
 * fits a 400 px phone; text is sized in viewBox units big enough to stay readable when shrunk.
 */

/** One release on a chart; `value: null` (figure not reported) is skipped, never drawn as 0. */
export interface TrendPoint {
  readonly label: string;
  readonly value: number | null;
  /** Drawn in the warning colour (a release that did not succeed). */
  readonly bad?: boolean;
  /** The point's tooltip (SVG <title>). */
  readonly note: string;
}

/** Properties of {@link TrendChart}. */
export interface TrendChartProps {
  /** Unique on the page: ids of the accessible title and description derive from it. */
  readonly id: string;
  readonly title: string;
  /** The y axis's name with its unit (`compressed size`, `init duration`). */
  readonly yLabel: string;
  /** Oldest first. */
  readonly points: readonly TrendPoint[];
  readonly format: (value: number) => string;
}

const WIDTH = 560;
const HEIGHT = 260;
const PAD = { left: 100, right: 20, top: 18, bottom: 58 } as const;
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

/** x of the i-th of n releases: spread over the plot, one release in the middle. */
const xAt = (i: number, n: number) => PAD.left + (n === 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1));
const fixed = (v: number) => v.toFixed(1);

/** Which releases get an x label: all of a few, else first, middle and last (no overlap). */
function labelled(n: number): Set<number> {
  return n <= 6 ? new Set([...Array(n).keys()]) : new Set([0, Math.floor((n - 1) / 2), n - 1]);
}

/** The chart, or a sentence when no release reported the figure. */
export function TrendChart(props: TrendChartProps) {
  const n = props.points.length;
  const drawn = props.points
    .map((p, i) => ({ ...p, i }))
    .filter((p): p is TrendPoint & { i: number; value: number } => p.value !== null);
  if (drawn.length === 0) {
    return (
      <figure>
        <figcaption>{props.title}</figcaption>
        <p class="muted">No release reported this figure yet.</p>
      </figure>
    );
  }
  // Start the axis at zero so growth looks as big as it is; headroom above the largest value.
  const top = Math.max(...drawn.map((p) => p.value)) * 1.1 || 1;
  const yAt = (v: number) => PAD.top + PLOT_H - (v / top) * PLOT_H;
  const xy = drawn.map((p) => ({ ...p, x: xAt(p.i, n), y: yAt(p.value) }));
  const latest = drawn[drawn.length - 1] as (typeof drawn)[number];
  const low = Math.min(...drawn.map((p) => p.value));
  const high = Math.max(...drawn.map((p) => p.value));
  const description = `${drawn.length} of ${n} releases reported it; latest ${props.format(latest.value)} (${latest.label}); range ${props.format(low)} to ${props.format(high)}.`;
  const ticks = [0, top / 2, top];
  const xLabels = labelled(n);
  return (
    <figure>
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        id={props.id}
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{description}</desc>
        {ticks.map((t) => (
          <g>
            <line
              class="axis"
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={fixed(yAt(t))}
              y2={fixed(yAt(t))}
            />
            <text x={PAD.left - 6} y={fixed(yAt(t) + 4)} text-anchor="end">
              {props.format(t)}
            </text>
          </g>
        ))}
        <text
          x={16}
          y={PAD.top + PLOT_H / 2}
          transform={`rotate(-90 16 ${PAD.top + PLOT_H / 2})`}
          text-anchor="middle"
        >
          {props.yLabel}
        </text>
        {props.points.map((p, i) =>
          xLabels.has(i) ? (
            <text x={fixed(xAt(i, n))} y={HEIGHT - PAD.bottom + 20} text-anchor="middle">
              {p.label}
            </text>
          ) : null,
        )}
        <text x={PAD.left + PLOT_W / 2} y={HEIGHT - 6} text-anchor="middle">
          release (oldest → newest)
        </text>
        {xy.length > 1 ? (
          <polyline class="line" points={xy.map((p) => `${fixed(p.x)},${fixed(p.y)}`).join(' ')} />
        ) : null}
        {xy.map((p) => (
          <circle class={p.bad ? 'point bad' : 'point'} cx={fixed(p.x)} cy={fixed(p.y)} r="5">
            <title>{p.note}</title>
          </circle>
        ))}
      </svg>
      <figcaption>{props.title}</figcaption>
    </figure>
  );
}
