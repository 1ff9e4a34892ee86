/**
 * What ScanImage and SmokeInvoke report, as stored on a deployment and served by the API. The
 * reports keep fields this version has no name for (a newer worker's figures): the web page shows
 * them as extra facts and the API serves them as they are.
 */
import { z } from 'zod';
import { coldStartSampleSchema } from './cold-start.ts';
import { gateResultSchema } from './gates.ts';

/** A largest-layer line of a scan report. */
export const layerSummarySchema = z.object({
  digest: z.string(),
  sizeBytes: z.number(),
  index: z
    .number()
    .optional()
    .describe("1-based position in the image (1 is the bottom layer, usually the base image's)"),
  createdBy: z
    .string()
    .optional()
    .describe(
      'The config history line that created the layer (`RUN apt-get install …`), when known',
    ),
  fromBase: z
    .boolean()
    .optional()
    .describe('True when the layer came with the base image (`FROM`); absent when that is unknown'),
});

/** A largest-layer line. */
export type LayerSummary = z.output<typeof layerSummarySchema>;

/** What ScanImage found and decided, by name. */
const scanReportFields = z.object({
  verdict: z.enum(['pass', 'reject']),
  reasons: z
    .array(z.string())
    .describe('Why the gate failed, one line per broken rule (empty when passed)'),
  mediaType: z.string(),
  architecture: z.string().nullable(),
  compressedBytes: z.number(),
  uncompressedBytes: z.number().nullable().describe('Unknown from a manifest-only scan; null then'),
  layerCount: z.number(),
  largestLayers: z.array(layerSummarySchema),
  budgetBytes: z.number(),
  liveCompressedBytes: z.number().nullable(),
  growthRatio: z.number().nullable(),
  maxGrowthRatio: z.number().nullable(),
  baseImage: z
    .string()
    .nullable()
    .optional()
    .describe(
      'The base image (`FROM`), from the manifest annotations or the build history; null when unknown',
    ),
  gates: z
    .array(gateResultSchema)
    .optional()
    .describe('Size gates with their figures (absent on records written before they existed)'),
  hints: z
    .array(z.string())
    .optional()
    .describe('Why the image may be big: suggestions naming a layer and its size (heuristics)'),
});

/** A scan report as stored and served: its named fields and any others kept. */
export const scanReportSchema = scanReportFields.loose().meta({ id: 'ScanReport' });

/** What ScanImage writes: the named fields only, so a misspelt one does not compile. */
export type ScanReport = z.output<typeof scanReportFields>;

/** What the smoke invokes of the new version (several cold starts at once) showed, by name. */
const smokeReportFields = z.object({
  passed: z.boolean(),
  verdict: z
    .enum(['pass', 'fail', 'reject'])
    .optional()
    .describe(
      '`fail` when the new version misbehaved (ROLLED_BACK); `reject` when it works but a gate failed (REJECTED); absent on records written before gates existed',
    ),
  version: z.string().optional().describe('The version invoked'),
  reason: z
    .string()
    .optional()
    .describe('Why it failed (FunctionError, status, assertion, gate); absent when passed'),
  statusCode: z.number(),
  functionError: z.string().optional(),
  responseExcerpt: z.string().describe('The first bytes of the response payload'),
  initDurationMs: z
    .number()
    .nullable()
    .describe(
      'The median Init Duration of the cold starts (REPORT lines), or of the recorded verdict reused for this digest; null when the runtime gave none (never invented)',
    ),
  durationMs: z.number().nullable().describe('The median Duration of the invokes'),
  maxMemoryUsedMb: z.number().nullable().describe('The most memory any invoke used'),
  coldStarts: coldStartSampleSchema
    .nullable()
    .optional()
    .describe(
      "The new version's cold starts: measured by this smoke, or those of the verdict reused for the digest (absent on older records)",
    ),
  gates: z
    .array(gateResultSchema)
    .optional()
    .describe('The cold-start gate with its figures (absent on older records)'),
});

/** A smoke report as stored and served: its named fields and any others kept. */
export const smokeReportSchema = smokeReportFields.loose().meta({ id: 'SmokeReport' });

/** What SmokeInvoke writes: the named fields only, so a misspelt one does not compile. */
export type SmokeReport = z.output<typeof smokeReportFields>;
