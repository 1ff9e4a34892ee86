import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDeployment } from '../../../test/fakes/deployments.ts';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../test/support/dynalite.ts';
import { CorruptItemError } from '../../core/errors.ts';
import { parseFunctionSettings } from '../../core/settings.ts';
import { DynamoRuleStore } from './dynamo-rule-store.ts';
import { DynamoSlackUserLinks } from './dynamo-slack-users.ts';
import { DynamoDeploymentStore } from './dynamo-store.ts';
import {
  deploymentKey,
  FUNCTIONS_PARTITION,
  GPK,
  GSK,
  historyPartition,
  key,
  lockKey,
  settingsKey,
} from './dynamo-table.ts';
import { DynamoTokenStore } from './dynamo-token-store.ts';

const TABLE = 'ferry-items-test';
let db: RunningDynalite;
let store: DynamoDeploymentStore;

/** Writes an item as it is, as an older Ferry (or a hand edit) left it. */
const putRaw = (item: Record<string, unknown>) =>
  DynamoDBDocumentClient.from(db.client).send(new PutCommand({ TableName: TABLE, Item: item }));

/** A settings item, indexed for listFunctions, holding `settings` as given. */
const settingsItem = (name: string, settings: unknown) => ({
  ...settingsKey(name),
  [GPK]: FUNCTIONS_PARTITION,
  [GSK]: name,
  functionName: name,
  settings,
});

/** A deployment item as create() writes it, with `fields` over the stored attributes. */
const deploymentItem = (id: string, fields: Record<string, unknown>) => {
  const { steps: _, ...d } = aDeployment({ id, functionName: 'corrupt-fn' });
  return {
    ...d,
    steps: {},
    ...deploymentKey(id),
    [GPK]: historyPartition(d.functionName),
    [GSK]: `${d.createdAt}#${id}`,
    ...fields,
  };
};

beforeAll(async () => {
  db = await startDynalite();
  await createStoreTable(db.client, TABLE);
  store = new DynamoDeploymentStore(db.client, { tableName: TABLE, cursorSecret: 'secret' });
});
afterAll(() => db.close());

describe('Stored settings of older shapes', () => {
  it('keeps the cold-start gate off for settings stored before its default (no ratio)', async () => {
    const stored = {
      ...parseFunctionSettings({ team: 'payments' }),
      coldStart: { minInitDeltaMs: 50 },
    };
    await putRaw(settingsItem('old-ratio', stored));

    const read = await store.getSettings('old-ratio');

    expect(read?.coldStart).toStrictEqual({
      maxInitGrowthRatio: null,
      minInitDeltaMs: 50,
      samples: 5,
      inconclusiveBlocks: false,
    });
    expect(read).toStrictEqual({ ...stored, coldStart: read?.coldStart });
  });

  it('keeps the gate off without coldStart at all, and fills other absent fields with today’s defaults', async () => {
    await putRaw(
      settingsItem('old-all', { team: 'search', alias: 'live', smoke: { payload: {} } }),
    );

    const read = await store.getSettings('old-all');

    expect(read).toStrictEqual({
      ...parseFunctionSettings({ team: 'search' }),
      coldStart: {
        maxInitGrowthRatio: null,
        minInitDeltaMs: 100,
        samples: 5,
        inconclusiveBlocks: false,
      },
    });
  });

  it('keeps a ratio that was stored, and reads listFunctions the same way', async () => {
    const chosen = {
      ...parseFunctionSettings({ team: 'p' }),
      coldStart: {
        maxInitGrowthRatio: 1.3,
        minInitDeltaMs: 40,
        samples: 7,
        inconclusiveBlocks: true,
      },
    };
    await putRaw(settingsItem('chosen', chosen));

    await expect(store.getSettings('chosen')).resolves.toStrictEqual(chosen);
    const listed = await store.listFunctions();
    expect(
      listed.find((f) => f.name === 'old-ratio')?.settings.coldStart.maxInitGrowthRatio,
    ).toBeNull();
    expect(listed.find((f) => f.name === 'chosen')?.settings).toStrictEqual(chosen);
  });

  it('drops fields it does not know (a newer Ferry may have written them)', async () => {
    const settings = parseFunctionSettings({ team: 'p' });
    await putRaw(settingsItem('newer', { ...settings, futureGate: { on: true } }));
    await putRaw(deploymentItem('d-newer', { futureField: 'x' }));

    await expect(store.getSettings('newer')).resolves.toStrictEqual(settings);
    expect(await store.get('d-newer')).not.toHaveProperty('futureField');
  });

  it('keeps figures of the scan and smoke reports it has no name for (the web page shows them)', async () => {
    const smoke = {
      passed: true,
      statusCode: 200,
      responseExcerpt: '{}',
      initDurationMs: 120,
      durationMs: 3,
      maxMemoryUsedMb: 40,
      liveInitDurationMs: 80,
      coldStartGate: { verdict: 'pass' },
    };
    await putRaw(deploymentItem('d-figures', { smoke }));
    expect((await store.get('d-figures'))?.smoke).toStrictEqual(smoke);
  });
});

describe('Corrupt stored items', () => {
  /** Expects a CorruptItemError whose message names the item's key and every field in `fields`. */
  const corrupt = async (attempt: Promise<unknown>, itemKey: string, fields: string[]) => {
    const error = await attempt.then(
      () => {
        throw new Error('expected a CorruptItemError');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptItemError);
    expect((error as Error).name).toBe('CorruptItemError');
    const { message } = error as Error;
    expect(message).toContain(itemKey);
    for (const field of fields) expect(message).toContain(`${field}:`);
  };

  it('names the deployment item and its fields, from get, update and the history', async () => {
    await putRaw(
      deploymentItem('d-bad', {
        status: 'BOGUS',
        steps: { Prepare: { name: 'Prepare', startedAt: 'x', outcome: 'running', attempts: '1' } },
      }),
    );

    await corrupt(store.get('d-bad'), 'DEP#d-bad / DEP', ['status', 'steps.Prepare.attempts']);
    await corrupt(store.update('d-bad', { reason: 'x' }), 'DEP#d-bad', ['status']);
    await corrupt(store.listByFunction('corrupt-fn'), 'DEP#d-bad', ['status']);
  });

  it('names a deployment item missing a required field', async () => {
    const { request: _, ...item } = deploymentItem('d-norequest', {});
    await putRaw(item);
    await corrupt(store.get('d-norequest'), 'DEP#d-norequest', ['request']);
  });

  it('names the settings item and field, from getSettings and listFunctions', async () => {
    await putRaw(settingsItem('bad-settings', { team: 7, sizeBudgetBytes: -1 }));
    await corrupt(store.getSettings('bad-settings'), 'FN#bad-settings / SETTINGS', [
      'settings.team',
      'settings.sizeBudgetBytes',
    ]);
    await corrupt(store.listFunctions(), 'FN#bad-settings', ['settings.team']);
  });

  it('names a lock item without its owner', async () => {
    await putRaw({ ...lockKey('bad-lock'), functionName: 'bad-lock', expiresAt: 1 });
    await corrupt(store.getLock('bad-lock'), 'LOCK#bad-lock / LOCK', ['owner']);
  });

  it('names a rule, a Slack link and a token whose value is not what the port returns', async () => {
    await putRaw({
      ...key('RULES', 'REPO#team/api'),
      rule: { repository: 'team/api', enabled: 'yes' },
    });
    await putRaw({ ...key('SLACKUSERS', 'USER#U1'), link: { userId: 'U1', team: null } });
    await putRaw({ ...key(`TOKEN#${'c'.repeat(64)}`, 'TOKEN'), team: 42 });
    await putRaw({
      ...key('TOKENS', 'TOKEN#cccccccccccc'),
      token: { id: 'cccccccccccc', team: '' },
    });

    const rules = new DynamoRuleStore(db.client, TABLE);
    await corrupt(rules.getRule('team/api'), 'RULES / REPO#team/api', [
      'rule.tagPattern',
      'rule.enabled',
    ]);
    await corrupt(rules.listRules(), 'RULES / REPO#team/api', ['rule.functions']);
    const links = new DynamoSlackUserLinks(db.client, TABLE);
    await corrupt(links.teamOf('U1'), 'SLACKUSERS / USER#U1', ['link.team']);
    const tokens = new DynamoTokenStore(db.client, TABLE);
    await corrupt(tokens.teamOf('c'.repeat(64)), `TOKEN#${'c'.repeat(64)} / TOKEN`, ['team']);
    await corrupt(tokens.list(), 'TOKENS / TOKEN#cccccccccccc', ['token.team', 'token.createdAt']);
  });
});
