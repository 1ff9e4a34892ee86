/** The history half of the DeploymentRecords contract: listByFunction's order, pages and cursors. */
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import { InvalidRequestError } from '../../services/core/errors.ts';
import type { DeploymentRecords } from '../../services/core/ports.ts';
import { aDeployment } from '../fakes/deployments.ts';
import { createHistory } from './deployment-fixtures.ts';

// The kind is what entry points answer by (a 400 invalid-cursor problem), not the message.
const invalidCursor = new InvalidRequestError('invalid cursor', { kind: 'invalid-cursor' });

/** Every item of a history, page after page of `limit`; the page sizes seen. */
async function readAll(records: DeploymentRecords, functionName: string, limit: number) {
  const items: Deployment[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await records.listByFunction(functionName, { limit, ...(cursor && { cursor }) });
    items.push(...page.items);
    sizes.push(page.items.length);
    cursor = page.cursor;
  } while (cursor);
  return { items, sizes };
}

/** Registers the listByFunction tests; `records` returns the current test's implementation. */
export function describeHistoryContract(records: () => DeploymentRecords): void {
  describe('listByFunction', () => {
    it('returns an empty page without a cursor for a function with no deployments', async () => {
      await expect(records().listByFunction('orders')).resolves.toStrictEqual({ items: [] });
    });

    it('lists only the function’s deployments, newest first, ties by id descending', async () => {
      const mine = await createHistory(records(), 'orders', 3);
      await createHistory(records(), 'billing', 2);
      const tieA = aDeployment({ id: 'd-tie-a', createdAt: mine[0]?.createdAt });
      const tieB = aDeployment({ id: 'd-tie-b', createdAt: mine[0]?.createdAt });
      await records().create(tieA);
      await records().create(tieB);

      await expect(records().listByFunction('orders')).resolves.toStrictEqual({
        items: [tieB, tieA, ...mine],
      });
    });

    it('pages to the end with cursors, without duplicates or losses, no cursor on the last page', async () => {
      const all = await createHistory(records(), 'orders', 5);
      const { items, sizes } = await readAll(records(), 'orders', 2);
      expect(sizes).toEqual([2, 2, 1]);
      expect(items).toStrictEqual(all);
    });

    it('gives no cursor when the last page is exactly full', async () => {
      const all = await createHistory(records(), 'orders', 4);
      expect((await readAll(records(), 'orders', 2)).sizes).toEqual([2, 2]);
      await expect(records().listByFunction('orders', { limit: 4 })).resolves.toStrictEqual({
        items: all,
      });
    });

    it('continues after the last item served: a newer deployment does not shift the next page', async () => {
      const all = await createHistory(records(), 'orders', 5);
      const first = await records().listByFunction('orders', { limit: 2 });
      await records().create(
        aDeployment({ id: 'd-newest', createdAt: '2027-01-01T00:00:00.000Z' }),
      );

      const second = await records().listByFunction('orders', {
        limit: 2,
        ...(first.cursor && { cursor: first.cursor }),
      });
      expect(second.items).toStrictEqual(all.slice(2, 4));
    });

    it('refuses a cursor issued for another function, and a garbled or empty one', async () => {
      await createHistory(records(), 'orders', 3);
      await createHistory(records(), 'billing', 3);
      const { cursor } = await records().listByFunction('billing', { limit: 1 });
      if (!cursor) throw new Error('expected a cursor');

      for (const bad of [cursor, 'not-a-cursor', '']) {
        await expect(records().listByFunction('orders', { cursor: bad })).rejects.toThrow(
          invalidCursor,
        );
      }
      await expect(records().listByFunction('billing', { cursor })).resolves.toMatchObject({
        items: expect.any(Array),
      });
    });

    it('pages 20 by default and at most 100, however many are asked for', async () => {
      await createHistory(records(), 'orders', 101);
      const byDefault = await records().listByFunction('orders');
      expect(byDefault.items).toHaveLength(20);
      expect(byDefault.cursor).toBeDefined();

      const most = await records().listByFunction('orders', { limit: 1_000 });
      expect(most.items).toHaveLength(100);
      if (!most.cursor) throw new Error('expected a cursor');
      const rest = await records().listByFunction('orders', { limit: 1_000, cursor: most.cursor });
      expect(rest.items).toHaveLength(1);
      expect(rest.cursor).toBeUndefined();
    });

    it('raises a limit below 1 to 1 and rounds a fractional one down', async () => {
      await createHistory(records(), 'orders', 3);
      for (const limit of [0, -5, 1.9]) {
        const page = await records().listByFunction('orders', { limit });
        expect(page.items).toHaveLength(1);
        expect(page.cursor).toBeDefined();
      }
      expect((await records().listByFunction('orders', { limit: 2.9 })).items).toHaveLength(2);
    });

    it('refuses a limit that is not a finite number with InvalidRequestError', async () => {
      for (const limit of [Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(records().listByFunction('orders', { limit })).rejects.toBeInstanceOf(
          InvalidRequestError,
        );
      }
    });
  });
}
