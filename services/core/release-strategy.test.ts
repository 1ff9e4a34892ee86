import { describe, expect, it } from 'vitest';
import {
  explicitReleaseStrategySchema,
  PREDEFINED_RELEASE_STRATEGIES,
  parseReleaseStrategy,
  releaseSchedule,
  releaseStrategySchema,
  scheduleSeconds,
} from './release-strategy.ts';

const tenths = (holdSeconds: number, upTo: number) =>
  Array.from({ length: upTo }, (_, i) => ({ weight: (i + 1) / 10, holdSeconds }));

describe('release strategies', () => {
  it("knows CodeDeploy's nine predefined Lambda configurations", () => {
    expect(Object.keys(PREDEFINED_RELEASE_STRATEGIES)).toEqual([
      'AllAtOnce',
      'Canary10Percent5Minutes',
      'Canary10Percent10Minutes',
      'Canary10Percent15Minutes',
      'Canary10Percent30Minutes',
      'Linear10PercentEvery1Minute',
      'Linear10PercentEvery2Minutes',
      'Linear10PercentEvery3Minutes',
      'Linear10PercentEvery10Minutes',
    ]);
  });

  it.each([
    ['AllAtOnce', [{ weight: 1, holdSeconds: 0 }], 0],
    [
      'Canary10Percent5Minutes',
      [
        { weight: 0.1, holdSeconds: 300 },
        { weight: 1, holdSeconds: 0 },
      ],
      300,
    ],
    [
      'Canary10Percent10Minutes',
      [
        { weight: 0.1, holdSeconds: 600 },
        { weight: 1, holdSeconds: 0 },
      ],
      600,
    ],
    [
      'Canary10Percent15Minutes',
      [
        { weight: 0.1, holdSeconds: 900 },
        { weight: 1, holdSeconds: 0 },
      ],
      900,
    ],
    [
      'Canary10Percent30Minutes',
      [
        { weight: 0.1, holdSeconds: 1800 },
        { weight: 1, holdSeconds: 0 },
      ],
      1800,
    ],
    ['Linear10PercentEvery1Minute', [...tenths(60, 9), { weight: 1, holdSeconds: 0 }], 540],
    ['Linear10PercentEvery2Minutes', [...tenths(120, 9), { weight: 1, holdSeconds: 0 }], 1080],
    ['Linear10PercentEvery3Minutes', [...tenths(180, 9), { weight: 1, holdSeconds: 0 }], 1620],
    ['Linear10PercentEvery10Minutes', [...tenths(600, 9), { weight: 1, holdSeconds: 0 }], 5400],
  ])('%s → its schedule', (name, steps, seconds) => {
    const schedule = releaseSchedule(parseReleaseStrategy(name));
    expect(schedule).toEqual(steps);
    expect(scheduleSeconds(schedule)).toBe(seconds);
  });

  it("takes CodeDeploy's own spelling of the same names", () => {
    expect(parseReleaseStrategy('CodeDeployDefault.LambdaCanary10Percent5Minutes')).toEqual({
      strategy: 'canary',
      percent: 10,
      intervalSeconds: 300,
    });
    expect(parseReleaseStrategy('CodeDeployDefault.LambdaAllAtOnce')).toEqual({
      strategy: 'all-at-once',
    });
  });

  describe('explicit strategies', () => {
    it('canary: the percent for one interval (a few seconds allowed), then everything', () => {
      const strategy = parseReleaseStrategy({
        strategy: 'canary',
        percent: 25,
        intervalSeconds: 5,
      });
      expect(releaseSchedule(strategy)).toEqual([
        { weight: 0.25, holdSeconds: 5 },
        { weight: 1, holdSeconds: 0 },
      ]);
    });

    it('linear: the percent more each interval; a percent that does not divide 100 ends at 100', () => {
      const steps = releaseSchedule(
        parseReleaseStrategy({ strategy: 'linear', percent: 30, intervalSeconds: 2 }),
      );
      expect(steps).toEqual([
        { weight: 0.3, holdSeconds: 2 },
        { weight: 0.6, holdSeconds: 2 },
        { weight: 0.9, holdSeconds: 2 },
        { weight: 1, holdSeconds: 0 },
      ]);
    });

    it('linear at the bounds: 1% takes 99 steps, 99% one step', () => {
      const fine = releaseSchedule(
        parseReleaseStrategy({ strategy: 'linear', percent: 1, intervalSeconds: 1 }),
      );
      expect(fine).toHaveLength(100);
      expect(fine[98]).toEqual({ weight: 0.99, holdSeconds: 1 });
      const coarse = releaseSchedule(
        parseReleaseStrategy({ strategy: 'linear', percent: 99, intervalSeconds: 3600 }),
      );
      expect(coarse).toEqual([
        { weight: 0.99, holdSeconds: 3600 },
        { weight: 1, holdSeconds: 0 },
      ]);
    });

    it('all-at-once takes no percent or interval', () => {
      expect(releaseSchedule(parseReleaseStrategy({ strategy: 'all-at-once' }))).toEqual([
        { weight: 1, holdSeconds: 0 },
      ]);
    });
  });

  describe('clear errors', () => {
    it.each([
      [
        'Canary5Percent1Minute',
        /unknown release strategy "Canary5Percent1Minute": one of AllAtOnce, Canary10Percent5Minutes, .* or \{ strategy, percent, intervalSeconds \}/,
      ],
      ['', /unknown release strategy ""/],
      [
        { strategy: 'blue-green' },
        /^invalid release strategy: strategy: must be one of all-at-once, canary, linear$/,
      ],
      [
        { strategy: 'canary', percent: 0, intervalSeconds: 60 },
        /percent: must be a whole number from 1 to 99/,
      ],
      [
        { strategy: 'canary', percent: 100, intervalSeconds: 60 },
        /percent: must be a whole number from 1 to 99/,
      ],
      [
        { strategy: 'linear', percent: 12.5, intervalSeconds: 60 },
        /percent: must be a whole number/,
      ],
      [
        { strategy: 'canary', percent: 10, intervalSeconds: 0 },
        /intervalSeconds: must be a whole number of seconds from 1 to 3600/,
      ],
      [{ strategy: 'canary', percent: 10, intervalSeconds: 3601 }, /intervalSeconds: must be/],
      [{ strategy: 'canary', percent: 10, intervalSeconds: 1.5 }, /intervalSeconds: must be/],
      [{ strategy: 'canary', percent: 10 }, /intervalSeconds: /],
      [{ strategy: 'all-at-once', percent: 10 }, /Unrecognized key: "percent"/],
      [42, /a release strategy is a predefined name or \{ strategy, percent, intervalSeconds \}/],
      [null, /a release strategy is a predefined name/],
    ])('%j', (input, message) => {
      expect(() => parseReleaseStrategy(input)).toThrow(message);
      expect(() => parseReleaseStrategy(input)).toThrow(
        expect.objectContaining({ name: 'InvalidRequestError', field: 'releaseStrategy' }),
      );
      expect(releaseStrategySchema.safeParse(input).success).toBe(false);
    });

    it('the explicit schema alone reports each field at its path', () => {
      const result = explicitReleaseStrategySchema.safeParse({
        strategy: 'linear',
        percent: 0,
        intervalSeconds: 0,
      });
      expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['percent', 'must be a whole number from 1 to 99'],
        ['intervalSeconds', 'must be a whole number of seconds from 1 to 3600'],
      ]);
    });
  });
});
