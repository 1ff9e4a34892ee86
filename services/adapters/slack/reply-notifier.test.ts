import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import { MemoryMessageClaims } from '../../../test/fakes/memory-claims.ts';
import { MemoryStore } from '../../../test/fakes/memory-store.ts';
import { type SlackStandIn, startSlackStandIn } from '../../../test/support/slack-stand-in.ts';
import type { Deployment } from '../../core/deployment.ts';
import { jsonLogger } from '../../core/logger.ts';
import { SlackReplyNotifier } from './reply-notifier.ts';

// A local HTTP server stands in for Slack's response_url endpoint.
let slack: SlackStandIn;
beforeEach(async () => {
  slack = await startSlackStandIn();
});
afterEach(() => slack.close());

const deployment: Deployment = {
  id: 'd-01M8HC7YVQBKF5577ZYS09W285',
  functionName: 'orders',
  status: 'RUNNING',
  createdAt: '2026-11-28T12:00:00.000Z',
  updatedAt: '2026-11-28T12:00:01.000Z',
  trigger: { kind: 'slack', actor: 'slack:T0:U0PAY' },
  request: { image: 'team/orders:v2' },
  steps: [],
  release: { version: '7', digest: `sha256:${'c'.repeat(64)}`, imageUri: 'x' },
  scan: {
    verdict: 'pass',
    reasons: [],
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    architecture: 'amd64',
    compressedBytes: 12 * 1024 ** 2,
    uncompressedBytes: null,
    layerCount: 3,
    largestLayers: [],
    budgetBytes: 250 * 1024 ** 2,
    liveCompressedBytes: null,
    growthRatio: null,
    maxGrowthRatio: 1.5,
  },
  smoke: {
    passed: true,
    statusCode: 200,
    responseExcerpt: '{}',
    initDurationMs: 412.5,
    durationMs: 3.1,
    maxMemoryUsedMb: 40,
  },
};

async function setup(replyUrl: string | undefined, origins = [slack.origin]) {
  const store = new MemoryStore();
  if (replyUrl) await store.putReplyUrl(deployment.id, replyUrl, 2_000_000_000);
  const logs: string[] = [];
  const notifier = new SlackReplyNotifier({
    store,
    claims: new MemoryMessageClaims(new ManualClock()),
    replyOrigins: origins,
    logger: jsonLogger({}, (line) => logs.push(line)),
    sleep: async () => {},
    linkFor: (id) => `https://ferry.example/deployments/${id}`,
  });
  return { notifier, logs };
}

describe('Class: SlackReplyNotifier', () => {
  it('posts progress to the requester and the result to the channel, once per status', async () => {
    const { notifier, logs } = await setup(`${slack.origin}/commands/T0/1/REPLYSECRET`);
    await notifier.notify({ deployment, status: 'RUNNING', critical: false });
    await Promise.all([
      notifier.notify({ deployment, status: 'SUCCEEDED', critical: false }),
      notifier.notify({ deployment, status: 'SUCCEEDED', critical: false }),
    ]);
    expect(slack.received.map((m) => [m.body.response_type, m.body.text])).toEqual([
      ['ephemeral', 'orders: RUNNING'],
      ['in_channel', 'orders: SUCCEEDED'],
    ]);
    const result = JSON.stringify(slack.received[1]?.body.blocks);
    // Function, digest, compressed size, init duration, outcome and link.
    for (const part of ['orders', 'sha256:ccccccccccc', '12.0 MiB', '413 ms', 'SUCCEEDED'])
      expect(result).toContain(part);
    expect(result).toContain('<https://ferry.example/deployments/d-01M8HC7YVQBKF5577ZYS09W285|');
    expect(slack.received[1]?.body.replace_original).toBe(false);
    expect(logs.join('\n')).not.toContain('REPLYSECRET');
  });

  it('posts nothing for a deployment that did not come from Slack', async () => {
    const { notifier } = await setup(undefined);
    await notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });
    expect(slack.received).toEqual([]);
  });

  it('refuses a stored URL outside the allowed origins without any request', async () => {
    const elsewhere = await startSlackStandIn();
    const { notifier, logs } = await setup(`${elsewhere.origin}/steal`, [slack.origin]);
    await notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });
    expect(elsewhere.received).toEqual([]);
    expect(logs.join('\n')).toContain('reply URL refused');
    await elsewhere.close();
  });

  it('retries a 5xx and says ROLLBACK_FAILED is critical', async () => {
    const { notifier } = await setup(`${slack.origin}/commands/T0/1/x`);
    slack.failNext(1);
    await notifier.notify({
      deployment: { ...deployment, reason: 'restore failed' },
      status: 'ROLLBACK_FAILED',
      critical: true,
    });
    expect(slack.received).toHaveLength(1);
    expect(JSON.stringify(slack.received[0]?.body)).toContain('*CRITICAL*');
  });

  it('throws TransientError when every attempt fails, and the retry posts it once', async () => {
    const { notifier } = await setup(`${slack.origin}/commands/T0/1/x`);
    slack.failNext(4);
    await expect(
      notifier.notify({ deployment, status: 'SUCCEEDED', critical: false }),
    ).rejects.toMatchObject({ name: 'TransientError' });

    await notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });
    await notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });
    expect(slack.received.map((m) => m.body.text)).toEqual(['orders: SUCCEEDED']);
  });
});
