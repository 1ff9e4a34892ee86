import { z } from 'zod';

/** Lambda's hard limit on an image's uncompressed size (10 GiB). */
export const LAMBDA_MAX_UNCOMPRESSED_BYTES = 10 * 1024 ** 3;

/** Default compressed-size budget: 250 MiB, the cold-start advice Ferry enforces. */
export const DEFAULT_SIZE_BUDGET_BYTES = 250 * 1024 ** 2;

/** Default largest allowed growth of the compressed size vs the live release (1.5 = +50 %). */
export const DEFAULT_MAX_GROWTH_RATIO = 1.5;

/**
 * Default cold-start gate: fail when the median Init Duration of 5 cold starts grew beyond 1.5×
 * the live release's AND by more than 100 ms (a 100 ms init must pass 200 ms to fail). On by
 * default so cold starts cannot grow silently; an inconclusive measurement does not block.
 */
export const DEFAULT_COLD_START = {
  maxInitGrowthRatio: 1.5,
  minInitDeltaMs: 100,
  samples: 5,
  inconclusiveBlocks: false,
} as const;

/** Smoke-invoke assertions on the new version's response. */
export const smokeSettingsSchema = z.strictObject({
  /** The event sent to the new version. @default {} */
  payload: z.unknown().default({}),
  /** Expected `statusCode` in the response JSON (API-style handlers), if any. */
  expectStatusCode: z.number().int().min(100).max(599).optional(),
  /** A JSON value the response must contain (objects: subset match; others: equality). */
  expectJsonSubset: z.unknown().optional(),
});

/** Per-function cold-start gate. */
export const coldStartSettingsSchema = z.strictObject({
  /** Largest allowed Init Duration growth vs the live release (ratio); null turns the gate off. @default 1.5 */
  maxInitGrowthRatio: z.number().min(1).nullable().default(DEFAULT_COLD_START.maxInitGrowthRatio),
  /** Growth up to this many milliseconds never fails the gate (noise floor). @default 100 */
  minInitDeltaMs: z.number().min(0).default(DEFAULT_COLD_START.minInitDeltaMs),
  /** Cold starts measured per version (concurrent invokes of the new version). @default 5 */
  samples: z.number().int().min(3).max(10).default(DEFAULT_COLD_START.samples),
  /** Whether an inconclusive measurement (too few cold starts, too wide a spread) blocks. @default false */
  inconclusiveBlocks: z.boolean().default(DEFAULT_COLD_START.inconclusiveBlocks),
});

/** A function's Ferry settings (`PUT /v1/functions/{name}`). */
export const functionSettingsSchema = z.strictObject({
  /** The team that owns the function and may deploy it. */
  team: z.string().min(1).max(64),
  /** The alias that carries traffic. @default 'live' */
  alias: z
    .string()
    .regex(/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/)
    .default('live'),
  smoke: smokeSettingsSchema.default({ payload: {} }),
  /** Compressed-size budget in bytes. @default 250 MiB */
  sizeBudgetBytes: z.number().int().positive().default(DEFAULT_SIZE_BUDGET_BYTES),
  /** Largest compressed-size growth vs the live release; null turns the check off. @default 1.5 */
  maxGrowthRatio: z.number().min(1).nullable().default(DEFAULT_MAX_GROWTH_RATIO),
  coldStart: coldStartSettingsSchema.default({ ...DEFAULT_COLD_START }),
  /** How traffic moves; only all-at-once today. */
  strategy: z.enum(['all-at-once']).default('all-at-once'),
  /** Slack incoming-webhook reference (a secret key name on AWS). */
  notifyChannel: z.string().max(256).optional(),
  /** Repositories images and builds may come from; empty = any the deployer can read. */
  allowedRepositories: z.array(z.string().min(1).max(256)).max(50).default([]),
});

/** A function's settings, defaults applied. */
export type FunctionSettings = z.output<typeof functionSettingsSchema>;

/** Settings as given by a caller, before defaults. */
export type FunctionSettingsInput = z.input<typeof functionSettingsSchema>;

/** Parses settings, applying defaults; throws a ZodError on invalid input. */
export function parseFunctionSettings(input: unknown): FunctionSettings {
  return functionSettingsSchema.parse(input);
}
