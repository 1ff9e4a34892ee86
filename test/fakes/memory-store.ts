import type {
  Deployment,
  DeploymentPatch,
  DeploymentStatus,
  StepRecord,
} from '../../services/core/deployment.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../services/core/errors.ts';
import type { LiveRelease } from '../../services/core/live.ts';
import type {
  DeploymentPage,
  DeploymentStore,
  FunctionLock,
  IdempotencyRecord,
  RegisteredFunction,
} from '../../services/core/ports.ts';
import type { FunctionSettings } from '../../services/core/settings.ts';

const clone = <T>(value: T): T => structuredClone(value);

/** In-memory DeploymentStore with the DynamoDB store's semantics (copies in and out). */
export class MemoryStore implements DeploymentStore {
  readonly deployments = new Map<string, Deployment>();
  readonly locks = new Map<string, FunctionLock>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly settings = new Map<string, FunctionSettings>();
  readonly replies = new Map<string, { url: string; expiresAt: number }>();
  readonly live = new Map<string, LiveRelease>();

  async getLive(functionName: string): Promise<LiveRelease | null> {
    const record = this.live.get(functionName);
    return record ? clone(record) : null;
  }

  async putLive(release: LiveRelease): Promise<void> {
    this.live.set(release.functionName, clone(release));
  }

  async create(deployment: Deployment): Promise<void> {
    if (this.deployments.has(deployment.id))
      throw new ConflictError(`deployment ${deployment.id} exists`);
    this.deployments.set(deployment.id, clone(deployment));
  }

  async get(id: string): Promise<Deployment | null> {
    const d = this.deployments.get(id);
    return d ? clone(d) : null;
  }

  async update(
    id: string,
    patch: DeploymentPatch,
    expectStatus?: DeploymentStatus,
  ): Promise<Deployment> {
    const d = this.deployments.get(id);
    if (!d) throw new NotFoundError(`deployment ${id} not found`);
    if (expectStatus && d.status !== expectStatus) {
      throw new ConflictError(`deployment ${id} is ${d.status}, expected ${expectStatus}`);
    }
    const next = { ...d, ...clone(patch), updatedAt: new Date().toISOString() };
    this.deployments.set(id, next);
    return clone(next);
  }

  async recordStep(id: string, step: StepRecord): Promise<void> {
    const d = this.deployments.get(id);
    if (!d) throw new NotFoundError(`deployment ${id} not found`);
    const steps = d.steps.filter((s) => s.name !== step.name);
    steps.push(clone(step));
    steps.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    this.deployments.set(id, { ...d, steps });
  }

  async listByFunction(
    functionName: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<DeploymentPage> {
    const all = [...this.deployments.values()]
      .filter((d) => d.functionName === functionName)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    const start = options.cursor ? Number(options.cursor) : 0;
    if (!Number.isInteger(start) || start < 0)
      throw new InvalidRequestError('invalid cursor', { kind: 'invalid-cursor' });
    const limit = options.limit ?? 20;
    const items = all.slice(start, start + limit).map(clone);
    return start + limit < all.length ? { items, cursor: String(start + limit) } : { items };
  }

  async acquireLock(functionName: string, owner: string, nowSeconds: number, ttlSeconds: number) {
    const held = this.locks.get(functionName);
    if (held && held.owner !== owner && held.expiresAt > nowSeconds) {
      throw new ConflictError(`function ${functionName} is locked by deployment ${held.owner}`, {
        kind: 'function-locked',
        holder: held.owner,
      });
    }
    const lock = { functionName, owner, expiresAt: nowSeconds + ttlSeconds };
    this.locks.set(functionName, lock);
    return clone(lock);
  }

  async releaseLock(functionName: string, owner: string): Promise<void> {
    if (this.locks.get(functionName)?.owner === owner) this.locks.delete(functionName);
  }

  async getLock(functionName: string): Promise<FunctionLock | null> {
    const lock = this.locks.get(functionName);
    return lock ? clone(lock) : null;
  }

  async putIdempotencyKey(record: IdempotencyRecord): Promise<void> {
    if (this.idempotency.has(record.key))
      throw new ConflictError(`idempotency key ${record.key} exists`);
    this.idempotency.set(record.key, clone(record));
  }

  async getIdempotencyKey(key: string): Promise<IdempotencyRecord | null> {
    const r = this.idempotency.get(key);
    return r ? clone(r) : null;
  }

  async getSettings(functionName: string): Promise<FunctionSettings | null> {
    const s = this.settings.get(functionName);
    return s ? clone(s) : null;
  }

  async putSettings(functionName: string, settings: FunctionSettings): Promise<void> {
    this.settings.set(functionName, clone(settings));
  }

  async listFunctions(): Promise<RegisteredFunction[]> {
    return [...this.settings.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, settings]) => ({ name, settings: clone(settings) }));
  }

  async putReplyUrl(deploymentId: string, url: string, expiresAt: number): Promise<void> {
    this.replies.set(deploymentId, { url, expiresAt });
  }

  async getReplyUrl(deploymentId: string): Promise<string | null> {
    return this.replies.get(deploymentId)?.url ?? null;
  }
}
