/**
 * The BuildLogs port, as every implementation must answer: the fake, local mode's log files and
 * the CodeBuild adapter on moto. A build is started and its lines written the way its platform
 * writes them, then read through the port.
 */
import { expect, it } from 'vitest';
import type { BuildLogs } from '../../services/core/ports.ts';

/** A fresh implementation and the way to start builds and write their logs. */
export interface BuildLogsSubject {
  readonly logs: BuildLogs;
  /** Starts a build that has logged nothing yet; returns its id. */
  start(): Promise<string>;
  /** Appends whole lines to a started build's log. */
  write(buildId: string, lines: readonly string[]): Promise<void>;
  /** An id of this implementation's form that names no build. */
  readonly unknownId: string;
}

/** One implementation under the contract. */
export interface BuildLogsImplementation {
  readonly name: string;
  make(): Promise<BuildLogsSubject>;
}

const numbered = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

/** Registers the contract for one implementation. */
export function describeBuildLogsContract(implementation: BuildLogsImplementation): void {
  it('answers null for a build that does not exist', async () => {
    const subject = await implementation.make();
    expect(await subject.logs.read(subject.unknownId, { tail: 10 })).toBeNull();
  });

  it('answers no lines for a build that has logged nothing yet, and its cursor reads them later', async () => {
    const subject = await implementation.make();
    const id = await subject.start();
    const empty = await subject.logs.read(id, { limit: 100 });
    expect(empty?.lines).toEqual([]);
    await subject.write(id, numbered(1, 3));
    const later = await subject.logs.read(id, { cursor: empty?.cursor ?? '', limit: 100 });
    expect(later?.lines).toEqual(numbered(1, 3));
  });

  it('reads the last N lines, oldest first, with the link', async () => {
    const subject = await implementation.make();
    const id = await subject.start();
    await subject.write(id, numbered(1, 25));
    const page = await subject.logs.read(id, { tail: 10 });
    expect(page?.lines).toEqual(numbered(16, 25));
    expect(typeof page?.link).toBe('string');
  });

  it('pages forward from the start and then follows new lines only', async () => {
    const subject = await implementation.make();
    const id = await subject.start();
    await subject.write(id, numbered(1, 5));
    const first = await subject.logs.read(id, { limit: 3 });
    expect(first?.lines).toEqual(numbered(1, 3));
    const second = await subject.logs.read(id, { cursor: first?.cursor ?? '', limit: 3 });
    expect(second?.lines).toEqual(numbered(4, 5));
    const none = await subject.logs.read(id, { cursor: second?.cursor ?? '', limit: 3 });
    expect(none?.lines).toEqual([]);
    await subject.write(id, numbered(6, 7));
    const fresh = await subject.logs.read(id, { cursor: none?.cursor ?? '', limit: 100 });
    expect(fresh?.lines).toEqual(numbered(6, 7));
  });

  it('continues after a tail with the lines written since', async () => {
    const subject = await implementation.make();
    const id = await subject.start();
    await subject.write(id, numbered(1, 4));
    const tail = await subject.logs.read(id, { tail: 2 });
    await subject.write(id, ['after the tail']);
    const next = await subject.logs.read(id, { cursor: tail?.cursor ?? '', limit: 100 });
    expect(next?.lines).toEqual(['after the tail']);
  });

  it('refuses a malformed cursor with InvalidRequestError', async () => {
    const subject = await implementation.make();
    const id = await subject.start();
    await expect(
      subject.logs.read(id, { cursor: 'not a cursor!', limit: 5 }),
    ).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
  });
}
