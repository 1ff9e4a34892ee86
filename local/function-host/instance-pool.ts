/**
 * Execution environments, reused like Lambda's: one invocation at a time per instance, a warm
 * instance of the same code is reused before a new one starts, idle ones stop after a while,
 * and at most `maxInstances` exist at once (a machine, unlike Lambda, runs out of cores).
 *
 * Over the bound, an invoke first evicts the least recently used *idle* instance of other
 * code; if every instance is busy it waits in a FIFO queue (a local caller — a smoke test,
 * curl — would rather wait a moment than be refused), and only past `maxQueued` waiting
 * does it get Lambda's 429 TooManyRequestsException.
 */
import type { Instance } from './instance.ts';

/** Raised when the queue is full: Lambda's TooManyRequestsException (HTTP 429). */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsException';
}

/** Pool limits. */
export interface PoolOptions {
  readonly maxInstances: number;
  /** An idle instance is stopped after this long. */
  readonly idleMs: number;
  /** Invokes allowed to wait for an instance; more get TooManyRequestsError. */
  readonly maxQueued: number;
}

interface Member {
  readonly key: string;
  state: 'busy' | 'idle';
  idleSince: number;
  timer?: NodeJS.Timeout;
}

interface Waiter {
  readonly wake: () => void;
  readonly fail: (error: Error) => void;
}

/** The host's instances (see module doc). Keys name the code: function, version and digest. */
export class InstancePool {
  /** Instances started so far (tests and the cold-start count). */
  started = 0;
  private starting = 0;
  private closed = false;
  private readonly members = new Map<Instance, Member>();
  private readonly waiters: Waiter[] = [];
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly options: PoolOptions) {}

  /** Live instances (busy, idle or starting). */
  get size(): number {
    return this.starting + this.members.size;
  }

  /**
   * Runs `use` on a warm or new instance for `key`, and takes it back afterwards. `fresh` always
   * starts a new one (a cold start to measure), bound and queue as for any other.
   */
  async run<T>(
    key: string,
    start: () => Promise<Instance>,
    use: (instance: Instance) => Promise<T>,
    fresh = false,
  ): Promise<T> {
    const instance = await this.acquire(key, start, fresh);
    try {
      return await use(instance);
    } finally {
      this.release(instance);
    }
  }

  private async acquire(
    key: string,
    start: () => Promise<Instance>,
    fresh: boolean,
  ): Promise<Instance> {
    for (let woken = false; ; woken = true) {
      if (this.closed) throw new Error('function host is closed');
      const warm = fresh ? null : this.takeIdle(key);
      if (warm) return warm;
      const evicted = this.size < this.options.maxInstances ? null : this.evictIdle();
      if (this.size < this.options.maxInstances || evicted) {
        this.starting += 1;
        try {
          // The bound counts processes, so the evicted one is gone before the new one starts.
          await evicted;
          const instance = await start();
          this.started += 1;
          if (this.closed) {
            await instance.stop();
            throw new Error('function host is closed');
          }
          this.members.set(instance, { key, state: 'busy', idleSince: 0 });
          instance.onExit = () => this.onExit(instance);
          return instance;
        } finally {
          this.starting -= 1;
          this.pump();
        }
      }
      if (!woken && this.waiters.length >= this.options.maxQueued) {
        throw new TooManyRequestsError(
          `all ${this.options.maxInstances} instances are busy and ${this.waiters.length} invokes are waiting`,
        );
      }
      await new Promise<void>((wake, fail) => {
        // A waiter woken for nothing keeps its place at the front.
        if (woken) this.waiters.unshift({ wake, fail });
        else this.waiters.push({ wake, fail });
      });
    }
  }

  private takeIdle(key: string): Instance | null {
    let best: [Instance, Member] | null = null;
    for (const entry of this.members) {
      const [instance, m] = entry;
      if (m.key !== key || m.state !== 'idle' || !instance.alive) continue;
      if (!best || m.idleSince > best[1].idleSince) best = entry;
    }
    if (!best) return null;
    clearTimeout(best[1].timer);
    best[1].state = 'busy';
    return best[0];
  }

  /** Stops the least recently used idle instance (resolves when it is gone); null when none is idle. */
  private evictIdle(): Promise<void> | null {
    let lru: Instance | null = null;
    let since = Number.POSITIVE_INFINITY;
    for (const [instance, m] of this.members) {
      if (m.state === 'idle' && m.idleSince < since) [lru, since] = [instance, m.idleSince];
    }
    return lru ? this.remove(lru) : null;
  }

  private release(instance: Instance): void {
    const member = this.members.get(instance);
    if (!member) return;
    if (!instance.alive || this.closed) {
      void this.remove(instance);
      return;
    }
    member.state = 'idle';
    member.idleSince = performance.now();
    member.timer = setTimeout(() => void this.remove(instance), this.options.idleMs);
    member.timer.unref();
    this.pump();
  }

  private onExit(instance: Instance): void {
    // A busy instance's invocation is settled by the instance; release() removes it then.
    if (this.members.get(instance)?.state === 'idle') void this.remove(instance);
  }

  private remove(instance: Instance): Promise<void> {
    const member = this.members.get(instance);
    if (!member) return Promise.resolve();
    clearTimeout(member.timer);
    this.members.delete(instance);
    const stopped = instance.stop().finally(() => this.stopping.delete(stopped));
    this.stopping.add(stopped);
    this.pump();
    return stopped;
  }

  /** Lets the longest-waiting invoke try again. */
  private pump(): void {
    this.waiters.shift()?.wake();
  }

  /** Refuses new work, fails waiting invokes and stops every instance. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.fail(new Error('function host closed'));
    const all = [...this.members.keys()];
    this.members.clear();
    await Promise.all([...all.map((instance) => instance.stop()), ...this.stopping]);
  }
}
