import { z } from 'zod';
import { releaseStrategySchema } from './release-strategy.ts';

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

/** Default judgement of each step of a gradual release (judge.ts). */
export const DEFAULT_JUDGE = {
  maxErrorRate: 0.05,
  maxThrottles: 0,
  minInvocations: 10,
  maxDurationP90Ms: null,
  maxErrorRateIncrease: 0.01,
  onTooFewInvocations: 'extend',
  maxExtensions: 2,
  alarms: [],
  preexistingAlarms: 'report',
} as const;

/** How each step of a gradual release is judged (the new version's metrics, CloudWatch alarms). */
export const judgeSettingsSchema = z.strictObject({
  /** Highest error rate of the new version in a step that passes. @default 0.05 */
  maxErrorRate: z.number().min(0).max(1).default(DEFAULT_JUDGE.maxErrorRate),
  /** Most throttles of the new version in a step that pass. @default 0 */
  maxThrottles: z.number().int().min(0).default(DEFAULT_JUDGE.maxThrottles),
  /** Fewest invocations of the new version in a step for a verdict. @default 10 */
  minInvocations: z.number().int().min(1).max(100_000).default(DEFAULT_JUDGE.minInvocations),
  /** Highest p90 Duration (ms) that passes; null: not judged. @default null */
  maxDurationP90Ms: z.number().positive().nullable().default(DEFAULT_JUDGE.maxDurationP90Ms),
  /** How far the new version's error rate may exceed the old one's in the same window; null: not judged. @default 0.01 */
  maxErrorRateIncrease: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .default(DEFAULT_JUDGE.maxErrorRateIncrease),
  /**
   * A step with too few invocations is not a pass: `extend` holds it again (up to
   * `maxExtensions` times, then rolls back), `proceed` goes on without a verdict, `rollback`
   * rolls back at once. Every choice is recorded. @default 'extend'
   */
  onTooFewInvocations: z
    .enum(['extend', 'proceed', 'rollback'])
    .default(DEFAULT_JUDGE.onTooFewInvocations),
  /** How many times one step may be extended. @default 2 */
  maxExtensions: z.number().int().min(0).max(10).default(DEFAULT_JUDGE.maxExtensions),
  /** CloudWatch alarms that fail a step when in ALARM. @default [] */
  alarms: z.array(z.string().min(1).max(255)).max(20).default([]),
  /**
   * An alarm already in ALARM when the deployment started: `report` records it and does not let
   * it fail a step (the release may be its fix), `block` fails the first step. @default 'report'
   */
  preexistingAlarms: z.enum(['report', 'block']).default(DEFAULT_JUDGE.preexistingAlarms),
});

/** A manual gate before the last step of a release. */
export const approvalSettingsSchema = z.strictObject({
  /** Whether someone must approve before all traffic moves. @default false */
  required: z.boolean().default(false),
  /** How long to wait for approve or abort before rolling back. @default 3600 */
  timeoutSeconds: z.number().int().min(1).max(43_200).default(3600),
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
  /**
   * How traffic moves to the new version: a CodeDeploy name (`AllAtOnce`,
   * `Canary10Percent5Minutes`, `Linear10PercentEvery1Minute`, …) or
   * `{ strategy, percent, intervalSeconds }`; stored in the explicit form. @default AllAtOnce
   */
  release: releaseStrategySchema.default({ strategy: 'all-at-once' }),
  /** How each step of a gradual release is judged. */
  judge: judgeSettingsSchema.default({ ...DEFAULT_JUDGE, alarms: [] }),
  /** Approval before the last step. @default not required */
  approval: approvalSettingsSchema.default({ required: false, timeoutSeconds: 3600 }),
  /**
   * Execution environments kept initialized on each new version, READY before any traffic moves;
   * 0: none. @default 0
   */
  provisionedConcurrency: z.number().int().min(0).max(10_000).default(0),
  /** How long to wait for provisioned concurrency to be READY before rolling back. @default 900 */
  provisioningTimeoutSeconds: z.number().int().min(10).max(3600).default(900),
  /** Superseded by `release`; still read so settings stored before it keep parsing. */
  strategy: z.enum(['all-at-once']).optional(),
  /** Slack incoming-webhook reference (a secret key name on AWS). */
  notifyChannel: z.string().max(256).optional(),
  /** Repositories images and builds may come from; empty = any the deployer can read. */
  allowedRepositories: z.array(z.string().min(1).max(256)).max(50).default([]),
  /**
   * Distinct released digests `ferry gc` keeps for this function, the live one included.
   * @default - gc's rollback depth (3 unless configured)
   */
  rollbackDepth: z.number().int().min(1).max(100).optional(),
});

/** A function's settings, defaults applied. */
export type FunctionSettings = z.output<typeof functionSettingsSchema>;

/** Settings as given by a caller, before defaults. */
export type FunctionSettingsInput = z.input<typeof functionSettingsSchema>;

/** Parses settings, applying defaults; throws a ZodError on invalid input. */
export function parseFunctionSettings(input: unknown): FunctionSettings {
  return functionSettingsSchema.parse(input);
}
