import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../local/dynalite-server.ts';
import { DynamoSlackUserLinks } from './dynamo-slack-users.ts';

let db: RunningDynalite;
let links: DynamoSlackUserLinks;

beforeAll(async () => {
  db = await startDynalite();
  await createStoreTable(db.client, 'ferry-slack-users-test');
  links = new DynamoSlackUserLinks(db.client, 'ferry-slack-users-test');
});
afterAll(() => db.close());

const link = (userId: string, team: string) => ({
  userId,
  team,
  linkedBy: 'token:platform:abc',
  linkedAt: '2026-11-28T12:00:00.000Z',
});

describe('Class: DynamoSlackUserLinks', () => {
  it('links, relinks, lists and unlinks Slack users', async () => {
    expect(await links.teamOf('U0ANN')).toBeNull();
    await links.link(link('U0ANN', 'payments'));
    await links.link(link('W0BOB', 'search'));
    await links.link(link('U0ANN', 'search'));
    expect(await links.teamOf('U0ANN')).toBe('search');
    expect((await links.list()).map((l) => `${l.userId}=${l.team}`).sort()).toEqual([
      'U0ANN=search',
      'W0BOB=search',
    ]);
    await links.unlink('U0ANN');
    await links.unlink('U0ANN'); // idempotent
    expect(await links.teamOf('U0ANN')).toBeNull();
    expect(await links.list()).toEqual([link('W0BOB', 'search')]);
  });
});
