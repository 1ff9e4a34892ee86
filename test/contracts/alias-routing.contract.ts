/**
 * The Functions port's weighted alias routing, as every implementation must behave: the fake
 * the workflow tests use, the local adapter over a real function host, and the Lambda adapter
 * (against moto). An implementation that cannot show a behaviour names it in `gaps`, with why,
 * and that case is skipped for it rather than weakened for all.
 */
import { describe, expect, it } from 'vitest';
import type { AliasRouting, Functions } from '../../services/core/ports.ts';

/** A fresh function for one test: published versions 1, 2 and 3, alias `live` on version 1. */
export interface RoutingSubject {
  readonly functions: Functions;
  readonly name: string;
}

/** The cases an implementation may be unable to show. */
export type RoutingGap = 'revision' | 'additional-version-exists' | 'invoke';

/** One implementation of the port under the contract. */
export interface RoutingImplementation {
  readonly name: string;
  /** Makes a fresh subject (a new function on the implementation's shared server or host). */
  make(): Promise<RoutingSubject>;
  /** What it cannot show, and why. */
  readonly gaps?: Partial<Record<RoutingGap, string>>;
}

/** Invocations in the weighted-routing statistics check, and the additional version's weight. */
export const STATISTICS = { invocations: 400, weight: 0.25 } as const;

/**
 * The accepted range of invocations that run the additional version: the binomial mean ± 4.5
 * standard deviations (n = 400, p = 0.25: 100 ± 39, so 62..138). A correct implementation
 * falls outside with probability below 1e-5; one that ignores the weight (0 or 400 runs), or
 * inverts it (300), never falls inside.
 */
export function binomialBound(n: number, p: number): { min: number; max: number } {
  const spread = 4.5 * Math.sqrt(n * p * (1 - p));
  return { min: Math.ceil(n * p - spread), max: Math.floor(n * p + spread) };
}

const canary: AliasRouting = { version: '2', additional: { version: '3', weight: 0.1 } };

/** Registers the contract for one implementation. */
export function describeAliasRoutingContract(implementation: RoutingImplementation): void {
  const gaps = implementation.gaps ?? {};
  const unless = (gap: RoutingGap) => (gaps[gap] ? it.skip : it);

  describe(`Functions alias routing contract: ${implementation.name}`, () => {
    it('reads one version and no split on a plain alias, and null for a missing alias', async () => {
      const { functions, name } = await implementation.make();
      const live = await functions.getAliasRouting(name, 'live');
      expect(live).toEqual({ version: '1', additional: null, revisionId: expect.any(String) });
      expect(live?.revisionId).not.toBe('');
      await expect(functions.getAliasRouting(name, 'nope')).resolves.toBeNull();
    });

    it('writes a split and reads it back; getAlias and getFunction report the primary', async () => {
      const { functions, name } = await implementation.make();
      await functions.setAliasRouting(name, 'live', canary);
      await expect(functions.getAliasRouting(name, 'live')).resolves.toMatchObject(canary);
      await expect(functions.getAlias(name, 'live')).resolves.toBe('2');
      await expect(functions.getFunction(name, 'live')).resolves.toMatchObject({ version: '2' });
    });

    it('setAlias puts 100% on one version: any split is cleared', async () => {
      const { functions, name } = await implementation.make();
      await functions.setAliasRouting(name, 'live', canary);
      await functions.setAlias(name, 'live', '3');
      await expect(functions.getAliasRouting(name, 'live')).resolves.toMatchObject({
        version: '3',
        additional: null,
      });
    });

    it('a routing without an additional version clears the split too', async () => {
      const { functions, name } = await implementation.make();
      await functions.setAliasRouting(name, 'live', canary);
      await functions.setAliasRouting(name, 'live', { version: '2', additional: null });
      await expect(functions.getAliasRouting(name, 'live')).resolves.toMatchObject({
        version: '2',
        additional: null,
      });
    });

    it('creates a missing alias with its split', async () => {
      const { functions, name } = await implementation.make();
      await functions.setAliasRouting(name, 'beta', canary);
      await expect(functions.getAliasRouting(name, 'beta')).resolves.toMatchObject(canary);
      await expect(functions.getAlias(name, 'live')).resolves.toBe('1');
    });

    unless('revision')(
      'writes conditionally: the revision read lets one write through, then is stale',
      async () => {
        const { functions, name } = await implementation.make();
        const read = await functions.getAliasRouting(name, 'live');
        await functions.setAliasRouting(name, 'live', canary, read?.revisionId);
        const after = await functions.getAliasRouting(name, 'live');
        expect(after?.revisionId).not.toBe(read?.revisionId);
        const next = { version: '2', additional: { version: '3', weight: 0.2 } };
        await expect(
          functions.setAliasRouting(name, 'live', next, read?.revisionId),
        ).rejects.toMatchObject({ name: 'ConflictError' });
        await expect(functions.getAliasRouting(name, 'live')).resolves.toMatchObject(canary);
      },
    );

    it('a conditional write never creates the alias: a missing one is NotFoundError', async () => {
      const { functions, name } = await implementation.make();
      await expect(
        functions.setAliasRouting(name, 'beta', canary, 'any-revision'),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(functions.getAliasRouting(name, 'beta')).resolves.toBeNull();
    });

    it.each([
      [
        'a weight of 1 (that is setAlias)',
        { version: '2', additional: { version: '3', weight: 1 } },
      ],
      ['a negative weight', { version: '2', additional: { version: '3', weight: -0.1 } }],
      ['the primary as additional', { version: '2', additional: { version: '2', weight: 0.1 } }],
      ['$LATEST', { version: '$LATEST', additional: { version: '3', weight: 0.1 } }],
    ])('refuses %s with InvalidRequestError and changes nothing', async (_, routing) => {
      const { functions, name } = await implementation.make();
      await expect(functions.setAliasRouting(name, 'live', routing)).rejects.toMatchObject({
        name: 'InvalidRequestError',
      });
      await expect(functions.getAliasRouting(name, 'live')).resolves.toMatchObject({
        version: '1',
        additional: null,
      });
    });

    it('a primary version that does not exist is NotFoundError', async () => {
      const { functions, name } = await implementation.make();
      const routing = { version: '9', additional: { version: '3', weight: 0.1 } };
      await expect(functions.setAliasRouting(name, 'live', routing)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(functions.getAlias(name, 'live')).resolves.toBe('1');
      // On an alias that exists, a missing version is reported as such, never as a failed create.
      const error = await functions.setAlias(name, 'live', '9').catch((e: Error) => e);
      expect(error).toMatchObject({
        name: 'NotFoundError',
        message: expect.stringMatching(/\b9\b/),
      });
      expect((error as Error).message).not.toMatch(/CreateAlias/);
      await expect(functions.getAlias(name, 'live')).resolves.toBe('1');
    });

    unless('additional-version-exists')(
      'an additional version that does not exist is NotFoundError',
      async () => {
        const { functions, name } = await implementation.make();
        const routing = { version: '2', additional: { version: '9', weight: 0.1 } };
        await expect(functions.setAliasRouting(name, 'live', routing)).rejects.toMatchObject({
          name: 'NotFoundError',
        });
        await expect(functions.getAliasRouting(name, 'live')).resolves.toMatchObject({
          version: '1',
          additional: null,
        });
      },
    );

    unless('invoke')(
      'routes alias invocations by weight and reports the executed version; versions are not routed',
      async () => {
        const { functions, name } = await implementation.make();
        await functions.setAliasRouting(name, 'live', {
          version: '2',
          additional: { version: '3', weight: 0 },
        });
        for (let i = 0; i < 10; i++) {
          expect((await functions.invoke(name, 'live', '{}')).executedVersion).toBe('2');
        }
        await functions.setAliasRouting(name, 'live', canary);
        for (let i = 0; i < 5; i++) {
          expect((await functions.invoke(name, '1', '{}')).executedVersion).toBe('1');
        }
        await functions.setAlias(name, 'live', '3');
        expect((await functions.invoke(name, 'live', '{}')).executedVersion).toBe('3');
      },
    );

    unless('invoke')(
      `sends the additional version its share: ${STATISTICS.invocations} invocations at weight ${STATISTICS.weight} within the binomial bound`,
      async () => {
        const { functions, name } = await implementation.make();
        const { invocations, weight } = STATISTICS;
        await functions.setAliasRouting(name, 'live', {
          version: '2',
          additional: { version: '3', weight },
        });
        const executed: string[] = [];
        // One at a time: on the local host each version then keeps one warm instance, and no
        // draw waits for a cold start.
        for (let i = 0; i < invocations; i++) {
          executed.push((await functions.invoke(name, 'live', '{}')).executedVersion ?? 'none');
        }
        const additional = executed.filter((v) => v === '3').length;
        const primary = executed.filter((v) => v === '2').length;
        const { min, max } = binomialBound(invocations, weight);
        console.log(
          `${implementation.name}: version 3 ran ${additional} of ${invocations} at weight ${weight} (accepted ${min}..${max})`,
        );
        expect(primary + additional).toBe(invocations);
        expect(additional).toBeGreaterThanOrEqual(min);
        expect(additional).toBeLessThanOrEqual(max);
      },
      120_000,
    );
  });
}
