/**
 * The FunctionLogs port, as every implementation must answer: the fake, the local function
 * host's log store and the CloudWatch adapter on moto's CloudWatch Logs. Invocations are written
 * through the subject the way its platform writes them (the host's invocation log; Lambda's
 * streams), then read through the port.
 */
import { describe, expect, it } from 'vitest';
import type { FunctionLogEvent, FunctionLogs } from '../../services/core/ports.ts';

/** One invocation as the platform logged it. */
export interface LoggedInvocation {
  readonly name: string;
  readonly version: string;
  readonly requestId: string;
  readonly at: Date;
  /** What the handler printed. */
  readonly output: readonly string[];
  /** What the runtime printed while starting (a cold start), before START. */
  readonly init?: readonly string[];
}

/** A fresh implementation and the way to put invocations where it reads them. */
export interface LogsSubject {
  readonly logs: FunctionLogs;
  record(invocations: readonly LoggedInvocation[]): Promise<void>;
}

/** One implementation of the port under the contract. */
export interface LogsImplementation {
  readonly name: string;
  make(): Promise<LogsSubject>;
}

/** The lines of an invocation, as Lambda and the local host write them. */
export function invocationLines(invocation: LoggedInvocation): string[] {
  const id = invocation.requestId;
  return [
    ...(invocation.init ?? []),
    `START RequestId: ${id} Version: ${invocation.version}`,
    ...invocation.output,
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB`,
  ];
}

const MINUTE = 60_000;

/** Registers the contract for one implementation. */
export function describeFunctionLogsContract(implementation: LogsImplementation): void {
  let made = 0;
  // Half an hour ago on a whole second: inside every store's accepted range, and stable.
  const base = Math.floor(Date.now() / 1000) * 1000 - 30 * MINUTE;
  const at = (offsetS: number) => new Date(base + offsetS * 1000);
  const since = at(-60);
  const fresh = () => `logs-${implementation.name}-${++made}`;
  let requests = 0;
  const invocation = (
    name: string,
    offsetS: number,
    over: Partial<LoggedInvocation> = {},
  ): LoggedInvocation => ({
    name,
    version: '1',
    requestId: `0000000${++requests}-aaaa-4bbb-8ccc-${String(requests).padStart(12, '0')}`,
    at: at(offsetS),
    output: [`hello ${offsetS}`],
    ...over,
  });
  const messages = (events: readonly FunctionLogEvent[]) => events.map((e) => e.message);

  describe(`FunctionLogs contract: ${implementation.name}`, () => {
    it('has an empty page for a function that never logged, and follows it from there', async () => {
      const subject = await implementation.make();
      const name = fresh();
      const empty = await subject.logs.read(name, { since, limit: 10 });
      expect(empty.events).toEqual([]);
      const first = invocation(name, 0);
      await subject.record([first]);
      const next = await subject.logs.read(name, { since, cursor: empty.cursor, limit: 10 });
      expect(messages(next.events)).toEqual(invocationLines(first));
    });

    it('returns each line oldest first with its time, version and request id', async () => {
      const subject = await implementation.make();
      const name = fresh();
      const cold = invocation(name, 0, { init: ['init: loading'], output: ['one', 'two'] });
      const warm = invocation(name, 5, { output: ['three'] });
      await subject.record([cold, warm]);
      const { events } = await subject.logs.read(name, { since, limit: 100 });
      expect(messages(events)).toEqual([...invocationLines(cold), ...invocationLines(warm)]);
      expect(events[0]).toEqual({
        timestamp: cold.at.toISOString(),
        version: '1',
        message: 'init: loading',
      });
      expect(events.slice(1, 6).map((e) => e.requestId)).toEqual(Array(5).fill(cold.requestId));
      expect(events.slice(6).map((e) => e.requestId)).toEqual(Array(4).fill(warm.requestId));
      expect(events.slice(6).map((e) => e.timestamp)).toEqual(Array(4).fill(warm.at.toISOString()));
    });

    it('keeps functions and versions apart ($LATEST included)', async () => {
      const subject = await implementation.make();
      const [name, other] = [fresh(), fresh()];
      const v1 = invocation(name, 0, { output: ['from 1'] });
      const v2 = invocation(name, 1, { version: '2', output: ['from 2'] });
      const latest = invocation(name, 2, { version: '$LATEST', output: ['from latest'] });
      await subject.record([v1, v2, latest, invocation(other, 3, { output: ['other'] })]);
      const read = (version?: string, fn = name) =>
        subject.logs.read(fn, { since, limit: 100, ...(version ? { version } : {}) });
      expect(messages((await read('2')).events)).toEqual(invocationLines(v2));
      expect(messages((await read('$LATEST')).events)).toEqual(invocationLines(latest));
      expect((await read('2')).events.every((e) => e.version === '2')).toBe(true);
      const all = (await read()).events;
      expect(all.filter((e) => e.message.startsWith('from')).map((e) => e.version)).toEqual([
        '1',
        '2',
        '$LATEST',
      ]);
      expect(messages((await read(undefined, other)).events)).toContain('other');
      expect((await read('7')).events).toEqual([]);
    });

    it('reads from `since` on', async () => {
      const subject = await implementation.make();
      const name = fresh();
      const later = invocation(name, 600);
      await subject.record([invocation(name, 0), later]);
      const { events } = await subject.logs.read(name, { since: at(300), limit: 100 });
      expect(messages(events)).toEqual(invocationLines(later));
    });

    it('answers a tail without a cursor: the newest `limit` events', async () => {
      const subject = await implementation.make();
      const name = fresh();
      const last = invocation(name, 20, { output: ['a', 'b'] });
      await subject.record([invocation(name, 0), invocation(name, 10), last]);
      const { events } = await subject.logs.read(name, { since, limit: 4 });
      expect(messages(events)).toEqual(invocationLines(last).slice(-4));
    });

    it('gives what came after a cursor, each event once', async () => {
      const subject = await implementation.make();
      const name = fresh();
      await subject.record([invocation(name, 0)]);
      const tail = await subject.logs.read(name, { since, limit: 100 });
      const next = invocation(name, 30, { output: ['new'] });
      await subject.record([next]);
      const after = await subject.logs.read(name, { since, cursor: tail.cursor, limit: 100 });
      expect(messages(after.events)).toEqual(invocationLines(next));
      const again = await subject.logs.read(name, { since, cursor: after.cursor, limit: 100 });
      expect(again.events).toEqual([]);
    });

    it('gives a follower a line that arrived late, dated before lines it has seen', async () => {
      const subject = await implementation.make();
      const name = fresh();
      await subject.record([invocation(name, 10)]);
      const tail = await subject.logs.read(name, { since, limit: 100 });
      // Another environment's lines, shipped after the newer ones were read.
      const late = invocation(name, 8, { version: '2', output: ['late'] });
      await subject.record([late]);
      const next = await subject.logs.read(name, { since, cursor: tail.cursor, limit: 100 });
      expect(messages(next.events)).toEqual(invocationLines(late));
      const again = await subject.logs.read(name, { since, cursor: next.cursor, limit: 100 });
      expect(again.events).toEqual([]);
    });

    it('pages a follower forward with the cursor, skipping nothing', async () => {
      const subject = await implementation.make();
      const name = fresh();
      const start = await subject.logs.read(name, { since, limit: 3 });
      // Lines of one invocation may share a millisecond: a page can end among them.
      const many = Array.from({ length: 20 }, (_, i) => `burst ${i}`);
      const written = [
        invocation(name, 0),
        invocation(name, 1, { output: many }),
        invocation(name, 2),
      ];
      await subject.record(written);
      const seen: string[] = [];
      let cursor = start.cursor;
      for (let polls = 0; polls < 20; polls++) {
        const page = await subject.logs.read(name, { since, cursor, limit: 4 });
        expect(page.events.length).toBeLessThanOrEqual(4);
        seen.push(...messages(page.events));
        cursor = page.cursor;
        if (page.events.length === 0) break;
      }
      expect(seen).toEqual(written.flatMap(invocationLines));
    });

    it('refuses a cursor no page returned', async () => {
      const { logs } = await implementation.make();
      await expect(
        logs.read(fresh(), { since, cursor: 'not-a-cursor', limit: 10 }),
      ).rejects.toMatchObject({ name: 'InvalidRequestError' });
    });
  });
}
