/**
 * Execution environments, reused like Lambda's: one invocation at a time per instance, a warm
 * instance of the same code is reused before a new one starts, and idle ones stop after
 * `idleMs`. Keys name the code (`function\nversion\ndigest`); the part before the first
 * newline is the function.
 *
 * Two bounds. Per function, at most `maxPerFunction` on-demand instances (Lambda's concurrency
 * of one function): a function over it may replace an idle instance *of its own* (another
 * version, or a warm one when a cold start is asked for), never another function's — so one
 * busy function does not cost the others cold starts, as on Lambda. Machine-wide, at most
 * `maxInstances` live processes (a machine, unlike Lambda, runs out of memory and cores):
 * only there is the least recently used idle instance of any function stopped to make room.
 *
 * An invoke that finds no room waits in a FIFO queue (a local caller — a smoke test, curl —
 * would rather wait a moment than be refused); past `maxQueued` invokes of one function
 * waiting it gets Lambda's 429 TooManyRequestsException.
 *
 * A reserved instance (provisioned concurrency) belongs to its code: it is handed out only once
 * initialized, before any other idle one of that code, and is never stopped for being idle nor
 * evicted. It counts against the machine-wide bound only (ProvisionedInstances bounds how many
 * there are), so a version's provisioned instances never crowd out its on-demand ones.
 */
import type { Instance } from './instance.ts';

/** Raised when the queue is full: Lambda's TooManyRequestsException (HTTP 429). */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsException';
}

/** Pool limits. */
export interface PoolOptions {
  /** Live processes on the machine, reserved ones included. */
  readonly maxInstances: number;
  /** On-demand instances of one function. @default - maxInstances */
  readonly maxPerFunction?: number;
  /** An idle instance is stopped after this long. */
  readonly idleMs: number;
  /** Invokes of one function allowed to wait for an instance; more get TooManyRequestsError. */
  readonly maxQueued: number;
}

/** The function a pool key belongs to. */
const functionOf = (key: string) => key.split('\n', 1)[0] ?? key;

interface Member {
  readonly key: string;
  readonly fn: string;
  /** Started by reserve(): outside its function's bound. */
  readonly reserved: boolean;
  state: 'busy' | 'idle';
  idleSince: number;
  timer?: NodeJS.Timeout;
  /** Set while the instance is reserved: called if the pool drops it (it exited). */
  onGone?: (instance: Instance) => void;
  /** Stop it when its invocation ends instead of keeping it idle. */
  retiring?: boolean;
}

interface Waiter {
  readonly fn: string;
  /** Place in the queue: a waiter woken for nothing goes back to it. */
  readonly seq: number;
  readonly wake: () => void;
  readonly fail: (error: Error) => void;
}

/** The host's instances (see module doc). Keys name the code: function, version and digest. */
export class InstancePool {
  /** Instances started so far (tests and the cold-start count). */
  started = 0;
  private starting = 0;
  /** Instances starting, by function. */
  private readonly startingOf = new Map<string, number>();
  private seq = 0;
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
    const instance = await this.acquire(key, start, true, true);
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

  /** True while any instance (starting, idle or busy) has a key that ends with `suffix`. */
  hasKeyEnding(suffix: string): boolean {
    for (const member of this.members.values()) if (member.key.endsWith(suffix)) return true;
    return false;
  }

  /**
   * Stops every instance of `key` (code that no longer exists): idle ones now, busy ones when
   * their invocation ends.
   */
  async retire(key: string): Promise<void> {
    const idle: Promise<void>[] = [];
    for (const [instance, member] of this.members) {
      if (member.key !== key) continue;
      member.onGone = undefined;
      if (member.state === 'idle') idle.push(this.remove(instance));
      else member.retiring = true;
    }
    await Promise.all(idle);
  }

  /** On-demand instances of `fn` (busy, idle or starting); reserved ones are not counted. */
  private sizeOf(fn: string): number {
    let n = this.startingOf.get(fn) ?? 0;
    for (const m of this.members.values()) if (m.fn === fn && !m.reserved) n += 1;
    return n;
  }

  private async acquire(
    key: string,
    start: () => Promise<Instance>,
    fresh: boolean,
    reserved = false,
  ): Promise<Instance> {
    const fn = functionOf(key);
    const perFunction = this.options.maxPerFunction ?? this.options.maxInstances;
    for (let seq: number | null = null; ; ) {
      if (this.closed) throw new Error('function host is closed');
      const warm = fresh ? null : this.takeIdle(key);
      if (warm) return warm;
      const overFunction = !reserved && this.sizeOf(fn) >= perFunction;
      const overMachine = this.size >= this.options.maxInstances;
      // A function over its own bound makes room among its own idle instances only; the
      // machine's bound may take the least recently used idle one of any function.
      const evicted = overFunction ? this.evictIdle(fn) : overMachine ? this.evictIdle(null) : null;
      if ((!overFunction && !overMachine) || evicted) {
        this.starting += 1;
        this.startingOf.set(fn, (this.startingOf.get(fn) ?? 0) + (reserved ? 0 : 1));
        try {
          // The bounds count processes, so the evicted one is gone before the new one starts.
          await evicted;
          const instance = await start();
          this.started += 1;
          if (this.closed) {
            await instance.stop();
            throw new Error('function host is closed');
          }
          this.members.set(instance, { key, fn, reserved, state: 'busy', idleSince: 0 });
          instance.onExit = () => this.onExit(instance);
          return instance;
        } finally {
          this.starting -= 1;
          this.startingOf.set(fn, (this.startingOf.get(fn) ?? 0) - (reserved ? 0 : 1));
          this.pump();
        }
      }
      const waiting = this.waiters.filter((w) => w.fn === fn).length;
      if (seq === null && waiting >= this.options.maxQueued) {
        const bound = overFunction
          ? `all ${perFunction} instances of function ${fn} are busy`
          : `all ${this.options.maxInstances} instances of this host are busy`;
        throw new TooManyRequestsError(
          `Rate Exceeded: ${bound} and ${waiting} invokes are waiting`,
        );
      }
      seq ??= this.seq++;
      const place = seq;
      await new Promise<void>((wake, fail) => {
        // A waiter woken for nothing goes back to its place in the queue.
        const at = this.waiters.findIndex((w) => w.seq > place);
        const waiter = { fn, seq: place, wake, fail };
        if (at === -1) this.waiters.push(waiter);
        else this.waiters.splice(at, 0, waiter);
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

  /**
   * Stops the least recently used idle on-demand instance of `fn` (of any function: null);
   * resolves when it is gone; null when none is idle.
   */
  private evictIdle(fn: string | null): Promise<void> | null {
    let lru: Instance | null = null;
    let since = Number.POSITIVE_INFINITY;
    for (const [instance, m] of this.members) {
      if ((fn === null || m.fn === fn) && m.state === 'idle' && !m.onGone && m.idleSince < since) {
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

  /**
   * Lets every waiting invoke try again, in queue order: with a bound per function, the one
   * at the front may still be blocked while one behind it (another function) can go.
   */
  private pump(): void {
    for (const waiter of this.waiters.splice(0)) waiter.wake();
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
