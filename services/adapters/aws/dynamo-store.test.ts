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
import { DynamoDeploymentStore } from './dynamo-store.ts';

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

// What every store does is in the contract suites (test/contracts), run on dynalite and moto.
// Here: what only this adapter has, its signed cursors and one table shared by several ports.
describe('Class: DynamoDeploymentStore', () => {
  beforeAll(() => {
    clock = new ManualClock();
    store = new DynamoDeploymentStore(dynalite.client, {
      tableName: TABLE,
      cursorSecret: SECRET,
      clock,
    });
  });

  it('throws InvalidRequestError for a tampered, garbled or foreign cursor', async () => {
    const busy = unique('fn-busy');
    const quiet = unique('fn-quiet');
    for (const [functionName, day] of [
      [busy, 1],
      [quiet, 2],
      [busy, 3],
      [busy, 4],
      [quiet, 5],
    ] as const) {
      const createdAt = `2026-11-0${day}T00:00:00.000Z`;
      await store.create(deployment({ functionName, createdAt, updatedAt: createdAt }));
    }
    const { cursor } = await store.listByFunction(busy, { limit: 2 });
    const { cursor: quietCursor } = await store.listByFunction(quiet, { limit: 1 });
    const otherSecret = new DynamoDeploymentStore(dynalite.client, {
      tableName: TABLE,
      cursorSecret: 'another-secret',
    });
    const { cursor: otherSecretCursor } = await otherSecret.listByFunction(busy, { limit: 2 });
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
      await expect(store.listByFunction(busy, { cursor: candidate })).rejects.toThrow(
        new InvalidRequestError('invalid cursor', { kind: 'invalid-cursor' }),
      );
    }
    await expect(store.listByFunction(busy, { cursor })).resolves.toBeDefined();
  });

  it('keeps a reply URL out of the deployment record and its history, in the same partition', async () => {
    const d = deployment();
    await store.create(d);
    const now = Math.floor(clock.now().getTime() / 1000);
    await store.putReplyUrl(d.id, 'https://hooks.slack.com/commands/T1/2/abc', now + 60);

    await expect(store.getReplyUrl(d.id)).resolves.toBe(
      'https://hooks.slack.com/commands/T1/2/abc',
    );
    // The deployment record (what the API returns) does not carry it.
    expect(JSON.stringify(await store.get(d.id))).not.toContain('hooks.slack.com');
    const history = (await store.listByFunction(d.functionName)).items;
    expect(history.map((x) => x.id)).toContain(d.id);
    expect(JSON.stringify(history)).not.toContain('hooks.slack.com');
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
