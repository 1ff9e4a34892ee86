/**
 * The notifier composition both runtimes use: every enabled notifier hears a status once, each
 * through its own claim, with links from the public base URL; what is not configured is not sent.
 * A local HTTP server stands in for Slack.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { ManualClock } from '../../test/fakes/manual-clock.ts';
import { MemoryMessageClaims } from '../../test/fakes/memory-claims.ts';
import { MemoryStore } from '../../test/fakes/memory-store.ts';
import { RecordingNotifier } from '../../test/fakes/recording-notifier.ts';
import { type SlackStandIn, startSlackStandIn } from '../../test/support/slack-stand-in.ts';
import { jsonLogger } from '../core/logger.ts';
import { parseFunctionSettings } from '../core/settings.ts';
import { deploymentNotifier } from './deployment-notifier.ts';

let slack: SlackStandIn;
beforeEach(async () => {
  slack = await startSlackStandIn();
});
afterEach(() => slack.close());

const deployment = aDeployment({ status: 'SUCCEEDED' });
const succeeded = { deployment, status: 'SUCCEEDED', critical: false } as const;

async function parts() {
  const store = new MemoryStore();
  const claims = new MemoryMessageClaims(new ManualClock());
  await store.putSettings(
    'orders',
    parseFunctionSettings({ team: 'payments', notifyChannel: 'payments-deploys' }),
  );
  await store.create(deployment);
  await store.putReplyUrl(deployment.id, `${slack.origin}/commands/reply`, 4_102_444_800);
  const logs: string[] = [];
  return { store, claims, logs, logger: jsonLogger({}, (line) => logs.push(line)) };
}

describe('Function: deploymentNotifier', () => {
  it('sends a status once to the log, the channel, the reply URL and the events', async () => {
    const { logs, ...p } = await parts();
    const events = new RecordingNotifier();
    const notifier = deploymentNotifier({
      ...p,
      publicBaseUrl: 'https://ferry.example.com//',
      webhookFor: async (channel) =>
        channel === 'payments-deploys' ? `${slack.origin}/services/T/B/x` : undefined,
      replyOrigins: [slack.origin],
      events,
    });
    await notifier.notify(succeeded);
    await notifier.notify(succeeded);

    expect(slack.received.map((m) => m.path).sort()).toEqual([
      '/commands/reply',
      '/services/T/B/x',
    ]);
    for (const m of slack.received)
      expect(JSON.stringify(m.body)).toContain(
        `https://ferry.example.com/deployments/${deployment.id}`,
      );
    expect(events.sent).toHaveLength(1);
    expect(logs.filter((line) => line.includes('"deployment status"'))).toHaveLength(1);
  });

  it('leaves out the channel and the events when neither is configured', async () => {
    const { logs: _, ...p } = await parts();
    const notifier = deploymentNotifier({ ...p, replyOrigins: [slack.origin] });
    await notifier.notify(succeeded);

    expect(slack.received.map((m) => m.path)).toEqual(['/commands/reply']);
    const channels = [...p.claims.expiries.keys()].map((key) => key.split(' ')[0]);
    expect(channels.sort()).toEqual(['log', 'reply']);
  });
});
