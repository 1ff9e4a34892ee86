/**
 * The VersionHealth port, as every implementation must answer: the local adapter over the
 * function host's counts, and the CloudWatch adapter over a metric store holding Lambda's
 * metrics (moto's CloudWatch, with the data put there under Lambda's names and dimensions).
 * Calls are recorded through the subject (the host's counter; PutMetricData), then sampled
 * through the port. Windows are whole minutes and calls sit well inside or outside them,
 * because CloudWatch keeps Lambda's metrics per minute.
 */
import { describe, expect, it } from 'vitest';
import type { VersionHealth } from '../../services/core/ports.ts';

/** One call through an alias, as the platform would have counted it. */
export interface RecordedCall {
  readonly name: string;
  readonly alias: string;
  readonly version: string;
  readonly at: Date;
  readonly outcome: 'ok' | 'error' | 'throttle';
  /** Duration of a call that ran; null for a throttle. */
  readonly durationMs: number | null;
}

/** A fresh implementation and the way to put calls where it reads them. */
export interface HealthSubject {
  readonly health: VersionHealth;
  record(calls: readonly RecordedCall[]): Promise<void>;
}

/** The cases an implementation may be unable to show. */
export type HealthGap = 'duration-p90';

/** One implementation of the port under the contract. */
export interface HealthImplementation {
  readonly name: string;
  make(): Promise<HealthSubject>;
  readonly gaps?: Partial<Record<HealthGap, string>>;
}

const MINUTE = 60_000;

/** Registers the contract for one implementation. */
export function describeVersionHealthContract(implementation: HealthImplementation): void {
  const gaps = implementation.gaps ?? {};
  const unless = (gap: HealthGap) => (gaps[gap] ? it.skip : it);
  let made = 0;
  // Ten minutes ago on a whole minute: recent enough for any metric store, and stable.
  const base = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
  const from = new Date(base);
  const to = new Date(base + 2 * MINUTE);
  const call = (name: string, offsetS: number, over: Partial<RecordedCall> = {}): RecordedCall => ({
    name,
    alias: 'live',
    version: '7',
    at: new Date(base + offsetS * 1000),
    outcome: 'ok',
    durationMs: 20,
    ...over,
  });
  const fresh = () => `health-${implementation.name}-${++made}`;

  describe(`VersionHealth contract: ${implementation.name}`, () => {
    it('has all-zero figures and no p90 for a version nothing called', async () => {
      const { health } = await implementation.make();
      await expect(health.sample(fresh(), 'live', '7', from, to)).resolves.toEqual({
        invocations: 0,
        errors: 0,
        throttles: 0,
        durationP90Ms: null,
      });
    });

    it('counts invocations, errors and throttles of the version in the window only', async () => {
      const subject = await implementation.make();
      const name = fresh();
      await subject.record([
        call(name, 5),
        call(name, 30, { outcome: 'error' }),
        call(name, 65),
        call(name, 90, { outcome: 'throttle', durationMs: null }),
        call(name, 110, { outcome: 'error' }),
        call(name, -30), // before the window
        call(name, 150, { outcome: 'error' }), // after it
      ]);
      await expect(subject.health.sample(name, 'live', '7', from, to)).resolves.toMatchObject({
        invocations: 4,
        errors: 2,
        throttles: 1,
      });
    });

    it('keeps versions, aliases and functions apart', async () => {
      const subject = await implementation.make();
      const [name, other] = [fresh(), fresh()];
      await subject.record([
        call(name, 10),
        call(name, 20, { version: '6' }),
        call(name, 30, { version: '6', outcome: 'error' }),
        call(name, 40, { alias: 'beta' }),
        call(other, 50),
      ]);
      const sample = (version: string, alias = 'live', fn = name) =>
        subject.health.sample(fn, alias, version, from, to);
      await expect(sample('7')).resolves.toMatchObject({ invocations: 1, errors: 0 });
      await expect(sample('6')).resolves.toMatchObject({ invocations: 2, errors: 1 });
      await expect(sample('7', 'beta')).resolves.toMatchObject({ invocations: 1 });
      await expect(sample('7', 'live', other)).resolves.toMatchObject({ invocations: 1 });
    });

    unless('duration-p90')('reports the 90th percentile of Duration', async () => {
      const subject = await implementation.make();
      const name = fresh();
      // 1..10 ms: every definition of the 90th percentile lands at 9 ms or just above.
      await subject.record(
        Array.from({ length: 10 }, (_, i) => call(name, 5 + i, { durationMs: i + 1 })),
      );
      const { durationP90Ms } = await subject.health.sample(name, 'live', '7', from, to);
      expect(durationP90Ms).toBeGreaterThanOrEqual(9);
      expect(durationP90Ms).toBeLessThanOrEqual(10);
    });
  });
}
