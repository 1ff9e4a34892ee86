/**
 * What a contract suite is given: a way to make a fresh implementation of its port (on a fresh
 * table for DynamoDB) together with the clock that implementation reads.
 */
import { beforeEach } from 'vitest';
import type { ManualClock } from '../fakes/manual-clock.ts';

/** One fresh implementation under test and the clock it was given. */
export interface Subject<T> {
  readonly port: T;
  readonly clock: ManualClock;
}

/** Makes a fresh subject: nothing another test wrote is visible to it. */
export type MakeSubject<T> = () => Promise<Subject<T>>;

/** A port's contract suite: registers its tests for one implementation, named `implementation`. */
export type ContractSuite<T> = (implementation: string, make: MakeSubject<T>) => void;

/** Registers a beforeEach that makes a fresh subject; the getter returns the current one. */
export function freshSubject<T>(make: MakeSubject<T>): () => Subject<T> {
  let current: Subject<T> | undefined;
  beforeEach(async () => {
    current = await make();
  });
  return () => {
    if (!current) throw new Error('no subject: call the getter inside a test');
    return current;
  };
}

/** The clock's time in epoch seconds (what expiry attributes are compared with). */
export function nowSeconds(clock: ManualClock): number {
  return Math.floor(clock.now().getTime() / 1000);
}
