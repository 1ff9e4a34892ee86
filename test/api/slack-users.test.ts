/**
 * `/v1/slack-users`: the admin team links Slack users to teams without a redeploy, and a linked
 * user's slash commands act for that team. Real app, DynamoDB store on dynalite.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoSlackUserLinks } from '../../services/adapters/aws/dynamo-slack-users.ts';
import { slackHeaders, slashCommandBody } from '../support/slack-request.ts';
import { type ApiWorld, createApiWorld, IMAGE, SLACK_SECRET } from './api-world.ts';

let w: ApiWorld;
beforeEach(async () => {
  await w?.close();
  w = await createApiWorld();
});
afterAll(() => w.close());

async function slash(text: string, userId: string) {
  const body = slashCommandBody({ text, userId });
  const res = await w.app.request('/v1/chatops/slack', {
    method: 'POST',
    headers: slackHeaders(SLACK_SECRET, Math.floor(Date.now() / 1000), body),
    body,
  });
  return (await res.json()) as { text?: string; blocks?: unknown };
}

describe('API: /v1/slack-users', () => {
  it('links a user (admin), lists configuration and links, and the user deploys as that team', async () => {
    expect((await slash(`deploy orders ${IMAGE}`, 'U0NEWBIE')).text).toContain(
      'ferry slack-users link U0NEWBIE &lt;team&gt;', // Slack's escaping of < and >
    );

    const linked = await w.call('platform', 'PUT', '/v1/slack-users/U0NEWBIE', {
      team: 'payments',
    });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({
      userId: 'U0NEWBIE',
      team: 'payments',
      source: 'api',
      linkedBy: expect.stringMatching(/^token:platform:/),
      linkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const list = await w.call('platform', 'GET', '/v1/slack-users');
    expect(list.status).toBe(200);
    expect(
      (list.body.items as { userId: string; team: string; source: string }[]).map(
        (l) => `${l.userId}=${l.team}/${l.source}`,
      ),
    ).toEqual([
      'U0PAY=payments/config',
      'U0SEARCH=search/config',
      'U0PLAT=platform/config',
      'U0NEWBIE=payments/api',
    ]);

    const reply = JSON.stringify(await slash(`deploy orders ${IMAGE}`, 'U0NEWBIE'));
    expect(reply).toContain('Deploying');
    const [d] = (await w.store.listByFunction('orders')).items;
    expect(d?.trigger).toEqual({ kind: 'slack', actor: 'slack:T0FERRY:U0NEWBIE' });
    expect(w.workflow.started).toEqual([d?.id]);
  });

  it('unlinks a user, after which their commands are refused and change nothing', async () => {
    await w.call('platform', 'PUT', '/v1/slack-users/U0NEWBIE', { team: 'payments' });
    expect((await w.call('platform', 'DELETE', '/v1/slack-users/U0NEWBIE')).status).toBe(204);
    // Idempotent.
    expect((await w.call('platform', 'DELETE', '/v1/slack-users/U0NEWBIE')).status).toBe(204);
    expect((await slash(`deploy orders ${IMAGE}`, 'U0NEWBIE')).text).toContain(
      'not mapped to a Ferry team',
    );
    expect((await w.store.listByFunction('orders')).items).toHaveLength(0);
  });

  it('leaves users mapped in the stack configuration to it: no override, no unlink (409)', async () => {
    const put = await w.call('platform', 'PUT', '/v1/slack-users/U0PAY', { team: 'platform' });
    expect(put.status).toBe(409);
    expect(put.body.detail).toContain('ferry:slackUsers');
    expect((await w.call('platform', 'DELETE', '/v1/slack-users/U0PAY')).status).toBe(409);
    // Even a link written to the table behind the API's back does not beat the configuration.
    await (w.deps.slackUsers as DynamoSlackUserLinks).link({
      userId: 'U0PAY',
      team: 'platform',
      linkedBy: 'someone',
      linkedAt: new Date().toISOString(),
    });
    await w.call('platform', 'PUT', '/v1/functions/search-api', { team: 'search' });
    expect((await slash(`deploy search-api ${IMAGE}`, 'U0PAY')).text).toContain(
      'belongs to team search',
    );
    expect((await w.store.listByFunction('search-api')).items).toHaveLength(0);
    const list = await w.call('platform', 'GET', '/v1/slack-users');
    expect(list.body.items).toContainEqual({ userId: 'U0PAY', team: 'payments', source: 'config' });
    expect(list.body.items).not.toContainEqual(expect.objectContaining({ source: 'api' }));
  });

  it.each([
    ['payments', 'PUT', 403],
    ['search', 'GET', 403],
    ['payments', 'DELETE', 403],
    [null, 'GET', 401],
    [null, 'PUT', 401],
  ] as const)('refuses %s %s with %i and changes nothing', async (who, method, status) => {
    const res = await w.call(
      who,
      method,
      method === 'GET' ? '/v1/slack-users' : '/v1/slack-users/U0NEWBIE',
      method === 'PUT' ? { team: 'payments' } : undefined,
    );
    expect(res.status).toBe(status);
    expect(await w.deps.slackUsers?.list()).toEqual([]);
  });

  it.each([
    ['a lowercase id', '/v1/slack-users/u0newbie', { team: 'payments' }],
    ['a channel id', '/v1/slack-users/C0CHANNEL', { team: 'payments' }],
    ['no team', '/v1/slack-users/U0NEWBIE', {}],
    ['an empty team', '/v1/slack-users/U0NEWBIE', { team: '' }],
    ['an unknown field', '/v1/slack-users/U0NEWBIE', { team: 'payments', admin: true }],
  ])('answers 400 to %s and links nothing', async (_, path, body) => {
    const res = await w.call('platform', 'PUT', path, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await w.deps.slackUsers?.list()).toEqual([]);
  });
});
