/**
 * Provisioned concurrency on the local host: `requested` instances of a published version,
 * started in the background and kept initialized as reserved members of the pool (never reaped
 * when idle), so invocations that land on one report no Init Duration, as on Lambda. Status is
 * IN_PROGRESS until all of them finished init, READY then, FAILED with the reason when one's init
 * failed (until the next put). An instance that goes away (it crashed) is replaced. The count is
 * persisted with the function (function-store.ts); the instances are not, so a restarted host
 * starts them again — IN_PROGRESS until they are up.
 */
import { InvalidRequestError } from '../../services/core/errors.ts';
import type { ProvisionedConcurrency } from '../../services/core/ports.ts';
import { checkProvisionedConcurrency } from '../../services/core/provisioned-concurrency.ts';
import type { FunctionStore } from './function-store.ts';
import type { Instance } from './instance.ts';
import type { InstancePool } from './instance-pool.ts';

/** How to start a reserved instance of a version: its pool key and a start function. */
export type ProvisionedLauncher = (
  name: string,
  version: string,
) => Promise<{ readonly key: string; readonly start: () => Promise<Instance> }>;

/** One version's provisioned concurrency as configured and as running. */
interface Provisioning {
  requested: number;
  readonly ready: Set<Instance>;
  /** Reservations under way (starting or initializing). */
  pending: number;
  failure?: string;
}

const keyOf = (name: string, version: string) => `${name}\n${version}`;

/** The host's provisioned instances (see module doc). */
export class ProvisionedInstances {
  private readonly configs = new Map<string, Provisioning>();

  /** `maxReserved`: how many instances all versions together may hold back from on-demand invokes. */
  constructor(
    private readonly store: FunctionStore,
    private readonly pool: InstancePool,
    private readonly launch: ProvisionedLauncher,
    private readonly maxReserved: number,
  ) {}

  /** Asks for `count` instances of the version (replacing any count); returns the status now. */
  async put(name: string, version: string, count: number): Promise<ProvisionedConcurrency> {
    checkProvisionedConcurrency(name, version, count);
    this.store.version(name, version);
    const overBound = this.overBound(name, version, count);
    if (overBound) throw new InvalidRequestError(overBound);
    await this.store.setProvisionedConcurrency(name, version, count);
    return this.provision(name, version, count);
  }

  /** The version's provisioned concurrency, or null; NotFoundError for a missing function or version. */
  get(name: string, version: string): ProvisionedConcurrency | null {
    checkProvisionedConcurrency(name, version);
    this.store.version(name, version);
    const p = this.configs.get(keyOf(name, version));
    return p ? statusOf(p) : null;
  }

  /** Removes it and stops its instances (a busy one once its invocation ends). Idempotent. */
  async delete(name: string, version: string): Promise<void> {
    checkProvisionedConcurrency(name, version);
    await this.store.setProvisionedConcurrency(name, version, null);
    const p = this.configs.get(keyOf(name, version));
    this.configs.delete(keyOf(name, version));
    if (p) await Promise.all([...p.ready].map((instance) => this.pool.unreserve(instance)));
  }

  /**
   * Starts the instances the stored configuration asks for (a host that just opened); one the
   * host's bound cannot hold any more (maxInstances was lowered) is FAILED with that reason.
   */
  restore(): void {
    for (const fn of this.store.list()) {
      for (const [version, count] of Object.entries(fn.provisionedConcurrency ?? {})) {
        const overBound = this.overBound(fn.name, version, count);
        if (overBound === null) this.provision(fn.name, version, count);
        else this.configs.set(keyOf(fn.name, version), failed(count, overBound));
      }
    }
  }

  /** Why `count` instances for the version would hold back too many, or null when they fit. */
  private overBound(name: string, version: string, count: number): string | null {
    let others = 0;
    for (const [key, p] of this.configs) if (key !== keyOf(name, version)) others += p.requested;
    if (others + count <= this.maxReserved) return null;
    return `provisioned concurrency on ${name}:${version}: ${count} instances, with ${others} provisioned for other versions, exceed the ${this.maxReserved} this host can keep (maxInstances less one for on-demand invokes); ask for fewer or raise maxInstances`;
  }

  private provision(name: string, version: string, count: number): ProvisionedConcurrency {
    const key = keyOf(name, version);
    let p = this.configs.get(key);
    if (!p) {
      p = { requested: count, ready: new Set(), pending: 0 };
      this.configs.set(key, p);
    }
    p.requested = count;
    delete p.failure;
    // Fewer wanted: the extra ones stop now (pending extras stop when they are up).
    for (const instance of [...p.ready].slice(count)) {
      p.ready.delete(instance);
      void this.pool.unreserve(instance);
    }
    this.fill(name, version, p);
    return statusOf(p);
  }

  private fill(name: string, version: string, p: Provisioning): void {
    const missing = p.requested - p.ready.size - p.pending;
    for (let i = 0; i < missing; i++) void this.startOne(name, version, p);
  }

  private async startOne(name: string, version: string, p: Provisioning): Promise<void> {
    const current = () => this.configs.get(keyOf(name, version)) === p;
    p.pending += 1;
    let instance: Instance;
    try {
      const { key, start } = await this.launch(name, version);
      instance = await this.pool.reserve(key, start, (gone) => this.onGone(name, version, p, gone));
    } catch (error) {
      p.pending -= 1;
      if (current()) p.failure ??= (error as Error).message;
      return;
    }
    p.pending -= 1;
    if (!current() || p.ready.size >= p.requested) {
      void this.pool.unreserve(instance);
      return;
    }
    p.ready.add(instance);
  }

  /** Lambda replaces an execution environment that went away; so does this (unless FAILED). */
  private onGone(name: string, version: string, p: Provisioning, instance: Instance): void {
    if (!p.ready.delete(instance)) return;
    if (this.configs.get(keyOf(name, version)) === p && p.failure === undefined) {
      this.fill(name, version, p);
    }
  }
}

function failed(requested: number, failure: string): Provisioning {
  return { requested, ready: new Set(), pending: 0, failure };
}

function statusOf(p: Provisioning): ProvisionedConcurrency {
  const allocated = Math.min(p.ready.size, p.requested);
  const base = { requested: p.requested, allocated, available: allocated };
  if (p.failure !== undefined) return { ...base, status: 'FAILED', statusReason: p.failure };
  return { ...base, status: allocated >= p.requested ? 'READY' : 'IN_PROGRESS' };
}
