import type { Deployment, StepRecord } from '../core/deployment.ts';
import { type LiveNow, servingNowLine, stepVerdict } from '../core/outcome-words.ts';
import { trafficBlock } from './traffic-lines.ts';

const MiB = 1024 * 1024;

/** `12.3 MiB`, `512.0 KiB`, `0 B`, or `-`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  if (bytes === 0) return '0 B'; // a chart's baseline, not "0.0 KiB"
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `850 ms`, `12.4 s`, `3m 05s`, or `-`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

function elapsed(from: string, to: string | undefined, now: Date): number {
  return (to ? Date.parse(to) : now.getTime()) - Date.parse(from);
}

const MARK: Record<StepRecord['outcome'], string> = { running: '…', succeeded: '✓', failed: '✗' };

/** How long a step ran, or has been running at `now`. */
export function stepElapsed(s: StepRecord, now: Date): string {
  return formatDuration(elapsed(s.startedAt, s.endedAt, now));
}

/** One line per step: mark, name, duration (so far, for the running one), why it failed. */
export function stepLines(d: Deployment, now: Date = new Date()): string[] {
  return d.steps.map((s) => {
    const verdict = stepVerdict(d, s);
    const attempts = s.attempts > 1 ? ` (${s.attempts} attempts)` : '';
    const detail = verdict.outcome === 'failed' && verdict.detail ? `  ${verdict.detail}` : '';
    return `  ${MARK[verdict.outcome]} ${s.name.padEnd(15)} ${stepElapsed(s, now).padStart(8)}${attempts}${detail}`;
  });
}

/** `image collected 2026-11-30 03:00, version collected …`: what `ferry gc` removed of the release; '' when nothing. */
export function collectedNote(d: Deployment): string {
  const at = (iso: string) => iso.replace('T', ' ').slice(0, 16);
  return [
    d.imageCollectedAt
      ? `image ${d.imageArchived ? 'archived' : 'collected'} ${at(d.imageCollectedAt)}`
      : '',
    d.versionCollectedAt ? `version collected ${at(d.versionCollectedAt)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The version line: which version the deployment made, and whether it serves. */
function versionLine(d: Deployment): string {
  const made = d.release?.version ?? '-';
  const was = d.previous?.version ?? '-';
  if (d.status === 'ROLLED_BACK') return `${made}, rolled back to ${was}`;
  if (d.status === 'ROLLBACK_FAILED') return `${made}, rollback to ${was} failed`;
  if (d.status === 'REJECTED' || d.status === 'FAILED')
    return made === '-' ? '-' : `${made}, not released (${was} kept)`;
  return `${made} (was ${was})`;
}

/** A rejected image's largest layers: size and the instruction that made each. */
function layerLines(d: Deployment): string[] {
  const layers = d.scan?.verdict === 'reject' ? d.scan.largestLayers : [];
  if (layers.length === 0) return [];
  return [
    '  largest layers',
    ...layers.map(
      (l) =>
        `    ${formatBytes(l.sizeBytes).padStart(9)}  ${l.createdBy ?? `layer ${l.index ?? '?'} (${l.digest.slice(0, 19)})`}${l.fromBase ? ' (base image)' : ''}`,
    ),
  ];
}

/**
 * The closing summary of a deployment; its last line says what serves traffic now. `steps`
 * (`ferry status`) puts the step lines above that last line; `live`, the function's live record
 * read now, says so when a later deployment changed what this one left.
 */
export function summaryLines(
  d: Deployment,
  now: Date = new Date(),
  options: { steps?: boolean; live?: LiveNow | null } = {},
): string[] {
  const total = d.endedAt ? formatDuration(Date.parse(d.endedAt) - Date.parse(d.createdAt)) : '-';
  const init = d.smoke
    ? d.smoke.initDurationMs === null
      ? 'not reported'
      : formatDuration(d.smoke.initDurationMs)
    : '-';
  const lines = [
    `${d.status} ${d.id} → ${d.functionName}`,
    `  digest        ${d.release?.digest ?? '-'}`,
    `  version       ${versionLine(d)}`,
    `  compressed    ${formatBytes(d.scan?.compressedBytes)}${d.scan ? ` in ${d.scan.layerCount} layers` : ''}`,
    `  init duration ${init}`,
    `  duration      ${total}`,
  ];
  if (d.request.reason) lines.push(`  because       ${d.request.reason}`);
  if (d.reason) lines.push(`  reason        ${d.reason}`);
  if (collectedNote(d)) lines.push(`  gc            ${collectedNote(d)}`);
  lines.push(...trafficBlock(d, now));
  // The gates' figures side by side, so a REJECTED release says by how much, not only that.
  for (const g of [...(d.scan?.gates ?? []), ...(d.smoke?.gates ?? [])]) {
    lines.push(`  gate          ${g.gate} ${g.outcome}: ${g.summary}`);
  }
  lines.push(...layerLines(d));
  const hints = d.scan?.hints ?? [];
  if (hints.length > 0) {
    lines.push('  why it is big');
    for (const hint of hints) lines.push(`    - ${hint}`);
  }
  if (options.steps) lines.push('  steps', ...stepLines(d, now));
  lines.push(`  live          ${servingNowLine(d, options.live ?? null)}`);
  return lines;
}

/** A history table, newest first. */
export function historyTable(items: readonly Deployment[]): string[] {
  const header = ['ID', 'STATUS', 'TRIGGER', 'WHEN', 'DIGEST', 'SIZE', 'INIT', 'REASON'];
  const rows = items.map((d) => [
    d.id,
    d.status,
    d.trigger.kind,
    d.createdAt.replace('T', ' ').slice(0, 19),
    d.release?.digest ? d.release.digest.slice(0, 19) : '-',
    formatBytes(d.scan?.compressedBytes),
    d.smoke?.initDurationMs != null ? formatDuration(d.smoke.initDurationMs) : '-',
    [collectedNote(d), d.request.reason, d.reason].filter(Boolean).join(' — ').slice(0, 80),
  ]);
  return table(header, rows);
}

/** A function as `GET /v1/functions` lists it. */
export interface FunctionOverviewItem {
  readonly name: string;
  readonly team: string;
  readonly alias: string;
  readonly live: {
    readonly deploymentId: string;
    readonly version: string | null;
    readonly digest: string | null;
    readonly compressedBytes: number | null;
    readonly initDurationMs: number | null;
  } | null;
  readonly latest: {
    readonly deploymentId: string;
    readonly status: string;
    readonly createdAt: string;
  } | null;
}

/** What is live where, by function. */
export function functionsTable(items: readonly FunctionOverviewItem[]): string[] {
  if (items.length === 0) return ['no functions are registered for your team'];
  const header = ['FUNCTION', 'TEAM', 'LIVE', 'DIGEST', 'SIZE', 'INIT', 'LATEST'];
  const rows = items.map((f) => [
    f.name,
    f.team,
    f.live ? `${f.alias} → v${f.live.version ?? '?'}` : '-',
    f.live?.digest ? f.live.digest.slice(0, 19) : '-',
    formatBytes(f.live?.compressedBytes),
    f.live?.initDurationMs != null ? formatDuration(f.live.initDurationMs) : '-',
    f.latest ? `${f.latest.status} ${f.latest.deploymentId}` : '-',
  ]);
  return table(header, rows);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
