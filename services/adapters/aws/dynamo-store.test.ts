import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../test/support/dynalite.ts';
import type { Deployment } from '../../core/deployment.ts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../core/errors.ts';
import { parseFunctionSettings } from '../../core/settings.ts';
import { DynamoDeploymentStore, STORE_TABLE } from './dynamo-store.ts';

const TABLE = 'ferry-store-test';
const SECRET = 'test-cursor-secret';

let dynalite: RunningDynalite;
let clock: ManualClock;
let store: DynamoDeploymentStore;
let sequence = 0;

/** A unique name per call, so tests sharing the table never see each other's items. */
const unique = (prefix: string) => `${prefix}-${++sequence}`;

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: unique('dep'),
    functionName: 'api',
    status: 'PENDING',
    createdAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-28T10:00:00.000Z',
    team: 'payments',
    trigger: { kind: 'api', actor: 'arn:aws:iam::123456789012:role/ci' },
    request: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2', reason: 'release' },
    steps: [],
    ...overrides,
  };
}

/** Replaces the character at `index` with a different base64url character. */
const flip = (text: string, index: number) =>
  text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);

beforeAll(async () => {
  dynalite = await startDynalite();
  await createStoreTable(dynalite.client, TABLE);
});

afterAll(async () => {
  await dynalite?.close();
});

describe('Class: DynamoDeploymentStore', () => {
  beforeAll(() => {
    clock = new ManualClock();
    store = new DynamoDeploymentStore(dynalite.client, {
      tableName: TABLE,
      cursorSecret: SECRET,
      clock,
    });
  });

  describe('deployments', () => {
    it('returns a created deployment exactly as given, without internal keys', async () => {
      const created = deployment({
        steps: [
          {
            name: 'Prepare',
            startedAt: '2026-11-28T10:00:01.000Z',
            outcome: 'running',
            attempts: 1,
          },
        ],
        previous: { version: '7', digest: null, imageUri: null },
      });
      await store.create(created);

      const got = await store.get(created.id);

      expect(got).toStrictEqual(created);
      for (const internal of Object.values(STORE_TABLE)) expect(got).not.toHaveProperty(internal);
    });

    it('returns null for an unknown id', async () => {
      await expect(store.get('dep-missing')).resolves.toBeNull();
    });

    it('throws ConflictError when the id exists', async () => {
      const created = deployment();
      await store.create(created);

      await expect(store.create({ ...created, status: 'RUNNING' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await store.get(created.id))?.status).toBe('PENDING');
    });

    it('applies a patch, stamps updatedAt and returns the new record', async () => {
      const created = deployment();
      await store.create(created);

      const updated = await store.update(
        created.id,
        { status: 'RUNNING', release: { version: null, digest: 'sha256:ab', imageUri: null } },
        'PENDING',
      );

      expect(updated).toMatchObject({ status: 'RUNNING', release: { digest: 'sha256:ab' } });
      expect(updated.updatedAt > created.updatedAt).toBe(true);
      expect(updated).not.toHaveProperty(STORE_TABLE.partitionKey);
      expect(await store.get(created.id)).toStrictEqual(updated);
    });

    it('clears a field patched to undefined', async () => {
      const created = deployment({ reason: 'old reason' });
      await store.create(created);

      const updated = await store.update(created.id, { reason: undefined });

      expect(updated).not.toHaveProperty('reason');
    });

    it('throws ConflictError naming both statuses when expectStatus does not match', async () => {
      const created = deployment({ status: 'SUCCEEDED' });
      await store.create(created);

      const attempt = store.update(created.id, { status: 'FAILED' }, 'RUNNING');

      await expect(attempt).rejects.toBeInstanceOf(ConflictError);
      await expect(attempt).rejects.toThrow(/is SUCCEEDED, expected RUNNING/);
      expect((await store.get(created.id))?.status).toBe('SUCCEEDED');
    });

    it('throws NotFoundError when updating a missing id, with or without expectStatus', async () => {
      await expect(store.update('dep-missing', { status: 'FAILED' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(
        store.update('dep-missing', { status: 'FAILED' }, 'RUNNING'),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.get('dep-missing')).resolves.toBeNull();
    });

    it('throws InvalidRequestError for a field a patch may not change', async () => {
      const created = deployment();
      await store.create(created);

      const patch = { functionName: 'other' } as unknown as Parameters<typeof store.update>[1];

      await expect(store.update(created.id, patch)).rejects.toBeInstanceOf(InvalidRequestError);
    });
  });

  describe('steps', () => {
    it('overwrites a retried step and returns steps ordered by startedAt', async () => {
      const created = deployment();
      await store.create(created);

      await store.recordStep(created.id, {
        name: 'ResolveImage',
        startedAt: '2026-11-28T10:00:05.000Z',
        outcome: 'running',
        attempts: 1,
      });
      await store.recordStep(created.id, {
        name: 'Prepare',
        startedAt: '2026-11-28T10:00:01.000Z',
        outcome: 'failed',
        attempts: 1,
        detail: 'TransientError: throttled',
      });
      await store.recordStep(created.id, {
        name: 'Prepare',
        startedAt: '2026-11-28T10:00:01.000Z',
        endedAt: '2026-11-28T10:00:03.000Z',
        outcome: 'succeeded',
        attempts: 2,
      });

      const steps = (await store.get(created.id))?.steps;
      expect(steps).toStrictEqual([
        {
          name: 'Prepare',
          startedAt: '2026-11-28T10:00:01.000Z',
          endedAt: '2026-11-28T10:00:03.000Z',
          outcome: 'succeeded',
          attempts: 2,
        },
        {
          name: 'ResolveImage',
          startedAt: '2026-11-28T10:00:05.000Z',
          outcome: 'running',
          attempts: 1,
        },
      ]);
    });

    it('throws NotFoundError when recording a step of a missing deployment', async () => {
      const step = {
        name: 'Prepare',
        startedAt: '2026-11-28T10:00:01.000Z',
        outcome: 'running',
        attempts: 1,
      } as const;

      await expect(store.recordStep('dep-missing', step)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.get('dep-missing')).resolves.toBeNull();
    });
  });

  describe('history', () => {
    const functions = {
      busy: unique('fn-busy'),
      quiet: unique('fn-quiet'),
      single: unique('fn-single'),
    };
    const created: Deployment[] = [];

    beforeAll(async () => {
      // Interleave three functions; two of busy's deployments share a createdAt (ordered by id then).
      const plan: Array<[string, string, string]> = [
        [functions.busy, '2026-11-01T00:00:00.000Z', 'h-01'],
        [functions.quiet, '2026-11-02T00:00:00.000Z', 'h-02'],
        [functions.busy, '2026-11-03T00:00:00.000Z', 'h-03'],
        [functions.single, '2026-11-04T00:00:00.000Z', 'h-04'],
        [functions.busy, '2026-11-05T00:00:00.000Z', 'h-05'],
        [functions.busy, '2026-11-05T00:00:00.000Z', 'h-06'],
        [functions.quiet, '2026-11-06T00:00:00.000Z', 'h-07'],
        [functions.busy, '2026-11-07T00:00:00.000Z', 'h-08'],
      ];
      for (const [functionName, createdAt, id] of plan) {
        const record = deployment({
          id: `${id}-${sequence}`,
          functionName,
          createdAt,
          updatedAt: createdAt,
        });
        created.push(record);
        await store.create(record);
      }
    });

    const newestFirst = (functionName: string) =>
      created
        .filter((d) => d.functionName === functionName)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));

    it('lists only the function’s deployments, newest first, with no cursor on the last page', async () => {
      for (const functionName of Object.values(functions)) {
        const page = await store.listByFunction(functionName);

        expect(page.items).toStrictEqual(newestFirst(functionName));
        expect(page.cursor).toBeUndefined();
      }
    });

    it('pages through every deployment with limit 2, without duplicates or losses', async () => {
      const seen: Deployment[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listByFunction(functions.busy, {
          limit: 2,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items);
        sizes.push(page.items.length);
        cursor = page.cursor;
      } while (cursor);

      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toStrictEqual(newestFirst(functions.busy));
    });

    it('returns no cursor when the last page is exactly full', async () => {
      const page = await store.listByFunction(functions.quiet, { limit: 2 });

      expect(page.items).toHaveLength(2);
      expect(page.cursor).toBeUndefined();
    });

    it('bounds the page size to at least one', async () => {
      const page = await store.listByFunction(functions.busy, { limit: 0 });

      expect(page.items).toHaveLength(1);
      expect(page.cursor).toBeDefined();
    });

    it('throws InvalidRequestError for a tampered, garbled or foreign cursor', async () => {
      const { cursor } = await store.listByFunction(functions.busy, { limit: 2 });
      const { cursor: quietCursor } = await store.listByFunction(functions.quiet, { limit: 1 });
      const otherSecret = new DynamoDeploymentStore(dynalite.client, {
        tableName: TABLE,
        cursorSecret: 'another-secret',
      });
      const { cursor: otherSecretCursor } = await otherSecret.listByFunction(functions.busy, {
        limit: 2,
      });
      if (!cursor || !quietCursor || !otherSecretCursor) throw new Error('expected cursors');
      const dot = cursor.indexOf('.');

      const bad = [
        flip(cursor, 3), // payload
        flip(cursor, dot + 3), // signature
        cursor.slice(0, dot), // no signature
        `${cursor}.extra`,
        'not-a-cursor',
        '',
        quietCursor, // signed, but for another function
        otherSecretCursor, // signed with another secret
      ];

      for (const candidate of bad) {
        await expect(store.listByFunction(functions.busy, { cursor: candidate })).rejects.toThrow(
          new InvalidRequestError('invalid cursor', { kind: 'invalid-cursor' }),
        );
      }
      await expect(store.listByFunction(functions.busy, { cursor })).resolves.toBeDefined();
    });
  });

  describe('locks', () => {
    it('lets the holder re-acquire, refuses others by name and frees the lock after expiry', async () => {
      const fn = unique('fn-lock');

      const held = await store.acquireLock(fn, 'dep-A', 1_000, 900);
      expect(held).toStrictEqual({ functionName: fn, owner: 'dep-A', expiresAt: 1_900 });

      const contender = store.acquireLock(fn, 'dep-B', 1_100, 900);
      await expect(contender).rejects.toBeInstanceOf(ConflictError);
      await expect(contender).rejects.toThrow(`function ${fn} is locked by deployment dep-A`);

      // Step Functions retries Prepare: the same owner takes its own lock again and extends it.
      await expect(store.acquireLock(fn, 'dep-A', 1_200, 900)).resolves.toMatchObject({
        expiresAt: 2_100,
      });

      await expect(store.acquireLock(fn, 'dep-B', 2_101, 900)).resolves.toMatchObject({
        owner: 'dep-B',
      });
      await expect(store.getLock(fn)).resolves.toStrictEqual({
        functionName: fn,
        owner: 'dep-B',
        expiresAt: 3_001,
      });
    });

    it('ignores a release by someone who does not hold the lock', async () => {
      const fn = unique('fn-lock');
      await store.acquireLock(fn, 'dep-A', 1_000, 900);

      await store.releaseLock(fn, 'dep-B');
      await store.releaseLock(unique('fn-unlocked'), 'dep-B');

      await expect(store.getLock(fn)).resolves.toMatchObject({ owner: 'dep-A' });
    });

    it('releases the lock for its owner', async () => {
      const fn = unique('fn-lock');
      await store.acquireLock(fn, 'dep-A', 1_000, 900);

      await store.releaseLock(fn, 'dep-A');

      await expect(store.getLock(fn)).resolves.toBeNull();
      await expect(store.acquireLock(fn, 'dep-B', 1_001, 900)).resolves.toMatchObject({
        owner: 'dep-B',
      });
    });

    it('lets exactly one of 10 concurrent owners win', async () => {
      const fn = unique('fn-race');
      const owners = Array.from({ length: 10 }, (_, i) => `dep-${i}`);

      const results = await Promise.allSettled(
        owners.map((owner) => store.acquireLock(fn, owner, 1_000, 900)),
      );

      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.owner] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const error of lost) {
        expect(error).toBeInstanceOf(ConflictError);
        expect(error.message).toBe(`function ${fn} is locked by deployment ${won[0]}`);
      }
      await expect(store.getLock(fn)).resolves.toMatchObject({ owner: won[0] });
    });
  });

  describe('idempotency keys', () => {
    it('stores a key, refuses it twice and hides it once expired', async () => {
      const key = unique('idem');
      const nowSeconds = Math.floor(clock.now().getTime() / 1000);
      const record = {
        key,
        requestHash: 'sha256:body',
        deploymentId: 'dep-1',
        expiresAt: nowSeconds + 60,
      };

      await store.putIdempotencyKey(record);
      await expect(store.getIdempotencyKey(key)).resolves.toStrictEqual(record);
      await expect(
        store.putIdempotencyKey({ ...record, deploymentId: 'dep-2' }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(store.getIdempotencyKey(key)).resolves.toMatchObject({ deploymentId: 'dep-1' });

      // TTL deletion is lazy: the item is still there, but it no longer counts.
      clock.advance(61_000);
      await expect(store.getIdempotencyKey(key)).resolves.toBeNull();
      const reused = { ...record, deploymentId: 'dep-3', expiresAt: nowSeconds + 3_600 };
      await store.putIdempotencyKey(reused);
      await expect(store.getIdempotencyKey(key)).resolves.toStrictEqual(reused);
    });

    it('returns null for an unknown key', async () => {
      await expect(store.getIdempotencyKey('idem-missing')).resolves.toBeNull();
    });
  });

  describe('reply URLs', () => {
    it('keeps a reply URL apart from the deployment and hides it once expired', async () => {
      const d = deployment();
      await store.create(d);
      const now = Math.floor(clock.now().getTime() / 1000);
      await expect(store.getReplyUrl(d.id)).resolves.toBeNull();
      await store.putReplyUrl(d.id, 'https://hooks.slack.com/commands/T1/2/abc', now + 60);

      await expect(store.getReplyUrl(d.id)).resolves.toBe(
        'https://hooks.slack.com/commands/T1/2/abc',
      );
      // The deployment record (what the API returns) does not carry it.
      expect(JSON.stringify(await store.get(d.id))).not.toContain('hooks.slack.com');
      expect((await store.listByFunction(d.functionName)).items.map((x) => x.id)).toContain(d.id);
      expect(JSON.stringify((await store.listByFunction(d.functionName)).items)).not.toContain(
        'hooks.slack.com',
      );

      clock.advance(61_000);
      await expect(store.getReplyUrl(d.id)).resolves.toBeNull();
    });
  });

  describe('settings', () => {
    it('returns stored settings as given and the latest after an overwrite', async () => {
      const fn = unique('fn-settings');
      const settings = parseFunctionSettings({
        team: 'payments',
        smoke: {
          payload: { path: '/health', headers: {}, tags: [], empty: '' },
          expectStatusCode: 200,
        },
        maxGrowthRatio: null,
      });

      await expect(store.getSettings(fn)).resolves.toBeNull();
      await store.putSettings(fn, settings);
      await expect(store.getSettings(fn)).resolves.toStrictEqual(settings);

      const changed = { ...settings, sizeBudgetBytes: 100 * 1024 ** 2 };
      await store.putSettings(fn, changed);
      await expect(store.getSettings(fn)).resolves.toStrictEqual(changed);
    });
  });
});

describe('Class: DynamoDeploymentStore (condition failures as DynamoDB reports them)', () => {
  // Mocking the prototype intercepts every document client: only from here on, never at collection.
  let documentClient: AwsClientStub<DynamoDBDocumentClient>;

  beforeAll(() => {
    documentClient = mockClient(DynamoDBDocumentClient);
  });

  afterEach(() => {
    documentClient.reset();
  });

  afterAll(() => {
    documentClient.restore();
  });

  const conditionFailed = (item?: ConditionalCheckFailedException['Item']) =>
    new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      Item: item,
    });

  it('names the lock holder from the item DynamoDB returns, without reading it again', async () => {
    const mocked = new DynamoDeploymentStore(dynalite.client, {
      tableName: TABLE,
      cursorSecret: SECRET,
    });
    documentClient
      .on(PutCommand)
      .rejects(conditionFailed({ owner: { S: 'dep-A' }, expiresAt: { N: '1900' } }));

    await expect(mocked.acquireLock('fn', 'dep-B', 1_000, 900)).rejects.toThrow(
      'function fn is locked by deployment dep-A',
    );
    expect(documentClient.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(documentClient.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('tells a status mismatch from a missing deployment by the item DynamoDB returns', async () => {
    const mocked = new DynamoDeploymentStore(dynalite.client, {
      tableName: TABLE,
      cursorSecret: SECRET,
    });
    documentClient
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed({ status: { S: 'FAILED' } }))
      .rejectsOnce(conditionFailed());
    documentClient.on(GetCommand).resolves({});

    await expect(mocked.update('dep-1', { status: 'SUCCEEDED' }, 'RUNNING')).rejects.toThrow(
      new ConflictError('deployment dep-1 is FAILED, expected RUNNING'),
    );
    await expect(mocked.update('dep-1', { status: 'SUCCEEDED' }, 'RUNNING')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(documentClient.commandCalls(GetCommand)).toHaveLength(1);
  });
});
