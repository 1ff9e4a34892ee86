import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aDeployment } from '../../../test/fakes/deployments.ts';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import { MemoryMessageClaims } from '../../../test/fakes/memory-claims.ts';
import { MemoryStore } from '../../../test/fakes/memory-store.ts';
import { type SlackStandIn, startSlackStandIn } from '../../../test/support/slack-stand-in.ts';
import type { Deployment } from '../../core/deployment.ts';
import { jsonLogger } from '../../core/logger.ts';
import { parseFunctionSettings } from '../../core/settings.ts';
import { SlackWebhookNotifier } from './slack-notifier.ts';

// A local HTTP server stands in for Slack's webhook endpoint.
let slack: SlackStandIn;
let url: string;
const received = () => slack.received.map((m) => m.body);
beforeEach(async () => {
  slack = await startSlackStandIn();
  url = `${slack.origin}/services/T000/B000/SECRETTOKEN`;
});
afterEach(() => slack.close());

const deployment: Deployment = aDeployment({
  id: 'd-01M8HC7YVQBKF5577ZYS09W285',
  status: 'ROLLBACK_FAILED',
  updatedAt: '2026-11-28T12:00:09.000Z',
  release: { version: '4', digest: `sha256:${'b'.repeat(64)}`, imageUri: 'x' },
  scan: undefined,
  reason: 'rollback failed (<script>) after: smoke failed',
});

async function setup(delivery: { fetch?: typeof fetch; attemptTimeoutMs?: number } = {}) {
  const store = new MemoryStore();
  const claims = new MemoryMessageClaims(new ManualClock());
  await store.putSettings(
    'orders',
    parseFunctionSettings({ team: 'payments', notifyChannel: 'payments-deploys' }),
  );
  const logs: string[] = [];
  const notifier = new SlackWebhookNotifier({
    webhookFor: async (channel) => (channel === 'payments-deploys' ? url : undefined),
    store,
    claims,
    logger: jsonLogger({}, (line) => logs.push(line)),
    sleep: async () => {},
    ...delivery,
  });
  return { notifier, logs, store, claims };
}

describe('Class: SlackWebhookNotifier', () => {
  it('sends a Block Kit message marked critical for ROLLBACK_FAILED, escaping request text', async () => {
    const { notifier } = await setup();
    await notifier.notify({ deployment, status: 'ROLLBACK_FAILED', critical: true });
    expect(received()).toHaveLength(1);
    const text = JSON.stringify(received()[0]);
    expect(text).toContain('*CRITICAL* orders: ROLLBACK_FAILED');
    expect(text).toContain('&lt;script&gt;');
    expect(text).not.toContain('<script>');
  });

  it('sends each (deployment, status) once, even when asked twice or concurrently', async () => {
    const { notifier } = await setup();
    await Promise.all([
      notifier.notify({ deployment, status: 'SUCCEEDED', critical: false }),
      notifier.notify({ deployment, status: 'SUCCEEDED', critical: false }),
    ]);
    await notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });
    await notifier.notify({ deployment, status: 'ROLLED_BACK', critical: false });
    expect(received().map((m) => m.text.split(' — ')[0])).toEqual([
      'orders: SUCCEEDED',
      'orders: ROLLED_BACK',
    ]);
  });

  it('retries 5xx with backoff and never logs the webhook URL', async () => {
    const { notifier, logs } = await setup();
    slack.failNext(2);
    await notifier.notify({ deployment, status: 'FAILED', critical: false });
    expect(received()).toHaveLength(1);
    expect(logs.filter((l) => l.includes('slack message attempt failed'))).toHaveLength(2);
    expect(logs.join('\n')).not.toContain('SECRETTOKEN');
    expect(logs.join('\n')).not.toContain(url);
  });

  it('does not follow a redirect (it could point anywhere) and does not retry it', async () => {
    const { notifier } = await setup();
    const elsewhere = await startSlackStandIn();
    slack.redirectTo(`${elsewhere.origin}/collect`);
    await notifier.notify({ deployment, status: 'FAILED', critical: false });
    expect(elsewhere.received).toEqual([]);
    await elsewhere.close();
  });

  it('sends nothing for a function without a notify channel', async () => {
    const { notifier, store } = await setup();
    await store.putSettings('orders', parseFunctionSettings({ team: 'payments' }));
    await notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });
    expect(received()).toEqual([]);
  });

  it('gives the claim back when Slack keeps failing, throwing TransientError so a retry sends it', async () => {
    const { notifier, claims } = await setup();
    slack.failNext(4);

    await expect(
      notifier.notify({ deployment, status: 'ROLLBACK_FAILED', critical: true }),
    ).rejects.toMatchObject({ name: 'TransientError' });
    expect(received()).toEqual([]);
    expect(claims.expiries.size).toBe(0);

    await notifier.notify({ deployment, status: 'ROLLBACK_FAILED', critical: true });
    await notifier.notify({ deployment, status: 'ROLLBACK_FAILED', critical: true });
    expect(received().map((m) => m.text.split(' — ')[0])).toEqual(['orders: ROLLBACK_FAILED']);
    expect(JSON.stringify(received()[0])).toContain('*CRITICAL*');
  });

  it('gives the claim back without throwing when Slack refuses the message (no retry helps)', async () => {
    const { notifier, logs } = await setup();
    slack.redirectTo('http://127.0.0.1:9/elsewhere');
    await notifier.notify({ deployment, status: 'FAILED', critical: false });
    expect(logs.join('\n')).toContain('"outcome":"refused"');

    // Once the endpoint answers again, a later attempt (a retried step) can still send it.
    slack.redirectTo(undefined);
    await notifier.notify({ deployment, status: 'FAILED', critical: false });
    expect(received()).toHaveLength(1);
  });

  it('bounds each POST, so a Slack that never answers is a failed attempt, not a hung step', async () => {
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    const { notifier, logs, claims } = await setup({ fetch: hanging, attemptTimeoutMs: 20 });

    await expect(
      notifier.notify({ deployment, status: 'SUCCEEDED', critical: false }),
    ).rejects.toMatchObject({ name: 'TransientError' });
    expect(logs.filter((l) => l.includes('"answer":"TimeoutError"'))).toHaveLength(4);
    expect(claims.expiries.size).toBe(0);
  });
});
