/**
 * Execution environments, reused like Lambda's: one invocation at a time per instance, a warm
 * instance of the same code is reused before a new one starts, idle ones stop after a while,
 * and at most `maxInstances` exist at once (a machine, unlike Lambda, runs out of cores).
 *
 * Over the bound, an invoke first evicts the least recently used *idle* instance of other
 * code; if every instance is busy it waits in a FIFO queue (a local caller — a smoke test,
 * curl — would rather wait a moment than be refused), and only past `maxQueued` waiting
 * does it get Lambda's 429 TooManyRequestsException.
 *
 * A reserved instance (provisioned concurrency) belongs to its code: it is handed out only once
 * initialized, before any other idle one of that code, and is never stopped for being idle nor
 * evicted for other code; it counts against the bound like any other.
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
  /** Set while the instance is reserved: called if the pool drops it (it exited). */
  onGone?: (instance: Instance) => void;
  /** Stop it when its invocation ends instead of keeping it idle. */
  retiring?: boolean;
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

  /**
   * Starts an instance for `key`, reserved for it (see module doc), and resolves once its init
   * is done; rejects with why when init fails (the instance is gone then). It waits for a place
   * under the bound like an invoke. `onGone` is called if a reserved instance later goes away
   * without {@link unreserve} (it exited); never after close().
   */
  async reserve(
    key: string,
    start: () => Promise<Instance>,
    onGone: (instance: Instance) => void,
  ): Promise<Instance> {
    const instance = await this.acquire(key, start, true);
    const member = this.members.get(instance);
    if (!member) throw new Error('function host is closed');
    member.onGone = onGone;
    try {
      await instance.initialized;
    } catch (error) {
      member.onGone = undefined;
      await this.remove(instance);
      throw error;
    }
    this.release(instance);
    return instance;
  }

  /** Ends a reservation and stops the instance: now when idle, else when its invocation ends. */
  async unreserve(instance: Instance): Promise<void> {
    const member = this.members.get(instance);
    if (!member) return;
    member.onGone = undefined;
    if (member.state === 'idle') return this.remove(instance);
    member.retiring = true;
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
    // Reserved instances first (Lambda runs provisioned environments before on-demand ones),
    // then the most recently used.
    const rank = (m: Member) => (m.onGone ? 1 : 0);
    let best: [Instance, Member] | null = null;
    for (const entry of this.members) {
      const [instance, m] = entry;
      if (m.key !== key || m.state !== 'idle' || !instance.alive) continue;
      const better =
        !best ||
        rank(m) > rank(best[1]) ||
        (rank(m) === rank(best[1]) && m.idleSince > best[1].idleSince);
      if (better) best = entry;
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
      if (m.state === 'idle' && !m.onGone && m.idleSince < since) {
        [lru, since] = [instance, m.idleSince];
      }
    }
    return lru ? this.remove(lru) : null;
  }

  private release(instance: Instance): void {
    const member = this.members.get(instance);
    if (!member) return;
    if (!instance.alive || this.closed || member.retiring) {
      void this.remove(instance);
      return;
    }
    member.state = 'idle';
    member.idleSince = performance.now();
    if (!member.onGone) {
      member.timer = setTimeout(() => void this.remove(instance), this.options.idleMs);
      member.timer.unref();
    }
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
    member.onGone?.(instance);
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
