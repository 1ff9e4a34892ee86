import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { ColdStartVerdict } from '../../core/cold-start-verdict.ts';
import type {
  Deployment,
  DeploymentPatch,
  DeploymentStatus,
  StepRecord,
} from '../../core/deployment.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors.ts';
import type { LiveRelease } from '../../core/live.ts';
import type {
  DeploymentPage,
  DeploymentStore,
  FunctionLock,
  IdempotencyRecord,
  RegisteredFunction,
  ReleaseHold,
} from '../../core/ports.ts';
import type { FunctionSettings } from '../../core/settings.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';
import { DynamoColdStartVerdicts } from './dynamo-cold-start-verdicts.ts';
import { DynamoReleaseHolds } from './dynamo-holds.ts';
import {
  readDeployment,
  readIdempotencyRecord,
  readLock,
  readRegisteredFunction,
  readReply,
  readSettings,
} from './dynamo-items.ts';
import { DynamoLiveReleases } from './dynamo-live-releases.ts';
import {
  type Condition,
  DEFAULT_PAGE_SIZE,
  deploymentKey,
  FUNCTIONS_PARTITION,
  GPK,
  GSK,
  historyPartition,
  type Item,
  idempotencyKey,
  lockKey,
  MAX_PAGE_SIZE,
  PATCHABLE_FIELDS,
  PK,
  replyKey,
  SK,
  STORE_TABLE,
  settingsKey,
} from './dynamo-table.ts';
import { CursorSigner } from './signed-cursor.ts';

export { STORE_TABLE, storeTableDefinition } from './dynamo-table.ts';

/** Options for {@link DynamoDeploymentStore}. */
export interface DynamoDeploymentStoreOptions {
  readonly tableName: string;
  /**
   * Key that signs history cursors, so a caller cannot forge a start key; or how to read it (a
   * cached secret read, so a new key takes effect without a restart; older cursors then fail).
   */
  readonly cursorSecret: string | (() => Promise<string>);
  /** Decides when idempotency keys, reply URLs and release holds have expired. @default systemClock */
  readonly clock?: Clock;
}

/** DeploymentStore on one DynamoDB table (single-table design, see STORE_TABLE). */
export class DynamoDeploymentStore implements DeploymentStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly cursorKey: () => Promise<string>;
  private signer: CursorSigner | undefined;
  private readonly clock: Clock;
  private readonly live: DynamoLiveReleases;
  private readonly verdicts: DynamoColdStartVerdicts;
  private readonly holds: DynamoReleaseHolds;

  constructor(client: DynamoDBClient, options: DynamoDeploymentStoreOptions) {
    if (!options.tableName) throw new Error('DynamoDeploymentStore needs a tableName');
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.tableName = options.tableName;
    const secret = options.cursorSecret;
    if (typeof secret === 'string') this.signer = new CursorSigner(secret);
    this.cursorKey = typeof secret === 'string' ? async () => secret : secret;
    this.clock = options.clock ?? systemClock;
    this.live = new DynamoLiveReleases(client, options.tableName);
    this.verdicts = new DynamoColdStartVerdicts(client, options.tableName);
    this.holds = new DynamoReleaseHolds(client, options.tableName, this.clock);
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

  getVerdict(functionName: string, digest: string): Promise<ColdStartVerdict | null> {
    return this.verdicts.getVerdict(functionName, digest);
  }

  putVerdict(verdict: ColdStartVerdict): Promise<void> {
    return this.verdicts.putVerdict(verdict);
  }

  getLive(functionName: string): Promise<LiveRelease | null> {
    return this.live.getLive(functionName);
  }

  putLive(release: LiveRelease): Promise<void> {
    return this.live.putLive(release);
  }

  async create(deployment: Deployment): Promise<void> {
    const { steps, ...fields } = deployment;
    const item = {
      ...fields,
      steps: Object.fromEntries(steps.map((step) => [step.name, step])),
      ...deploymentKey(deployment.id),
      [GPK]: historyPartition(deployment.functionName),
      [GSK]: `${deployment.createdAt}#${deployment.id}`,
    };
    const condition = {
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
    };
    const lost = await this.put(`dynamodb:PutItem deployment ${deployment.id}`, item, condition);
    if (lost) throw new ConflictError(`deployment ${deployment.id} exists`, { cause: lost });
  }

  async get(id: string): Promise<Deployment | null> {
    const item = await this.read(`dynamodb:GetItem deployment ${id}`, deploymentKey(id));
    return item ? readDeployment(item) : null;
  }

  async update(
    id: string,
    patch: DeploymentPatch,
    expectStatus?: DeploymentStatus,
  ): Promise<Deployment> {
    const names: Record<string, string> = { '#pk': PK, '#updatedAt': 'updatedAt' };
    const values: Item = { ':updatedAt': this.clock.now().toISOString() };
    const sets = ['#updatedAt = :updatedAt'];
    const removes: string[] = [];
    for (const [field, value] of Object.entries(patch)) {
      if (!PATCHABLE_FIELDS.has(field)) {
        throw new InvalidRequestError(`deployment field '${field}' cannot be patched`);
      }
      names[`#${field}`] = field;
      // An explicit undefined clears the field, as spreading the patch would.
      if (value === undefined) removes.push(`#${field}`);
      else {
        values[`:${field}`] = value;
        sets.push(`#${field} = :${field}`);
      }
    }
    let condition = 'attribute_exists(#pk)';
    if (expectStatus) {
      names['#status'] = 'status';
      values[':expected'] = expectStatus;
      condition += ' AND #status = :expected';
    }
    const result = await this.conditional(`dynamodb:UpdateItem deployment ${id}`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deploymentKey(id),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    if ('value' in result) return readDeployment(result.value.Attributes ?? {});
    const { lost } = result;
    const current = await this.itemAfterConditionFailure(
      lost,
      deploymentKey(id),
      `dynamodb:GetItem deployment ${id}`,
    );
    if (!current) throw new NotFoundError(`deployment ${id} not found`, { cause: lost });
    const message = `deployment ${id} is ${String(current.status)}, expected ${expectStatus}`;
    throw new ConflictError(message, { cause: lost });
  }

  async recordStep(id: string, step: StepRecord): Promise<void> {
    const result = await this.conditional(`dynamodb:UpdateItem step ${step.name} ${id}`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deploymentKey(id),
          UpdateExpression: 'SET steps.#name = :step',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK, '#name': step.name },
          ExpressionAttributeValues: { ':step': step },
        }),
      ),
    );
    if ('lost' in result)
      throw new NotFoundError(`deployment ${id} not found`, { cause: result.lost });
  }

  async listByFunction(
    functionName: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<DeploymentPage> {
    const limit = pageSize(options.limit);
    const cursors = await this.cursors();
    const startKey =
      options.cursor === undefined
        ? undefined
        : this.openCursor(cursors, options.cursor, functionName);
    const out = await this.queryIndex(`history ${functionName}`, historyPartition(functionName), {
      ScanIndexForward: false,
      // One more than asked tells whether another page exists, so the last page has no cursor.
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    const found = out.Items ?? [];
    const items = found.slice(0, limit);
    const last = items.at(-1);
    // LastEvaluatedKey with ≤ limit items means DynamoDB's 1 MB page cut: more may follow.
    const more = found.length > limit || out.LastEvaluatedKey !== undefined;
    const page = { items: items.map(readDeployment) };
    return more && last ? { ...page, cursor: this.signCursor(cursors, last) } : page;
  }

  async acquireLock(
    functionName: string,
    owner: string,
    nowSeconds: number,
    ttlSeconds: number,
  ): Promise<FunctionLock> {
    const lock: FunctionLock = { functionName, owner, expiresAt: nowSeconds + ttlSeconds };
    const item = { ...lock, ...lockKey(functionName), [STORE_TABLE.ttlAttribute]: lock.expiresAt };
    const condition = {
      // Free, expired (TTL deletion is lazy), or ours already: Step Functions retries Prepare.
      ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now OR #owner = :owner',
      ExpressionAttributeNames: { '#pk': PK, '#expiresAt': 'expiresAt', '#owner': 'owner' },
      ExpressionAttributeValues: { ':now': nowSeconds, ':owner': owner },
    };
    const context = `dynamodb:PutItem lock ${functionName}`;
    // A holder that releases between our write and our read of it: try again (bounded).
    for (let attempt = 1; ; attempt++) {
      const lost = await this.put(context, item, condition);
      if (!lost) return lock;
      const holder = await this.itemAfterConditionFailure(
        lost,
        lockKey(functionName),
        `dynamodb:GetItem lock ${functionName}`,
      );
      const live = holder && holder.owner !== owner && Number(holder.expiresAt) > nowSeconds;
      if (live || attempt >= 3) {
        const name = holder ? String(holder.owner) : null;
        throw new ConflictError(
          `function ${functionName} is locked by deployment ${name ?? '(unknown)'}`,
          { cause: lost, kind: 'function-locked', holder: name },
        );
      }
    }
  }

  async releaseLock(functionName: string, owner: string): Promise<void> {
    // A lost condition means someone else's lock, or none: nothing of ours to release.
    await this.conditional(`dynamodb:DeleteItem lock ${functionName}`, () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: lockKey(functionName),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }

  async getLock(functionName: string): Promise<FunctionLock | null> {
    const item = await this.read(`dynamodb:GetItem lock ${functionName}`, lockKey(functionName));
    return item ? readLock(item) : null;
  }

  async putIdempotencyKey(record: IdempotencyRecord): Promise<void> {
    const item = {
      ...record,
      ...idempotencyKey(record.key),
      [STORE_TABLE.ttlAttribute]: record.expiresAt,
    };
    const condition = {
      // An expired record TTL has not deleted yet is as good as absent (getIdempotencyKey hides it).
      ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
      ExpressionAttributeNames: { '#pk': PK, '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':now': this.nowSeconds() },
    };
    const lost = await this.put(`dynamodb:PutItem idempotency ${record.key}`, item, condition);
    if (lost) throw new ConflictError(`idempotency key ${record.key} exists`, { cause: lost });
  }

  async getIdempotencyKey(idemKey: string): Promise<IdempotencyRecord | null> {
    const item = await this.read(
      `dynamodb:GetItem idempotency ${idemKey}`,
      idempotencyKey(idemKey),
    );
    const record = item ? readIdempotencyRecord(item) : null;
    return record && record.expiresAt > this.nowSeconds() ? record : null;
  }

  async getSettings(functionName: string): Promise<FunctionSettings | null> {
    const item = await this.read(
      `dynamodb:GetItem settings ${functionName}`,
      settingsKey(functionName),
    );
    return item ? readSettings(item) : null;
  }

  async putSettings(functionName: string, settings: FunctionSettings): Promise<void> {
    const item = {
      ...settingsKey(functionName),
      [GPK]: FUNCTIONS_PARTITION,
      [GSK]: functionName,
      functionName,
      settings,
    };
    await this.put(`dynamodb:PutItem settings ${functionName}`, item);
  }

  async listFunctions(): Promise<RegisteredFunction[]> {
    const found: RegisteredFunction[] = [];
    let startKey: Item | undefined;
    // Every page: the index is small (one item per registered function).
    do {
      const out = await this.queryIndex('functions', FUNCTIONS_PARTITION, {
        ExclusiveStartKey: startKey,
      });
      found.push(...(out.Items ?? []).map(readRegisteredFunction));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async putReplyUrl(deploymentId: string, url: string, expiresAt: number): Promise<void> {
    const item = {
      ...replyKey(deploymentId),
      url,
      expiresAt,
      [STORE_TABLE.ttlAttribute]: expiresAt,
    };
    await this.put(`dynamodb:PutItem reply ${deploymentId}`, item);
  }

  async getReplyUrl(deploymentId: string): Promise<string | null> {
    const item = await this.read(`dynamodb:GetItem reply ${deploymentId}`, replyKey(deploymentId));
    const reply = item ? readReply(item) : null;
    return reply && reply.expiresAt > this.nowSeconds() ? reply.url : null;
  }

  // ------------------------------------------------------------------ helpers

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** Runs one SDK call, mapping its errors to Ferry's. */
  private async call<T>(context: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toFerryError(error, context);
    }
  }

  /** One Query of a partition of the history index (histories, the registered functions). */
  private queryIndex(
    what: string,
    partition: string,
    options: Pick<QueryCommandInput, 'ScanIndexForward' | 'Limit' | 'ExclusiveStartKey'>,
  ) {
    return this.call(`dynamodb:Query ${what}`, () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: STORE_TABLE.historyIndex,
          KeyConditionExpression: '#gpk = :gpk',
          ExpressionAttributeNames: { '#gpk': GPK },
          ExpressionAttributeValues: { ':gpk': partition },
          ...options,
        }),
      ),
    );
  }

  private async read(context: string, itemKey: Item): Promise<Item | null> {
    const out = await this.call(context, () =>
      this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }),
      ),
    );
    return out.Item ?? null;
  }

  /** Runs a conditional write: its output, or the exception when the condition lost; other errors mapped. */
  private async conditional<T>(
    context: string,
    run: () => Promise<T>,
  ): Promise<{ value: T } | { lost: Error }> {
    try {
      return { value: await run() };
    } catch (error) {
      if (isAwsErrorNamed(error, 'ConditionalCheckFailedException')) return { lost: error };
      throw toFerryError(error, context);
    }
  }

  /** A PutItem, conditional when `condition` is given: the exception when the condition lost, else null. */
  private async put(context: string, item: Item, condition?: Condition): Promise<Error | null> {
    const result = await this.conditional(context, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(condition && { ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        }),
      ),
    );
    return 'lost' in result ? result.lost : null;
  }

  /**
   * The item a lost condition saw: from the exception when DynamoDB returned it (ALL_OLD),
   * else read afresh (dynalite ignores ReturnValuesOnConditionCheckFailure). Top-level scalars only.
   */
  private async itemAfterConditionFailure(
    error: Error,
    itemKey: Item,
    readContext: string,
  ): Promise<Item | null> {
    const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
    if (returned) {
      return Object.fromEntries(
        Object.entries(returned).map(([name, value]) => [
          name,
          value.S ?? (value.N === undefined ? undefined : Number(value.N)),
        ]),
      );
    }
    return this.read(readContext, itemKey);
  }

  /** The signer for the current key (a new one only when the key changed). */
  private async cursors(): Promise<CursorSigner> {
    const key = await this.cursorKey();
    if (!this.signer || this.signer.secret !== key) this.signer = new CursorSigner(key);
    return this.signer;
  }

  private signCursor(cursors: CursorSigner, item: Item): string {
    return cursors.seal({
      [PK]: item[PK],
      [SK]: item[SK],
      [GPK]: item[GPK],
      [GSK]: item[GSK],
    });
  }

  /** The start key in a cursor this store signed for `functionName`; InvalidRequestError otherwise. */
  private openCursor(cursors: CursorSigner, cursor: string, functionName: string): Item {
    const fields = cursors.open(cursor);
    const valid =
      [PK, SK, GPK, GSK].every((name) => typeof fields[name] === 'string') &&
      // Signed, but for another function's history: the key would leak into this query.
      fields[GPK] === historyPartition(functionName);
    if (!valid) throw new InvalidRequestError('invalid cursor', { kind: 'invalid-cursor' });
    return fields;
  }
}

/** The page size asked for, bounded to 1..100 (20 when absent). */
function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isFinite(limit))
    throw new InvalidRequestError(`limit must be a number, got ${limit}`);
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}
