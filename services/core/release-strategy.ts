/**
 * How a release moves traffic to the new version: CodeDeploy's predefined Lambda deployment
 * configurations by name, or an explicit strategy, and the schedule of weights each one means.
 * Pure; not yet read from any setting.
 *
 * A schedule is a list of steps: set the new version's weight, hold (judging it) for the
 * step's seconds, go on. Canary: `percent` for one interval, then everything. Linear: `percent`
 * more every interval until 100%. The last step is always weight 1 with no hold.
 */
import { z } from 'zod';
import { InvalidRequestError } from './errors.ts';

const percentSchema = z
  .int('must be a whole number from 1 to 99')
  .min(1, 'must be a whole number from 1 to 99')
  .max(99, 'must be a whole number from 1 to 99');

// Seconds rather than CodeDeploy's minutes, so local mode can release in a few seconds; an hour
// per step keeps any schedule within reach of a workflow's time limit.
const intervalSchema = z
  .int('must be a whole number of seconds from 1 to 3600')
  .min(1, 'must be a whole number of seconds from 1 to 3600')
  .max(3600, 'must be a whole number of seconds from 1 to 3600');

/** An explicit strategy: `all-at-once`, or canary/linear with a percent and an interval. */
export const explicitReleaseStrategySchema = z.discriminatedUnion(
  'strategy',
  [
    z.strictObject({ strategy: z.literal('all-at-once') }),
    z.strictObject({
      strategy: z.literal('canary'),
      percent: percentSchema,
      intervalSeconds: intervalSchema,
    }),
    z.strictObject({
      strategy: z.literal('linear'),
      percent: percentSchema,
      intervalSeconds: intervalSchema,
    }),
  ],
  { error: 'must be one of all-at-once, canary, linear' },
);

/** A release strategy, always in its explicit form. */
export type ReleaseStrategy = z.output<typeof explicitReleaseStrategySchema>;

const canary = (minutes: number): ReleaseStrategy => ({
  strategy: 'canary',
  percent: 10,
  intervalSeconds: minutes * 60,
});
const linear = (minutes: number): ReleaseStrategy => ({
  strategy: 'linear',
  percent: 10,
  intervalSeconds: minutes * 60,
});

/** CodeDeploy's predefined Lambda configurations, by the names SAM's DeploymentPreference uses. */
export const PREDEFINED_RELEASE_STRATEGIES = {
  AllAtOnce: { strategy: 'all-at-once' },
  Canary10Percent5Minutes: canary(5),
  Canary10Percent10Minutes: canary(10),
  Canary10Percent15Minutes: canary(15),
  Canary10Percent30Minutes: canary(30),
  Linear10PercentEvery1Minute: linear(1),
  Linear10PercentEvery2Minutes: linear(2),
  Linear10PercentEvery3Minutes: linear(3),
  Linear10PercentEvery10Minutes: linear(10),
} as const satisfies Record<string, ReleaseStrategy>;

/** A predefined name. */
export type PredefinedReleaseStrategy = keyof typeof PREDEFINED_RELEASE_STRATEGIES;

const NAMES = Object.keys(PREDEFINED_RELEASE_STRATEGIES) as PredefinedReleaseStrategy[];
// CodeDeploy spells the same configurations `CodeDeployDefault.Lambda<Name>`.
const CODEDEPLOY_PREFIX = 'CodeDeployDefault.Lambda';

/** The predefined strategy a name stands for (either spelling), or undefined. */
function predefined(name: string): ReleaseStrategy | undefined {
  const bare = name.startsWith(CODEDEPLOY_PREFIX) ? name.slice(CODEDEPLOY_PREFIX.length) : name;
  return Object.hasOwn(PREDEFINED_RELEASE_STRATEGIES, bare)
    ? PREDEFINED_RELEASE_STRATEGIES[bare as PredefinedReleaseStrategy]
    : undefined;
}

const nameSchema = z.string().transform((name, ctx) => {
  const strategy = predefined(name);
  if (strategy) return strategy;
  ctx.addIssue({
    code: 'custom',
    message: `unknown release strategy "${name}": one of ${NAMES.join(', ')} (or CodeDeployDefault.Lambda…), or { strategy, percent, intervalSeconds }`,
  });
  return z.NEVER;
});

/** `percent: must be …`, or the bare message for the whole value. */
const atPath = (issue: { path: PropertyKey[]; message: string }) =>
  issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;

/**
 * A release strategy as a setting would hold it: a predefined name or an explicit object, read
 * as the explicit form. A string is judged as a name and an object as the explicit form, so the
 * error speaks of what was given rather than of every alternative.
 */
export const releaseStrategySchema = z.union([nameSchema, explicitReleaseStrategySchema], {
  error: (issue) => {
    const input = issue.input;
    if (typeof input === 'string' || (typeof input === 'object' && input !== null)) {
      const branch = typeof input === 'string' ? 0 : 1;
      const inner = issue.code === 'invalid_union' ? issue.errors[branch]?.[0] : undefined;
      if (inner) return atPath(inner);
    }
    return 'a release strategy is a predefined name or { strategy, percent, intervalSeconds }';
  },
});

/** Parses a strategy (see releaseStrategySchema); InvalidRequestError naming what is wrong. */
export function parseReleaseStrategy(input: unknown): ReleaseStrategy {
  const parsed = releaseStrategySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError(
    `invalid release strategy: ${parsed.error.issues.map(atPath).join('; ')}`,
    { field: 'releaseStrategy' },
  );
}

/** One step: the new version's share of the alias, held for `holdSeconds` before the next. */
export interface ReleaseStep {
  /** In (0, 1]; 1 is the whole alias on the new version (setAlias). */
  readonly weight: number;
  readonly holdSeconds: number;
}

/** The steps a strategy takes, the last always `{ weight: 1, holdSeconds: 0 }`. */
export function releaseSchedule(strategy: ReleaseStrategy): ReleaseStep[] {
  const done: ReleaseStep = { weight: 1, holdSeconds: 0 };
  if (strategy.strategy === 'all-at-once') return [done];
  const { percent, intervalSeconds } = strategy;
  if (strategy.strategy === 'canary') {
    return [{ weight: percent / 100, holdSeconds: intervalSeconds }, done];
  }
  const steps: ReleaseStep[] = [];
  // Whole percents divided once, so 30% is exactly 0.3 and not 3 × 0.1.
  for (let share = percent; share < 100; share += percent) {
    steps.push({ weight: share / 100, holdSeconds: intervalSeconds });
  }
  return [...steps, done];
}

/** How long a schedule holds in all: the least time a release with it takes. */
export function scheduleSeconds(steps: readonly ReleaseStep[]): number {
  return steps.reduce((total, step) => total + step.holdSeconds, 0);
}
