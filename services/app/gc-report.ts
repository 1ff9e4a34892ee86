/** What `ferry gc` says it did (or, on a dry run, would do): plain data for the API and the CLI. */
import { z } from 'zod';
import type { CollectionPlan, GcPolicy } from '../core/collection-plan.ts';
import type { KeepRule } from '../core/in-use.ts';
import type { RemovalOutcome } from '../core/ports.ts';

/** One image planned for removal, and on a real run what removing it came to. */
export interface GcImageLine {
  readonly repository: string;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly sizeBytes: number;
  /** Absent on a dry run, and for an image the run stopped before or left under the locks. */
  readonly outcome?: RemovalOutcome;
}

/** One version planned for removal, and on a real run what removing it came to. */
export interface GcVersionLine {
  readonly functionName: string;
  readonly version: string;
  readonly digest: string | null;
  readonly outcome?: RemovalOutcome;
}

/** How much was kept, and for which reasons (an item counts once under each rule that keeps it). */
export interface GcKeptSummary {
  readonly images: number;
  readonly versions: number;
  readonly byRule: Partial<Record<KeepRule, number>>;
}

/** The report of one gc run. */
export interface GcReport {
  readonly dryRun: boolean;
  readonly takenAt: string;
  readonly policy: GcPolicy;
  /** Planned images; `outcome` says what happened to each on a real run. */
  readonly images: readonly GcImageLine[];
  readonly versions: readonly GcVersionLine[];
  readonly kept: GcKeptSummary;
  /** Functions whose lock a deployment held: their versions (and every image) wait for the next run. */
  readonly skipped: readonly { readonly functionName: string; readonly reason: string }[];
  /** Items the re-check under the locks kept, one line each. */
  readonly stopped: readonly string[];
  /** Compressed bytes of the removed images (planned, on a dry run): layers kept images share stay. */
  readonly bytesReclaimed: number;
  /** Bytes the storage reclaimer freed on disk (local mode), when it ran. */
  readonly diskBytesReclaimed?: number;
  /** The error that ended the deletions early; what was removed before it is reported above. */
  readonly failure?: string;
}

/** Counts kept items per rule. */
export function keptSummary(plan: CollectionPlan): GcKeptSummary {
  const byRule: Partial<Record<KeepRule, number>> = {};
  for (const item of [...plan.keptImages, ...plan.keptVersions]) {
    for (const rule of new Set(item.reasons.map((r) => r.rule))) {
      byRule[rule] = (byRule[rule] ?? 0) + 1;
    }
  }
  return { images: plan.keptImages.length, versions: plan.keptVersions.length, byRule };
}

const outcome = z.enum(['deleted', 'archived', 'gone', 'kept']);

/** The report's schema: the API's response, and what the AWS API reads back from the gc Lambda. */
export const gcReportSchema = z
  .object({
    dryRun: z.boolean(),
    takenAt: z.string(),
    policy: z.object({
      minimumAgeSeconds: z.number(),
      rollbackDepth: z.number(),
      functionRollbackDepths: z
        .record(z.string(), z.number())
        .describe('Functions whose settings give their own rollback depth'),
      imageRemoval: z
        .enum(['delete', 'archive'])
        .describe("Images that go are deleted, or moved to the registry's archive tier"),
    }),
    images: z.array(
      z.object({
        repository: z.string(),
        digest: z.string(),
        tags: z.array(z.string()),
        sizeBytes: z.number(),
        outcome: outcome.optional().describe('Absent on a dry run'),
      }),
    ),
    versions: z.array(
      z.object({
        functionName: z.string(),
        version: z.string(),
        digest: z.string().nullable(),
        outcome: outcome.optional().describe('Absent on a dry run'),
      }),
    ),
    kept: z.object({
      images: z.number(),
      versions: z.number(),
      byRule: z.record(z.string(), z.number()).describe('Kept items per rule that keeps them'),
    }),
    skipped: z
      .array(z.object({ functionName: z.string(), reason: z.string() }))
      .describe('Functions a deployment held: their versions and every image wait for a later run'),
    stopped: z.array(z.string()).describe('Items the re-check under the locks kept'),
    bytesReclaimed: z.number().describe('Compressed bytes of the removed (dry: planned) images'),
    diskBytesReclaimed: z.number().optional().describe('Bytes freed on disk (local mode)'),
    failure: z.string().optional().describe('The error that ended the removals early'),
  })
  .meta({ id: 'GcReport' });
