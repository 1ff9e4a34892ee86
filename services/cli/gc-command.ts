/**
 * `ferry gc [--dry-run] [--archive] [--json]`: asks the API to remove (or, dry, to list) the images and
 * versions no release can need, and prints what went, how many bytes, and what was kept and why.
 * Exit 0 when the run completed, 1 when a removal failed midway (the report says what went).
 */
import { type CommandContext, type CommandOptions, flag, print } from './commands.ts';
import { formatBytes } from './render.ts';

/** The report as `POST /v1/gc` answers it (the fields this command prints). */
export interface GcReportBody {
  readonly dryRun: boolean;
  readonly policy: {
    readonly minimumAgeSeconds: number;
    readonly rollbackDepth: number;
    readonly imageRemoval?: 'delete' | 'archive';
  };
  readonly images: readonly {
    repository: string;
    digest: string;
    tags: readonly string[];
    sizeBytes: number;
    outcome?: string;
  }[];
  readonly versions: readonly { functionName: string; version: string; outcome?: string }[];
  readonly kept: {
    readonly images: number;
    readonly versions: number;
    readonly byRule: Record<string, number>;
  };
  readonly skipped: readonly { functionName: string; reason: string }[];
  readonly stopped: readonly string[];
  readonly bytesReclaimed: number;
  readonly diskBytesReclaimed?: number;
  readonly failure?: string;
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The summary lines of a report: what went (or would go), bytes, kept counts, skips. */
export function gcLines(r: GcReportBody): string[] {
  const went = (o?: string) => r.dryRun || o === 'deleted' || o === 'archived';
  const images = r.images.filter((i) => went(i.outcome));
  const versions = r.versions.filter((v) => went(v.outcome));
  const verb = r.dryRun ? 'would remove' : 'removed';
  const archive = r.policy.imageRemoval === 'archive' ? ', archiving the images' : '';
  const disk =
    r.diskBytesReclaimed !== undefined ? `, ${formatBytes(r.diskBytesReclaimed)} on disk` : '';
  const lines = [
    `${verb} ${count(images.length, 'image')} (${formatBytes(r.bytesReclaimed)}${disk}) and ${count(versions.length, 'version')}${archive}`,
  ];
  for (const i of images) {
    lines.push(
      `  image   ${i.repository}@${i.digest}  ${formatBytes(i.sizeBytes)}  [${i.tags.join(', ') || 'untagged'}]`,
    );
  }
  for (const v of versions) lines.push(`  version ${v.functionName}:${v.version}`);
  // The service's own refusal (in use after all) or an item someone removed first.
  const others = [
    ...r.images.map((i) => ({ outcome: i.outcome, name: `image ${i.repository}@${i.digest}` })),
    ...r.versions.map((v) => ({
      outcome: v.outcome,
      name: `version ${v.functionName}:${v.version}`,
    })),
  ].filter((x) => x.outcome && x.outcome !== 'deleted' && x.outcome !== 'archived');
  for (const x of others) {
    lines.push(`  ${x.name} ${x.outcome === 'gone' ? 'was gone already' : 'is in use: kept'}`);
  }
  const rules = Object.entries(r.kept.byRule)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  lines.push(
    `kept ${count(r.kept.images, 'image')} and ${count(r.kept.versions, 'version')}${rules ? ` (${rules})` : ''}; rollback depth ${r.policy.rollbackDepth}, minimum age ${r.policy.minimumAgeSeconds} s`,
  );
  for (const s of r.skipped) lines.push(`skipped ${s.functionName}: ${s.reason}`);
  for (const s of r.stopped) lines.push(`left for the next run: ${s}`);
  if (r.failure) lines.push(`stopped early: ${r.failure}`);
  return lines;
}

/** `ferry gc [--dry-run] [--archive]` */
export async function gc(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const dryRun = flag(o, 'dry-run');
  const report = await ctx.client.request<GcReportBody>('POST', '/v1/gc', {
    body: { dryRun, ...(flag(o, 'archive') ? { imageRemoval: 'archive' } : {}) },
  });
  print(ctx, flag(o, 'json') ? [JSON.stringify(report)] : gcLines(report));
  return report.failure ? 1 : 0;
}
