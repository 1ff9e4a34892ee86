import type { Clock } from '../../services/core/clock.ts';

/** A clock tests move by hand; each read advances it by `tickMs` so step timings are ordered. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(
    start = Date.parse('2026-11-28T12:00:00.000Z'),
    private readonly tickMs = 10,
  ) {
    this.ms = start;
  }
  now(): Date {
    this.ms += this.tickMs;
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
