/**
 * POST /v1/chatops/slack through the real app and the DynamoDB store on dynalite: Slack's
 * signature is the only way in, a verified command acts for the mapped team with the API's
 * authorization, and a refusal is an ephemeral answer that changes nothing.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../services/api/app.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { newDeploymentId } from '../../services/core/ids.ts';
import vector from '../fixtures/slack-signing.json' with { type: 'json' };
import { slackHeaders, slashCommandBody } from '../support/slack-request.ts';
import { type ApiWorld, createApiWorld, IMAGE, SLACK_SECRET } from './api-world.ts';
import { inRelease } from './response-cases/fixtures.ts';

let w: ApiWorld;
beforeEach(async () => {
  await w?.close();
  w = await createApiWorld();
});
afterAll(() => w.close());

const now = () => Math.floor(Date.now() / 1000);
const REPLY = 'https://hooks.slack.com/commands/T0FERRY/42/reply-secret';

/** Sends a slash command as Slack would; `sign` may alter what is signed. */
async function slash(
  text: string,
  options: {
    userId?: string;
    responseUrl?: string;
    workspace?: string;
    headers?: Record<string, string>;
    body?: string;
    app?: ReturnType<typeof createApp>;
  } = {},
) {
  const body =
    options.body ??
    slashCommandBody({
      text,
      userId: options.userId ?? 'U0PAY',
      responseUrl: options.responseUrl ?? REPLY,
      ...(options.workspace ? { workspace: options.workspace } : {}),
    });
  const res = await (options.app ?? w.app).request('/v1/chatops/slack', {
    method: 'POST',
    headers: options.headers ?? slackHeaders(SLACK_SECRET, now(), body),
    body,
  });
  const raw = await res.text();
  return { status: res.status, body: raw ? JSON.parse(raw) : {}, raw };
}

/** Every deployment of `orders` in the store. */
const deploymentsOfOrders = async () => (await w.store.listByFunction('orders')).items;

describe('API: Slack slash command — verification', () => {
  it("accepts Slack's published signing example when the clock is at its timestamp", async () => {
    const app = createApp({
      ...w.deps,
      clock: { now: () => new Date((Number(vector.timestamp) + 10) * 1000) },
      slack: { signingSecret: async () => vector.signingSecret, users: {} },
    });
    const res = await slash('', {
      app,
      body: vector.body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': vector.timestamp,
        'x-slack-signature': vector.expectedSignature,
      },
    });
    expect(res.status).toBe(200);
    // The example's text is empty: help, which unmapped users may read.
    expect(res.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(res.body.blocks)).toContain('/ferry deploy');
  });

  const deployBody = slashCommandBody({ text: `deploy orders ${IMAGE}`, userId: 'U0PAY' });
  const cases: Array<[string, () => Record<string, string>, string?]> = [
    ['signed with another secret', () => slackHeaders('not-the-secret', now(), deployBody)],
    ['stale (301 s old)', () => slackHeaders(SLACK_SECRET, now() - 301, deployBody)],
    ['from the future (+301 s)', () => slackHeaders(SLACK_SECRET, now() + 301, deployBody)],
    ['unsigned', () => ({ 'content-type': 'application/x-www-form-urlencoded' })],
    [
      'missing the timestamp',
      () => {
        const { 'x-slack-request-timestamp': _, ...rest } = slackHeaders(
          SLACK_SECRET,
          now(),
          deployBody,
        );
        return rest;
      },
    ],
    [
      'with the body changed by one byte after signing',
      () => slackHeaders(SLACK_SECRET, now(), deployBody),
      deployBody.replace('orders', 'orderz'),
    ],
  ];
  it.each(cases)('refuses a request %s with 401 and does nothing', async (_, headers, body) => {
    const res = await slash('', { headers: headers(), body: body ?? deployBody });
    expect(res.status).toBe(401);
    expect(res.body.type).toBe('urn:ferry:problem:unauthenticated');
    expect(await deploymentsOfOrders()).toHaveLength(0);
    expect(w.workflow.started).toHaveLength(0);
    expect(await w.store.getLock('orders')).toBeNull();
  });

  it('refuses a replayed request once its 5-minute window has passed', async () => {
    const signedAt = now() - 299;
    const headers = slackHeaders(SLACK_SECRET, signedAt, deployBody);
    const first = await slash('', { headers, body: deployBody });
    expect(first.status).toBe(200);
    const late = createApp({ ...w.deps, clock: { now: () => new Date((signedAt + 301) * 1000) } });
    const replay = await slash('', { headers, body: deployBody, app: late });
    expect(replay.status).toBe(401);
    expect(w.workflow.started).toHaveLength(1);
  });

  it("answers Slack's signed ssl_check with an empty 200, an unsigned one with 401", async () => {
    const body = 'ssl_check=1&token=x';
    expect(
      (await slash('', { body, headers: slackHeaders(SLACK_SECRET, now(), body) })).status,
    ).toBe(200);
    expect(
      (await slash('', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }))
        .status,
    ).toBe(401);
  });

  it('answers 404 when Slack is not configured, before reading anything', async () => {
    const { slack: _, ...deps } = w.deps;
    const res = await slash(`deploy orders ${IMAGE}`, { app: createApp(deps) });
    expect(res.status).toBe(404);
  });
});

describe('API: Slack slash command — commands', () => {
  it('deploys for the mapped team, records trigger slack and keeps the response_url apart', async () => {
    const res = await slash(`deploy orders ${IMAGE}`);
    expect(res.status).toBe(200);
    expect(res.body.response_type).toBe('ephemeral');
    const [d] = await deploymentsOfOrders();
    expect(d).toMatchObject({
      functionName: 'orders',
      status: 'PENDING',
      team: 'payments',
      trigger: { kind: 'slack', actor: 'slack:T0FERRY:U0PAY' },
      request: { image: IMAGE },
    });
    expect(res.raw).toContain(d?.id);
    expect(res.raw).toContain('Progress and the result will be posted here');
    expect(w.workflow.started).toEqual([d?.id]);
    await expect(w.store.getReplyUrl(d?.id ?? '')).resolves.toBe(REPLY);
    // The API never hands the reply URL out.
    const read = await w.call('payments', 'GET', `/v1/deployments/${d?.id}`);
    expect(JSON.stringify(read.body)).not.toContain('reply-secret');
  });

  it('deploys with the release strategy named after the image, stored in its explicit form', async () => {
    const res = await slash(`deploy orders ${IMAGE} Linear10PercentEvery1Minute`);
    expect(res.status).toBe(200);
    const [d] = await deploymentsOfOrders();
    expect(d?.request).toEqual({
      image: IMAGE,
      reason: expect.any(String),
      release: { strategy: 'linear', percent: 10, intervalSeconds: 60 },
    });
  });

  it.each([
    ['an internal address', 'http://169.254.169.254/latest/meta-data/'],
    ['a look-alike host', 'https://hooks.slack.com.evil.example/commands/x'],
    ['plain http to Slack', 'http://hooks.slack.com/commands/x'],
    ['user info before the host', 'https://hooks.slack.com@evil.example/x'],
    ['not a URL', 'javascript:alert(1)'],
  ])('deploys but never remembers a response_url at %s', async (_, responseUrl) => {
    const res = await slash(`deploy orders ${IMAGE}`, { responseUrl });
    const [d] = await deploymentsOfOrders();
    expect(d?.status).toBe('PENDING');
    await expect(w.store.getReplyUrl(d?.id ?? '')).resolves.toBeNull();
    expect(res.raw).toContain(`/ferry status ${d?.id}`);
  });

  it('refuses a user who is not mapped to a team, changing nothing', async () => {
    const res = await slash(`deploy orders ${IMAGE}`, { userId: 'U0NOBODY' });
    expect(res.status).toBe(200);
    expect(res.raw).toContain('not mapped to a Ferry team');
    expect(await deploymentsOfOrders()).toHaveLength(0);
    expect(w.workflow.started).toHaveLength(0);
  });

  it("refuses another team's function with the API's reason, changing nothing", async () => {
    const res = await slash(`deploy orders ${IMAGE}`, { userId: 'U0SEARCH' });
    expect(res.status).toBe(200);
    expect(res.body.text).toContain('belongs to team payments');
    expect(await deploymentsOfOrders()).toHaveLength(0);
    expect(await w.store.getLock('orders')).toBeNull();
  });

  it('lets the admin team deploy any function', async () => {
    await slash(`deploy orders ${IMAGE}`, { userId: 'U0PLAT' });
    expect((await deploymentsOfOrders())[0]?.trigger.actor).toBe('slack:T0FERRY:U0PLAT');
  });

  it('refuses a workspace that is not connected when workspaces are listed', async () => {
    const app = createApp({
      ...w.deps,
      slack: { ...(w.deps.slack as NonNullable<typeof w.deps.slack>), workspaces: ['T0FERRY'] },
    });
    const res = await slash(`deploy orders ${IMAGE}`, { app, workspace: 'T0OTHER' });
    expect(res.raw).toContain('not connected to Ferry');
    expect(await deploymentsOfOrders()).toHaveLength(0);
  });

  it.each([
    ['a mention instead of an image', 'deploy orders <@U0PLAT>'],
    ['shell characters', `deploy orders ${IMAGE};rm`],
    ['an unregistered function', `deploy payments-api ${IMAGE}`],
    ['an image reference that does not parse', 'deploy orders team/orders@sha256:abc'],
    ['an unknown verb', 'destroy orders'],
  ])('answers %s with a warning and changes nothing', async (_, text) => {
    const res = await slash(text);
    expect(res.status).toBe(200);
    expect(res.body.response_type).toBe('ephemeral');
    expect(res.raw).toContain(':warning:');
    expect(await deploymentsOfOrders()).toHaveLength(0);
    expect(w.workflow.started).toHaveLength(0);
  });

  it('says which deployment holds the function when one is in progress', async () => {
    await slash(`deploy orders ${IMAGE}`);
    const [first] = await deploymentsOfOrders();
    const res = await slash(`deploy orders ${IMAGE}`);
    expect(res.raw).toContain(':warning:');
    expect(res.raw).toContain(first?.id);
    expect(await deploymentsOfOrders()).toHaveLength(1);
  });

  it('shows status to the owning team only, escaping what came from requests', async () => {
    await slash(`deploy orders ${IMAGE}`);
    const [d] = (await deploymentsOfOrders()) as Deployment[];
    await w.store.update(d?.id ?? '', {
      status: 'ROLLED_BACK',
      reason: 'smoke said <!channel> & <@U1>',
    });
    const mine = await slash(`status ${d?.id}`);
    expect(mine.raw).toContain('ROLLED_BACK');
    expect(mine.raw).toContain('smoke said &lt;!channel&gt; &amp; &lt;@U1&gt;');
    expect(mine.raw).not.toContain('<!channel>');
    const theirs = await slash(`status ${d?.id}`, { userId: 'U0SEARCH' });
    expect(theirs.raw).toContain('belongs to team payments');
    expect(theirs.raw).not.toContain('ROLLED_BACK');
  });

  it('lists history newest first', async () => {
    const ids: string[] = [];
    for (const c of ['a', 'b']) {
      await slash(`deploy orders ${IMAGE.replace(/a{64}$/, c.repeat(64))}`);
      const [d] = await deploymentsOfOrders();
      ids.push(d?.id ?? '');
      await w.store.update(d?.id ?? '', { status: 'SUCCEEDED' });
      await w.store.releaseLock('orders', d?.id ?? '');
    }
    const res = await slash('history orders');
    expect(res.raw.indexOf(ids[1] ?? '')).toBeLessThan(res.raw.indexOf(ids[0] ?? ''));
    expect(res.raw).toContain('SUCCEEDED');
  });

  it('rolls back to the previous good digest, or says there is nothing to roll back to', async () => {
    const none = await slash('rollback orders');
    expect(none.raw).toContain('nothing to roll back to');
    const digests: string[] = [];
    for (const c of ['a', 'b']) {
      const image = IMAGE.replace(/a{64}$/, c.repeat(64));
      await slash(`deploy orders ${image}`);
      const [d] = await deploymentsOfOrders();
      const digest = `sha256:${c.repeat(64)}`;
      digests.push(digest);
      await w.store.update(d?.id ?? '', {
        status: 'SUCCEEDED',
        release: { version: c, digest, imageUri: image },
      });
      await w.store.releaseLock('orders', d?.id ?? '');
    }
    const res = await slash('rollback orders');
    expect(res.raw).toContain('Rolling back');
    const [rb] = await deploymentsOfOrders();
    expect(rb).toMatchObject({
      trigger: { kind: 'rollback', actor: 'slack:T0FERRY:U0PAY' },
      request: { image: expect.stringContaining(digests[0] ?? '-') },
    });
    await expect(w.store.getReplyUrl(rb?.id ?? '')).resolves.toBe(REPLY);
  });

  it('answers help to anyone, mapped or not', async () => {
    for (const userId of ['U0PAY', 'U0NOBODY']) {
      const res = await slash('help', { userId });
      expect(res.raw).toContain('/ferry rollback');
      expect(res.raw).toContain('/ferry approve');
      expect(res.raw).toContain('/ferry abort');
    }
  });
});

describe('API: Slack slash command — approve and abort', () => {
  /** A RUNNING canary of `orders` in `phase`, with the hold its workflow task keeps. */
  async function waiting(phase: 'holding' | 'awaiting-approval'): Promise<string> {
    const id = newDeploymentId();
    await w.store.create(inRelease(id, phase));
    await w.store.putHold({
      deploymentId: id,
      kind: phase === 'holding' ? 'step' : 'approval',
      token: `token-${id}`,
      since: new Date().toISOString(),
      expiresAt: now() + 3600,
    });
    return id;
  }

  it('approves for the linked team, as the Slack user', async () => {
    const id = await waiting('awaiting-approval');
    const res = await slash(`approve ${id}`);
    expect(res.status).toBe(200);
    expect(res.body.response_type).toBe('ephemeral');
    expect(res.raw).toContain('Approved *orders*');
    expect(res.raw).toContain('the rest of the traffic moves to the new version');
    expect((await w.store.get(id))?.approval?.by).toBe('slack:T0FERRY:U0PAY');
    expect(w.callbacks.resumed).toContainEqual({
      token: `token-${id}`,
      decision: { action: 'approve', by: 'slack:T0FERRY:U0PAY' },
    });
  });

  it('aborts for the linked team, and answers a repeat the same way', async () => {
    const id = await waiting('holding');
    for (const userId of ['U0PAY', 'U0PLAT']) {
      const res = await slash(`abort ${id}`, { userId });
      expect(res.raw).toContain('Aborted *orders*');
      expect(res.raw).toContain('(by slack:T0FERRY:U0PAY): it is rolling back');
    }
    expect((await w.store.get(id))?.abort?.by).toBe('slack:T0FERRY:U0PAY');
  });

  it("refuses another team's deployment and a wrong phase with the use case's reason, changing nothing", async () => {
    const id = await waiting('holding');
    const theirs = await slash(`abort ${id}`, { userId: 'U0SEARCH' });
    expect(theirs.raw).toContain('belongs to team payments');
    expect(theirs.raw).toContain(':warning:');
    const early = await slash(`approve ${id}`);
    expect(early.raw).toContain('is not waiting for an approval: it is holding at step 1/2');
    const d = await w.store.get(id);
    expect([d?.abort, d?.approval]).toEqual([undefined, undefined]);
    expect(w.callbacks.resumed).toEqual([]);
  });

  it('shows the traffic in /ferry status', async () => {
    const id = await waiting('awaiting-approval');
    const res = await slash(`status ${id}`);
    expect(res.raw).toContain('canary 10% for 5 min, then all');
    expect(res.raw).toContain('10% → the new version · step 1/2 · awaiting approval');
  });
});
