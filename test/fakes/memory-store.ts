import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../services/adapters/aws/dynamo-table.ts';
import { type Clock, systemClock } from '../../services/core/clock.ts';
import type { ColdStartVerdict } from '../../services/core/cold-start-verdict.ts';
import type {
  Deployment,
  DeploymentPatch,
  DeploymentStatus,
  StepRecord,
} from '../../services/core/deployment.ts';
import { DEPLOYMENT_PATCH_FIELDS } from '../../services/core/deployment-schema.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../services/core/errors.ts';
import type { LiveRelease } from '../../services/core/live.ts';
import type {
  DeploymentPage,
  DeploymentStore,
  FunctionLock,
  IdempotencyRecord,
  RegisteredFunction,
  ReleaseHold,
} from '../../services/core/ports.ts';
import type { FunctionSettings } from '../../services/core/settings.ts';
import { byUtf8, copyOut } from './copy.ts';
import { openHistoryCursor, sealHistoryCursor } from './history-cursor.ts';
import { MemoryReleaseHolds } from './memory-holds.ts';
import { MemoryColdStartVerdicts } from './memory-verdicts.ts';

const PATCHABLE: ReadonlySet<string> = new Set(DEPLOYMENT_PATCH_FIELDS);

/** A deployment's place in its function's history (the adapter's index sort key). */
const historyKey = (d: Deployment) => `${d.createdAt}#${d.id}`;

/**
 * In-memory DeploymentStore with the DynamoDB store's semantics, checked by the same contract
 * suites (test/contracts): copies in and out, undefined fields not stored, the injected clock
 * for updatedAt and expiry, the same refused patches, the same pages and cursors.
 */
export class MemoryStore implements DeploymentStore {
  readonly deployments = new Map<string, Deployment>();
  readonly locks = new Map<string, FunctionLock>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly settings = new Map<string, FunctionSettings>();
  readonly replies = new Map<string, { url: string; expiresAt: number }>();
  readonly live = new Map<string, LiveRelease>();

  async getLive(functionName: string): Promise<LiveRelease | null> {
    const record = this.live.get(functionName);
    return record ? copyOut(record) : null;
  }

  async putLive(release: LiveRelease): Promise<void> {
    this.live.set(release.functionName, copyOut(release));
  }

  /** The cold-start verdicts, as DynamoDeploymentStore composes its own adapter. */
  readonly verdicts = new MemoryColdStartVerdicts();

  getVerdict(functionName: string, digest: string): Promise<ColdStartVerdict | null> {
    return this.verdicts.getVerdict(functionName, digest);
  }

  putVerdict(verdict: ColdStartVerdict): Promise<void> {
    return this.verdicts.putVerdict(verdict);
  }

  private readonly clock: Clock;

  /** The release holds, as DynamoDeploymentStore composes its own adapter. */
  readonly holds: MemoryReleaseHolds;

  constructor(options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? systemClock;
    this.holds = new MemoryReleaseHolds(this.clock);
  }

  putHold(hold: ReleaseHold): Promise<void> {
    return this.holds.putHold(hold);
  }

  getHold(deploymentId: string): Promise<ReleaseHold | null> {
    return this.holds.getHold(deploymentId);
  }

  clearHold(deploymentId: string, token: string): Promise<void> {
    return this.holds.clearHold(deploymentId, token);
  }

  async create(deployment: Deployment): Promise<void> {
    if (this.deployments.has(deployment.id))
      throw new ConflictError(`deployment ${deployment.id} exists`);
    this.deployments.set(deployment.id, copyOut(deployment));
  }

  async get(id: string): Promise<Deployment | null> {
    const d = this.deployments.get(id);
    return d ? copyOut(d) : null;
  }

  async update(
    id: string,
    patch: DeploymentPatch,
    expectStatus?: DeploymentStatus,
  ): Promise<Deployment> {
    for (const field of Object.keys(patch)) {
      if (!PATCHABLE.has(field))
        throw new InvalidRequestError(`deployment field '${field}' cannot be patched`);
    }
    const d = this.deployments.get(id);
    if (!d) throw new NotFoundError(`deployment ${id} not found`);
    if (expectStatus && d.status !== expectStatus) {
      throw new ConflictError(`deployment ${id} is ${d.status}, expected ${expectStatus}`);
    }
    // copyOut drops the fields patched to undefined: cleared, as the adapter's REMOVE does.
    const next = copyOut({ ...d, ...patch, updatedAt: this.clock.now().toISOString() });
    this.deployments.set(id, next);
    return copyOut(next);
  }

  async recordStep(id: string, step: StepRecord): Promise<void> {
    const d = this.deployments.get(id);
    if (!d) throw new NotFoundError(`deployment ${id} not found`);
    const steps = [...d.steps.filter((s) => s.name !== step.name), copyOut(step)].sort(
      (a, b) => a.startedAt.localeCompare(b.startedAt) || a.name.localeCompare(b.name),
    );
    this.deployments.set(id, { ...d, steps });
  }

  async listByFunction(
    functionName: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<DeploymentPage> {
    const limit = pageSize(options.limit);
    const after =
      options.cursor === undefined ? undefined : openHistoryCursor(options.cursor, functionName);
    const rest = [...this.deployments.values()]
      .filter((d) => d.functionName === functionName)
      .filter((d) => after === undefined || byUtf8(historyKey(d), after) < 0)
      .sort((a, b) => byUtf8(historyKey(b), historyKey(a)));
    const items = rest.slice(0, limit);
    const last = items.at(-1);
    const page = { items: items.map(copyOut) };
    return rest.length > limit && last
      ? { ...page, cursor: sealHistoryCursor(functionName, historyKey(last)) }
      : page;
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
    return copyOut(lock);
  }

  async releaseLock(functionName: string, owner: string): Promise<void> {
    if (this.locks.get(functionName)?.owner === owner) this.locks.delete(functionName);
  }

  async getLock(functionName: string): Promise<FunctionLock | null> {
    const lock = this.locks.get(functionName);
    return lock ? copyOut(lock) : null;
  }

  async putIdempotencyKey(record: IdempotencyRecord): Promise<void> {
    const held = this.idempotency.get(record.key);
    if (held && held.expiresAt > this.nowSeconds())
      throw new ConflictError(`idempotency key ${record.key} exists`);
    this.idempotency.set(record.key, copyOut(record));
  }

  async getIdempotencyKey(key: string): Promise<IdempotencyRecord | null> {
    const r = this.idempotency.get(key);
    return r && r.expiresAt > this.nowSeconds() ? copyOut(r) : null;
  }

  async getSettings(functionName: string): Promise<FunctionSettings | null> {
    const s = this.settings.get(functionName);
    return s ? copyOut(s) : null;
  }

  async putSettings(functionName: string, settings: FunctionSettings): Promise<void> {
    this.settings.set(functionName, copyOut(settings));
  }

  async listFunctions(): Promise<RegisteredFunction[]> {
    return [...this.settings.entries()]
      .sort(([a], [b]) => byUtf8(a, b))
      .map(([name, settings]) => ({ name, settings: copyOut(settings) }));
  }

  async putReplyUrl(deploymentId: string, url: string, expiresAt: number): Promise<void> {
    this.replies.set(deploymentId, { url, expiresAt });
  }

  async getReplyUrl(deploymentId: string): Promise<string | null> {
    const reply = this.replies.get(deploymentId);
    return reply && reply.expiresAt > this.nowSeconds() ? reply.url : null;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}

/** The page size asked for, bounded like the adapter's: 1..100, 20 when absent. */
function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isFinite(limit))
    throw new InvalidRequestError(`limit must be a number, got ${limit}`);
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}
