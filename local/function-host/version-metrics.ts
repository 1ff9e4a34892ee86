/**
 * The local twin of Lambda's per-version metrics behind an alias (CloudWatch's Invocations,
 * Errors, Throttles and Duration by ExecutedVersion): every call through an alias leaves one
 * timestamped event, so any window can be asked for afterwards. Kept in memory only — a
 * release judges the last minutes, which a restart ends anyway — and bounded per version.
 */
import type { VersionSample } from '../../services/core/ports.ts';

/** How one call through an alias ended. */
export interface VersionEvent {
  /** Epoch milliseconds when the call arrived. */
  readonly at: number;
  readonly outcome: 'ok' | 'error' | 'throttle';
  /** Duration as the REPORT line says; null for a throttled call (nothing ran). */
  readonly durationMs: number | null;
}

/** Retention limits. */
export interface VersionMetricsOptions {
  /** Events older than this (relative to the newest) are dropped. @default 3_600_000 (1 h) */
  readonly retentionMs?: number;
  /** At most this many events per function, alias and version. @default 50_000 */
  readonly maxEventsPerVersion?: number;
}

const keyOf = (fn: string, alias: string, version: string) => `${fn}\n${alias}\n${version}`;

/** The 90th percentile by nearest rank (the smallest value at or above 90% of the values). */
export function p90(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1] ?? null;
}

/** Per-version event log (see module doc). */
export class VersionMetrics {
  private readonly events = new Map<string, VersionEvent[]>();
  private readonly retentionMs: number;
  private readonly maxEvents: number;

  constructor(options: VersionMetricsOptions = {}) {
    this.retentionMs = options.retentionMs ?? 3_600_000;
    this.maxEvents = options.maxEventsPerVersion ?? 50_000;
  }

  /** Records one call through `alias` that was routed to `version`. */
  record(fn: string, alias: string, version: string, event: VersionEvent): void {
    const key = keyOf(fn, alias, version);
    const list = this.events.get(key) ?? [];
    list.push(event);
    const horizon = event.at - this.retentionMs;
    let drop = Math.max(0, list.length - this.maxEvents);
    while (drop < list.length && (list[drop]?.at ?? 0) < horizon) drop += 1;
    if (drop > 0) list.splice(0, drop);
    this.events.set(key, list);
  }

  /** `version`'s figures for calls through `alias` that arrived in [fromMs, toMs). */
  sample(fn: string, alias: string, version: string, fromMs: number, toMs: number): VersionSample {
    const inWindow = (this.events.get(keyOf(fn, alias, version)) ?? []).filter(
      (e) => e.at >= fromMs && e.at < toMs,
    );
    const ran = inWindow.filter((e) => e.outcome !== 'throttle');
    return {
      invocations: ran.length,
      errors: ran.filter((e) => e.outcome === 'error').length,
      throttles: inWindow.length - ran.length,
      durationP90Ms: p90(ran.flatMap((e) => (e.durationMs === null ? [] : [e.durationMs]))),
    };
  }
}
