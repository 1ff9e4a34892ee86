/**
 * What the local log store adds to the FunctionLogs contract (test/contracts/function-logs.test.ts):
 * its bound, its file modes, and that its logs and cursors survive a restart.
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FunctionLogStore, type InvocationLog } from './log-store.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'ferry-log-store-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const since = new Date(0);
let calls = 0;
const invocation = (output: string, at = Date.now()): InvocationLog => {
  const requestId = `req-${++calls}`;
  return {
    functionName: 'orders',
    version: '1',
    requestId,
    log: `START RequestId: ${requestId} Version: 1\n${output}\nEND RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: 1.00 ms\n`,
    at,
  };
};

describe('Class: FunctionLogStore', () => {
  it('keeps each function under twice its file bound, dropping the oldest lines', async () => {
    const dir = join(home, 'logs');
    const store = new FunctionLogStore(dir, 4096);
    for (let i = 0; i < 200; i++) store.append(invocation(`line ${i} ${'x'.repeat(40)}`));
    const sizes = readdirSync(dir).map((f) => statSync(join(dir, f)).size);
    expect(readdirSync(dir).sort()).toEqual(['orders.1.jsonl', 'orders.jsonl']);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(4096);
    const { events } = await store.read('orders', { since, limit: 1000 });
    const kept = events.filter((e) => e.message.startsWith('line ')).map((e) => e.message);
    expect(kept.at(-1)).toMatch(/^line 199 /);
    expect(kept.length).toBeLessThan(200);
    // What is kept is the newest, in order, without a gap.
    const numbers = kept.map((m) => Number(m.split(' ')[1]));
    expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
  });

  it('creates its directory 0700 and its files 0600', () => {
    const dir = join(home, 'logs');
    new FunctionLogStore(dir).append(invocation('hello'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'orders.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('reads its logs after a restart, and a cursor from before it goes on after it', async () => {
    const dir = join(home, 'logs');
    const before = new FunctionLogStore(dir);
    const at = Date.now();
    before.append(invocation('before', at));
    const page = await before.read('orders', { since, limit: 100 });
    // A crash mid-write leaves a torn last line: skipped, not fatal.
    appendFileSync(join(dir, 'orders.jsonl'), '{"s":9');
    const after = new FunctionLogStore(dir);
    after.append(invocation('after', at));
    expect((await after.read('orders', { since, limit: 100 })).events).toHaveLength(8);
    const next = await after.read('orders', { since, cursor: page.cursor, limit: 100 });
    expect(next.events.map((e) => e.message)).toContain('after');
    expect(next.events.map((e) => e.message)).not.toContain('before');
  });

  it('refuses a name that is not a function name (no path outside its directory)', async () => {
    const store = new FunctionLogStore(join(home, 'logs'));
    await expect(store.read('../secrets', { since, limit: 1 })).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    expect(() => store.append({ ...invocation('x'), functionName: '../x' })).toThrow(
      /not a function name/,
    );
  });
});
