/**
 * The Functions port's provisioned concurrency, as every implementation must behave: the fake
 * the workflow tests use, the local adapter over a real function host, the Lambda adapter over
 * the host's Lambda API, and the Lambda adapter against moto. An implementation that cannot show
 * a behaviour names it in `gaps`, with why, and that case is skipped for it alone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Functions, ProvisionedConcurrency } from '../../services/core/ports.ts';

/** A fresh function for one test: published versions 1 and 2, no provisioned concurrency. */
export interface ProvisionedSubject {
  readonly functions: Functions;
  readonly name: string;
}

/** The cases an implementation may be unable to show. */
export type ProvisionedGap = 'service';

/** One implementation of the port under the contract. */
export interface ProvisionedImplementation {
  readonly name: string;
  /** Makes a fresh subject (a new function on the implementation's shared server or host). */
  make(): Promise<ProvisionedSubject>;
  /** How long provisioning may take to be READY. @default 1000 */
  readonly readyWithinMs?: number;
  /** What it cannot show, and why: `service` is every case that reaches the service. */
  readonly gaps?: Partial<Record<ProvisionedGap, string>>;
}

/** Polls until the version's provisioned concurrency is READY or FAILED, or `withinMs` passed. */
export async function settledProvisioning(
  functions: Functions,
  name: string,
  version: string,
  withinMs: number,
): Promise<ProvisionedConcurrency | null> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const current = await functions.getProvisionedConcurrency(name, version);
    if (current?.status !== 'IN_PROGRESS' || performance.now() > deadline) return current;
    await sleep(50);
  }
}

const expectRejects = async (promise: Promise<unknown>, name: string) =>
  expect(promise).rejects.toMatchObject({ name });

/** Registers the contract for one implementation. */
export function describeProvisionedConcurrencyContract(
  implementation: ProvisionedImplementation,
): void {
  const gaps = implementation.gaps ?? {};
  const service = gaps.service ? it.skip : it;
  const readyWithinMs = implementation.readyWithinMs ?? 1000;
  // Subjects made in this test: their configurations are removed after it, so that a host with
  // a bound on reserved instances serves every case.
  let made: ProvisionedSubject[] = [];
  const make = async () => {
    const subject = await implementation.make();
    made.push(subject);
    return subject;
  };

  describe(`Functions provisioned concurrency contract: ${implementation.name}`, () => {
    afterEach(async () => {
      const done = made;
      made = [];
      if (gaps.service) return;
      for (const { functions, name } of done) {
        for (const version of ['1', '2'])
          await functions.deleteProvisionedConcurrency(name, version);
      }
    });

    service('a put on a version reports IN_PROGRESS or READY for the count asked', async () => {
      const { functions, name } = await make();
      const put = await functions.putProvisionedConcurrency(name, '2', 2);
      expect(put).toMatchObject({ requested: 2 });
      expect(['IN_PROGRESS', 'READY']).toContain(put.status);
    });

    service('polling get reaches READY with every environment allocated', async () => {
      const { functions, name } = await make();
      await functions.putProvisionedConcurrency(name, '2', 2);
      await expect(settledProvisioning(functions, name, '2', readyWithinMs)).resolves.toEqual({
        requested: 2,
        allocated: 2,
        available: 2,
        status: 'READY',
      });
      // Another version is untouched.
      await expect(functions.getProvisionedConcurrency(name, '1')).resolves.toBeNull();
    });

    service('get on a version without any is null', async () => {
      const { functions, name } = await make();
      await expect(functions.getProvisionedConcurrency(name, '1')).resolves.toBeNull();
    });

    it('refuses $LATEST with InvalidRequestError, for put, get and delete', async () => {
      const { functions, name } = await make();
      await expectRejects(
        functions.putProvisionedConcurrency(name, '$LATEST', 1),
        'InvalidRequestError',
      );
      await expectRejects(
        functions.getProvisionedConcurrency(name, '$LATEST'),
        'InvalidRequestError',
      );
      await expectRejects(
        functions.deleteProvisionedConcurrency(name, '$LATEST'),
        'InvalidRequestError',
      );
    });

    it.each([0, -1, 1.5])('refuses a count of %s with InvalidRequestError', async (count) => {
      const { functions, name } = await make();
      await expectRejects(
        functions.putProvisionedConcurrency(name, '2', count),
        'InvalidRequestError',
      );
    });

    service('delete is idempotent, and get is null afterwards', async () => {
      const { functions, name } = await make();
      await functions.deleteProvisionedConcurrency(name, '2');
      await functions.putProvisionedConcurrency(name, '2', 1);
      await functions.deleteProvisionedConcurrency(name, '2');
      await expect(functions.getProvisionedConcurrency(name, '2')).resolves.toBeNull();
      await functions.deleteProvisionedConcurrency(name, '2');
    });

    service('a second put with another count replaces the first', async () => {
      const { functions, name } = await make();
      await functions.putProvisionedConcurrency(name, '2', 2);
      await settledProvisioning(functions, name, '2', readyWithinMs);
      const replaced = await functions.putProvisionedConcurrency(name, '2', 1);
      expect(replaced.requested).toBe(1);
      await expect(settledProvisioning(functions, name, '2', readyWithinMs)).resolves.toEqual({
        requested: 1,
        allocated: 1,
        available: 1,
        status: 'READY',
      });
    });

    service('a missing function or version is NotFoundError, for put, get and delete', async () => {
      const { functions, name } = await make();
      for (const [fn, version] of [
        [`${name}-missing`, '1'],
        [name, '9'],
      ] as const) {
        await expectRejects(functions.putProvisionedConcurrency(fn, version, 1), 'NotFoundError');
        await expectRejects(functions.getProvisionedConcurrency(fn, version), 'NotFoundError');
        await expectRejects(functions.deleteProvisionedConcurrency(fn, version), 'NotFoundError');
      }
    });
  });
}
