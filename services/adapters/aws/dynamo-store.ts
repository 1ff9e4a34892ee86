import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  AttributeValue,
  CreateTableCommandInput,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../../core/clock.ts';
import type {
  Deployment,
  DeploymentPatch,
  DeploymentStatus,
  StepRecord,
} from '../../core/deployment.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors.ts';
import type {
  DeploymentPage,
  DeploymentStore,
  FunctionLock,
  IdempotencyRecord,
} from '../../core/ports.ts';
import type { FunctionSettings } from '../../core/settings.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';

/** The store table's schema: the CDK stack, local mode and tests create the table from it. */
export const STORE_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  historyIndex: 'byFunction',
  historyPartitionKey: 'gsi1pk',
  historySortKey: 'gsi1sk',
  ttlAttribute: 'ttl',
} as const;

const {
  partitionKey: PK,
  sortKey: SK,
  historyPartitionKey: GPK,
  historySortKey: GSK,
} = STORE_TABLE;
const INTERNAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  PK,
  SK,
  GPK,
  GSK,
  STORE_TABLE.ttlAttribute,
]);
const PATCHABLE_FIELDS: ReadonlySet<string> = new Set<keyof DeploymentPatch>([
  'status',
  'team',
  'previous',
  'release',
  'scan',
  'smoke',
  'buildLogsUrl',
  'reason',
  'error',
  'endedAt',
]);
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/** CreateTable input for the store table (on-demand, history GSI projecting all attributes). TTL is set separately. */
export function storeTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [PK, SK, GPK, GSK].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: PK, KeyType: 'HASH' },
      { AttributeName: SK, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: STORE_TABLE.historyIndex,
        KeySchema: [
          { AttributeName: GPK, KeyType: 'HASH' },
          { AttributeName: GSK, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** Options for {@link DynamoDeploymentStore}. */
export interface DynamoDeploymentStoreOptions {
  readonly tableName: string;
  /** Key that signs history cursors, so a caller cannot forge a start key. */
  readonly cursorSecret: string;
  /** Decides when idempotency keys have expired. @default systemClock */
  readonly clock?: Clock;
}

type Item = Record<string, unknown>;

interface Condition {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
}

const key = (pk: string, sk: string): Item => ({ [PK]: pk, [SK]: sk });
const deploymentKey = (id: string) => key(`DEP#${id}`, 'DEP');
const lockKey = (functionName: string) => key(`LOCK#${functionName}`, 'LOCK');
const idempotencyKey = (idemKey: string) => key(`IDEM#${idemKey}`, 'IDEM');
const settingsKey = (functionName: string) => key(`FN#${functionName}`, 'SETTINGS');
const historyPartition = (functionName: string) => `FN#${functionName}`;

/** DeploymentStore on one DynamoDB table (single-table design, see STORE_TABLE). */
export class DynamoDeploymentStore implements DeploymentStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly cursorSecret: string;
  private readonly clock: Clock;

  constructor(client: DynamoDBClient, options: DynamoDeploymentStoreOptions) {
    if (!options.tableName) throw new Error('DynamoDeploymentStore needs a tableName');
    if (!options.cursorSecret)
      throw new Error('DynamoDeploymentStore needs a non-empty cursorSecret');
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.tableName = options.tableName;
    this.cursorSecret = options.cursorSecret;
    this.clock = options.clock ?? systemClock;
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
    return item ? toDeployment(item) : null;
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
    const context = `dynamodb:UpdateItem deployment ${id}`;
    try {
      const out = await this.doc.send(
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
      );
      return toDeployment(out.Attributes ?? {});
    } catch (error) {
      if (!isAwsErrorNamed(error, 'ConditionalCheckFailedException'))
        throw toFerryError(error, context);
      const current = await this.itemAfterConditionFailure(error, deploymentKey(id), context);
      if (!current) throw new NotFoundError(`deployment ${id} not found`, { cause: error });
      throw new ConflictError(
        `deployment ${id} is ${String(current.status)}, expected ${expectStatus}`,
        {
          cause: error,
        },
      );
    }
  }

  async recordStep(id: string, step: StepRecord): Promise<void> {
    const context = `dynamodb:UpdateItem step ${step.name} ${id}`;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deploymentKey(id),
          UpdateExpression: 'SET steps.#name = :step',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK, '#name': step.name },
          ExpressionAttributeValues: { ':step': step },
        }),
      );
    } catch (error) {
      if (!isAwsErrorNamed(error, 'ConditionalCheckFailedException'))
        throw toFerryError(error, context);
      throw new NotFoundError(`deployment ${id} not found`, { cause: error });
    }
  }

  async listByFunction(
    functionName: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<DeploymentPage> {
    const limit = pageSize(options.limit);
    const startKey =
      options.cursor === undefined ? undefined : this.openCursor(options.cursor, functionName);
    const out = await this.call(`dynamodb:Query history ${functionName}`, () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: STORE_TABLE.historyIndex,
          KeyConditionExpression: '#gpk = :gpk',
          ExpressionAttributeNames: { '#gpk': GPK },
          ExpressionAttributeValues: { ':gpk': historyPartition(functionName) },
          ScanIndexForward: false,
          // One more than asked tells whether another page exists, so the last page has no cursor.
          Limit: limit + 1,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    const found = out.Items ?? [];
    const items = found.slice(0, limit);
    const last = items.at(-1);
    // LastEvaluatedKey with ≤ limit items means DynamoDB's 1 MB page cut: more may follow.
    const more = found.length > limit || out.LastEvaluatedKey !== undefined;
    const page = { items: items.map(toDeployment) };
    return more && last ? { ...page, cursor: this.signCursor(last) } : page;
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
      const holder = await this.itemAfterConditionFailure(lost, lockKey(functionName), context);
      const live = holder && holder.owner !== owner && Number(holder.expiresAt) > nowSeconds;
      if (live || attempt >= 3) {
        const name = holder ? String(holder.owner) : 'unknown';
        throw new ConflictError(`function ${functionName} is locked by deployment ${name}`, {
          cause: lost,
        });
      }
    }
  }

  async releaseLock(functionName: string, owner: string): Promise<void> {
    const context = `dynamodb:DeleteItem lock ${functionName}`;
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: lockKey(functionName),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      // Someone else's lock, or none: nothing of ours to release.
      if (!isAwsErrorNamed(error, 'ConditionalCheckFailedException'))
        throw toFerryError(error, context);
    }
  }

  async getLock(functionName: string): Promise<FunctionLock | null> {
    const item = await this.read(`dynamodb:GetItem lock ${functionName}`, lockKey(functionName));
    if (!item) return null;
    return { functionName, owner: String(item.owner), expiresAt: Number(item.expiresAt) };
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
    if (!item || Number(item.expiresAt) <= this.nowSeconds()) return null;
    return {
      key: String(item.key),
      requestHash: String(item.requestHash),
      deploymentId: String(item.deploymentId),
      expiresAt: Number(item.expiresAt),
    };
  }

  async getSettings(functionName: string): Promise<FunctionSettings | null> {
    const item = await this.read(
      `dynamodb:GetItem settings ${functionName}`,
      settingsKey(functionName),
    );
    return item ? (item.settings as FunctionSettings) : null;
  }

  async putSettings(functionName: string, settings: FunctionSettings): Promise<void> {
    const item = { ...settingsKey(functionName), functionName, settings };
    await this.put(`dynamodb:PutItem settings ${functionName}`, item);
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

  private async read(context: string, itemKey: Item): Promise<Item | null> {
    const out = await this.call(context, () =>
      this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: itemKey, ConsistentRead: true }),
      ),
    );
    return out.Item ?? null;
  }

  /** A PutItem, conditional when `condition` is given: returns the exception when the condition lost. */
  private async put(context: string, item: Item, condition?: Condition): Promise<Error | null> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(condition && { ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        }),
      );
      return null;
    } catch (error) {
      if (condition && isAwsErrorNamed(error, 'ConditionalCheckFailedException')) return error;
      throw toFerryError(error, context);
    }
  }

  /**
   * The item a lost condition saw: from the exception when DynamoDB returned it (ALL_OLD),
   * else read afresh (dynalite ignores ReturnValuesOnConditionCheckFailure). Top-level scalars only.
   */
  private async itemAfterConditionFailure(
    error: Error,
    itemKey: Item,
    context: string,
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
    return this.read(context.replace(/^dynamodb:\w+/, 'dynamodb:GetItem'), itemKey);
  }

  private signCursor(item: Item): string {
    const startKey = { [PK]: item[PK], [SK]: item[SK], [GPK]: item[GPK], [GSK]: item[GSK] };
    const payload = Buffer.from(JSON.stringify(startKey)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The start key in a cursor this store signed for `functionName`; InvalidRequestError otherwise. */
  private openCursor(cursor: string, functionName: string): Item {
    const invalid = new InvalidRequestError('invalid cursor');
    const [payload, signature, ...rest] = cursor.split('.');
    if (!payload || !signature || rest.length > 0) throw invalid;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
    let startKey: unknown;
    try {
      startKey = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid;
    }
    if (typeof startKey !== 'object' || startKey === null) throw invalid;
    const fields = startKey as Item;
    if (![PK, SK, GPK, GSK].every((name) => typeof fields[name] === 'string')) throw invalid;
    // Signed, but for another function's history: the key would leak into this query.
    if (fields[GPK] !== historyPartition(functionName)) throw invalid;
    return fields;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.cursorSecret).update(payload).digest('base64url');
  }
}

/** The page size asked for, bounded to 1..100 (20 when absent). */
function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isFinite(limit))
    throw new InvalidRequestError(`limit must be a number, got ${limit}`);
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

/** A stored item as a Deployment: internal keys dropped, the steps map as an array by start time. */
function toDeployment(item: Item): Deployment {
  const fields: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (!INTERNAL_ATTRIBUTES.has(name)) fields[name] = value;
  }
  const steps = Object.values((fields.steps ?? {}) as Record<string, StepRecord>).sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.name.localeCompare(b.name),
  );
  return { ...fields, steps } as unknown as Deployment;
}
