/**
 * The function locks one gc run holds. gc takes each managed function's deployment lock as an
 * owner of its own (`gc-<id>`); a function whose lock a deployment holds is either skipped this
 * run, or — when that deployment is a release in a settled phase (SETTLED_PHASES) — covered:
 * gc goes on beside it, and checks again right before each image removal that the release still
 * holds the lock (or takes the lock itself once the release has ended and nothing newer started).
 */
import { type Deployment, isTerminal } from '../core/deployment.ts';
import { isFerryError } from '../core/errors.ts';
import type { DeploymentStore } from '../core/ports.ts';
import { isGcLockOwner } from './gc-lock.ts';

/**
 * Traffic phases in which a running deployment only moves its alias between its new version and
 * the one it replaces (both in the in-use set while it runs), or puts provisioned concurrency on
 * the new one: a gradual release holding for hours, or waiting for an approval, does not stop
 * every collection.
 */
const SETTLED_PHASES: ReadonlySet<string> = new Set([
  'provisioning',
  'holding',
  'judging',
  'awaiting-approval',
]);

const settled = (d: Deployment | null): boolean =>
  d !== null && !isTerminal(d.status) && SETTLED_PHASES.has(d.traffic?.phase ?? '');

type LockStore = Pick<DeploymentStore, 'acquireLock' | 'releaseLock' | 'get' | 'listByFunction'>;

/** The locks of one run. */
export class GcLockSet {
  private readonly held = new Set<string>();
  /** Function → the settled release gc goes on beside. */
  private readonly beside = new Map<string, string>();
  private readonly tried = new Set<string>();
  readonly skipped: { functionName: string; reason: string }[] = [];

  constructor(
    private readonly store: LockStore,
    private readonly owner: string,
    private readonly nowSeconds: () => number,
    private readonly ttlSeconds: number,
  ) {}

  /** Takes `functionName`'s lock once (later calls do nothing); see the module doc. */
  async take(functionName: string): Promise<void> {
    if (this.tried.has(functionName)) return;
    this.tried.add(functionName);
    const holder = await this.tryLock(functionName);
    if (holder === null) return;
    const d = isGcLockOwner(holder) ? null : await this.store.get(holder);
    if (settled(d)) this.beside.set(functionName, holder);
    else this.skipped.push({ functionName, reason: `busy: locked by ${holder}` });
  }

  /** True when gc holds or is beside every one of `functionNames`. */
  covers(functionNames: readonly string[]): boolean {
    return functionNames.every((name) => this.held.has(name) || this.beside.has(name));
  }

  /**
   * Right before a removal that needs `functionName`: still covered? The settled release still
   * holds the lock, or it ended and gc now holds the lock itself, with nothing started since
   * (`newestDeploymentId`: the newest deployment the fresh snapshot saw).
   */
  async stillCovers(functionName: string, newestDeploymentId: string | null): Promise<boolean> {
    if (this.held.has(functionName)) return true;
    const release = this.beside.get(functionName);
    if (!release) return false;
    const holder = await this.tryLock(functionName);
    if (holder === release && settled(await this.store.get(release))) return true;
    if (holder !== null) return false;
    const newest = (await this.store.listByFunction(functionName, { limit: 1 })).items[0];
    return (newest?.id ?? null) === newestDeploymentId;
  }

  /** Releases every lock gc took; errors go to `onError`. */
  async releaseAll(onError: (functionName: string, error: unknown) => void): Promise<void> {
    for (const name of this.held) {
      await this.store.releaseLock(name, this.owner).catch((error) => onError(name, error));
    }
    this.held.clear();
  }

  /** Takes the lock: null when gc holds it now, else the holder's id. */
  private async tryLock(functionName: string): Promise<string | null> {
    try {
      await this.store.acquireLock(functionName, this.owner, this.nowSeconds(), this.ttlSeconds);
      this.held.add(functionName);
      this.beside.delete(functionName);
      return null;
    } catch (error) {
      if (!isFerryError(error, 'ConflictError')) throw error;
      return error.holder ?? '(unknown)';
    }
  }
}
