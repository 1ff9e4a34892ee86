/**
 * Slack acknowledgement latency: signed `/ferry` commands through the real app and the DynamoDB
 * store on dynalite (the workflow start is a no-op here; on AWS it is one StartExecution call).
 * Slack gives up after 3 s, so the figure that matters is the slowest acknowledgement.
 */

import { DynamoDeploymentStore } from '../services/adapters/aws/dynamo-store.ts';
import { DynamoTokenStore } from '../services/adapters/aws/dynamo-token-store.ts';
import { createApp } from '../services/api/app.ts';
import { parseFunctionSettings } from '../services/core/settings.ts';
import { testApiDeps } from '../test/support/api-deps.ts';
import { createStoreTable, startDynalite } from '../test/support/dynalite.ts';
import { slackHeaders, slashCommandBody } from '../test/support/slack-request.ts';

const SECRET = 'bench-slack-secret';
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/team/orders@sha256:${'a'.repeat(64)}`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Runs the Slack acknowledgement benchmark and returns printable lines. */
export async function benchSlack(runs = 100): Promise<string[]> {
  const db = await startDynalite();
  try {
    await createStoreTable(db.client, 'ferry-bench-slack');
    const store = new DynamoDeploymentStore(db.client, {
      tableName: 'ferry-bench-slack',
      cursorSecret: 'bench-cursor-secret',
    });
    const tokens = new DynamoTokenStore(db.client, 'ferry-bench-slack');
    const workflow = { start: async () => {} };
    const app = createApp(
      testApiDeps(
        { store, workflow, tokens },
        { slack: { signingSecret: async () => SECRET, users: { U0PAY: 'payments' } } },
      ),
    );
    await store.putSettings('orders', parseFunctionSettings({ team: 'payments' }));
    const ack = async (text: string) => {
      const body = slashCommandBody({ text, userId: 'U0PAY' });
      const started = performance.now();
      const res = await app.request('/v1/chatops/slack', {
        method: 'POST',
        headers: slackHeaders(SECRET, Math.floor(Date.now() / 1000), body),
        body,
      });
      const answer = await res.text();
      const ms = performance.now() - started;
      if (res.status !== 200 || answer.includes(':warning:'))
        throw new Error(`ack failed: ${answer}`);
      return { ms, answer };
    };
    const lines: string[] = [];
    let last = '';
    for (const kind of ['deploy', 'status', 'history'] as const) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const text =
          kind === 'deploy'
            ? `deploy orders ${IMAGE}`
            : kind === 'status'
              ? `status ${last}`
              : 'history orders';
        const { ms, answer } = await ack(text);
        times.push(ms);
        if (kind === 'deploy') {
          last = /d-[0-9A-Z]{26}/.exec(answer)?.[0] ?? '';
          await store.update(last, { status: 'SUCCEEDED' });
          await store.releaseLock('orders', last);
        }
      }
      times.sort((a, b) => a - b);
      lines.push(
        `Slack /ferry ${kind} ack: p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms over ${runs} (dynalite) = ${((times.at(-1) ?? 0) / 3000).toFixed(3)}× Slack's 3 s limit`,
      );
    }
    return lines;
  } finally {
    await db.close();
  }
}
