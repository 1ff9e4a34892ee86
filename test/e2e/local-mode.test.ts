/**
 * Local mode end to end with the real parts: docker-registry, buildah, the function host
 * (unshare + chroot), dynalite on disk, the real ASL. No fakes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../local/demo.ts';
import { startLocalFerry } from '../../local/start.ts';
import { runCli } from '../../services/cli/main.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { callFerry } from '../support/ferry-api.ts';
import { createExampleBuilder } from '../support/images.ts';
import { slackHeaders, slashCommandBody } from '../support/slack-request.ts';
import { startSlackStandIn } from '../support/slack-stand-in.ts';

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'ferry-e2e-'));
const TOKEN = 'ferry_e2e_admin_token_0123456789';
const SLACK_SECRET = 'e2e-slack-signing-secret';
afterAll(() => rmSync(home, { recursive: true, force: true }));

const api = <T>(base: string, method: string, path: string, body?: unknown) =>
  callFerry<T>(base, TOKEN, method, path, body);

interface Page {
  items: Array<{
    id: string;
    status: string;
    trigger: { kind: string };
    release?: { digest?: string };
  }>;
}

describe('Local mode: end to end', () => {
  it('runs the demo: good SUCCEEDED, broken ROLLED_BACK, oversized REJECTED, live alias still good', async () => {
    expect(await runDemo(home)).toBe(0);
  }, 240_000);

  it('keeps history across a restart and rolls a registry push out once per digest', async () => {
    const ferry = await startLocalFerry({ home, port: 0, adminToken: TOKEN, logger: silentLogger });
    try {
      const before = await api<Page>(ferry.apiUrl, 'GET', '/v1/functions/hello/deployments');
      expect(before.body.items.map((d) => d.status)).toEqual([
        'ROLLED_BACK',
        'SUCCEEDED',
        'REJECTED',
        'ROLLED_BACK',
        'SUCCEEDED',
      ]);
      // The demo left canaries on; a push with no traffic behind it is released at once here.
      const settings = await api<Record<string, unknown>>(
        ferry.apiUrl,
        'GET',
        '/v1/functions/hello',
      );
      await api(ferry.apiUrl, 'PUT', '/v1/functions/hello', {
        ...settings.body,
        release: 'AllAtOnce',
      });

      expect(
        (
          await api(ferry.apiUrl, 'PUT', '/v1/rules/demo%2Fhello', {
            tagPattern: 'release-*',
            functions: ['hello'],
          })
        ).status,
      ).toBe(200);
      const copy = (tag: string) =>
        run('skopeo', [
          'copy',
          '--authfile',
          ferry.registryAuthFile,
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          `docker://${ferry.registryHost}/local/hello:created`,
          `docker://${ferry.registryHost}/demo/hello:${tag}`,
        ]);
      await copy('release-9');
      // The registry posts its notification asynchronously: wait for the rollout to appear and end.
      let rollout: Page['items'][number] | undefined;
      for (let i = 0; i < 100 && !rollout; i++) {
        await new Promise((r) => setTimeout(r, 200));
        rollout = (
          await api<Page>(ferry.apiUrl, 'GET', '/v1/functions/hello/deployments')
        ).body.items.find((d) => d.trigger.kind === 'registry');
      }
      expect(rollout).toBeDefined();
      await ferry.workflow.idle();
      await copy('release-10'); // same digest, another matching tag: no second deployment
      await new Promise((r) => setTimeout(r, 1500));
      await ferry.workflow.idle();
      const after = (await api<Page>(ferry.apiUrl, 'GET', '/v1/functions/hello/deployments')).body
        .items;
      const registryDeploys = after.filter((d) => d.trigger.kind === 'registry');
      expect(registryDeploys).toHaveLength(1);
      expect(registryDeploys[0]?.status).toBe('SUCCEEDED');
      // Judged on five cold starts of each version, the live one measured side by side at the
      // same moment: a busy machine slows both alike, so load alone cannot reject it.
      const judged = await api<{ smoke?: { gates?: Array<Record<string, unknown>> } }>(
        ferry.apiUrl,
        'GET',
        `/v1/deployments/${registryDeploys[0]?.id}`,
      );
      expect(judged.body.smoke?.gates?.[0]).toMatchObject({
        gate: 'init-growth',
        baseline: 'paired',
        sample: { n: 5 },
        liveSample: { n: 5 },
      });
    } finally {
      await ferry.close();
    }
  }, 240_000);

  it("creates and invokes local functions with the CLI (a failing one is an invoke error), ignores a dead run's expired lock and runs one of two concurrent deploys", async () => {
    const ferry = await startLocalFerry({ home, port: 0, adminToken: TOKEN, logger: silentLogger });
    const ferryCli = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, {
        stdout: { write: (t) => void out.push(t), isTTY: false },
        stderr: { write: (t) => void err.push(t) },
        env: { FERRY_URL: ferry.apiUrl, FERRY_TOKEN: TOKEN, FERRY_HOME: home },
        pollMs: 100,
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    try {
      const created = await ferryCli([
        'local',
        'create-function',
        'hello-copy',
        '--image',
        `${ferry.registryHost}/local/hello:created`,
      ]);
      expect(created.code, created.err).toBe(0);
      const invoked = await ferryCli(['local', 'invoke', 'hello-copy', '--payload', '{"ping":1}']);
      expect(invoked.code, invoked.err).toBe(0);
      expect(invoked.out).toContain('{"ok":true,"version":"1"}');
      expect(invoked.out).toMatch(/REPORT RequestId: .*Init Duration: /);

      // A crashing or failing function is an invoke error, never a host failure.
      await createExampleBuilder(
        ferry.registryHost,
        ferry.registryAuthFile,
        ferry.registryLogin,
      ).build('broken', {
        repository: 'demo/broken',
        tag: 'v1',
      });
      const broken = await ferryCli([
        'local',
        'create-function',
        'broken-copy',
        '--image',
        `${ferry.registryHost}/demo/broken:v1`,
      ]);
      expect(broken.code, broken.err).toBe(0);
      const failed = await ferryCli(['local', 'invoke', 'broken-copy']);
      expect(failed.code).toBe(1);
      expect(failed.out).toMatch(/errorMessage/);
      expect((await ferryCli(['local', 'invoke', 'hello-copy'])).code).toBe(0);

      await api(ferry.apiUrl, 'PUT', '/v1/functions/hello-copy', { team: 'platform' });
      // A lock left by a run that died expires; a live one answers 409.
      const nowSeconds = Math.floor(Date.now() / 1000);
      await ferry.store.acquireLock('hello-copy', 'd-DEAD', nowSeconds - 7000, 6000);
      const image = `${ferry.registryHost}/local/hello:created`;
      const [a, b] = await Promise.all([
        api<{ id: string }>(ferry.apiUrl, 'POST', '/v1/deployments', {
          function: 'hello-copy',
          image,
        }),
        api<{ id: string }>(ferry.apiUrl, 'POST', '/v1/deployments', {
          function: 'hello-copy',
          image,
        }),
      ]);
      expect([a.status, b.status].sort()).toEqual([202, 409]);
      await ferry.workflow.idle();
      const history = await api<Page>(ferry.apiUrl, 'GET', '/v1/functions/hello-copy/deployments');
      expect(history.body.items.map((d) => d.status)).toEqual(['SUCCEEDED']);
    } finally {
      await ferry.close();
    }
  }, 240_000);

  it('deploys from a signed Slack command and posts progress and result to the response_url and the channel', async () => {
    const slack = await startSlackStandIn();
    const ferry = await startLocalFerry({
      home,
      port: 0,
      adminToken: TOKEN,
      logger: silentLogger,
      slack: {
        signingSecret: SLACK_SECRET,
        users: { U0PLAT: 'platform' },
        webhooks: { 'demo-deploys': `${slack.origin}/services/T0/B0/webhook` },
        replyOrigins: [slack.origin],
      },
    });
    try {
      const settings = await api<Record<string, unknown>>(
        ferry.apiUrl,
        'GET',
        '/v1/functions/hello',
      );
      await api(ferry.apiUrl, 'PUT', '/v1/functions/hello', {
        ...settings.body,
        notifyChannel: 'demo-deploys',
      });
      const body = slashCommandBody({
        text: `deploy hello ${ferry.registryHost}/local/hello:created`,
        userId: 'U0PLAT',
        responseUrl: `${slack.origin}/commands/T0/1/reply`,
      });
      const ack = await fetch(`${ferry.apiUrl}/v1/chatops/slack`, {
        method: 'POST',
        headers: slackHeaders(SLACK_SECRET, Math.floor(Date.now() / 1000), body),
        body,
      });
      expect(ack.status).toBe(200);
      const answer = (await ack.json()) as { response_type: string; text: string };
      expect(answer.response_type).toBe('ephemeral');
      const id = /d-[0-9A-Z]{26}/.exec(answer.text)?.[0];
      expect(id).toBeDefined();
      await ferry.workflow.idle();

      const messages = (path: string) =>
        slack.received
          .filter((m) => m.path.startsWith(path))
          .map((m) => `${m.body.response_type ?? 'channel'} ${m.body.text}`);
      expect(messages('/commands/')).toEqual([
        'ephemeral hello: RUNNING',
        'in_channel hello: SUCCEEDED',
      ]);
      expect(messages('/services/')).toEqual([
        'channel hello: RUNNING',
        'channel hello: SUCCEEDED',
      ]);
      const result = JSON.stringify(slack.received.at(-1)?.body.blocks);
      expect(result).toContain(`${ferry.apiUrl}/deployments/${id}`);
      expect(result).toMatch(/Init duration\*\\n(\d+ ms|not reported)/);

      const record = await api<{ trigger: { kind: string; actor: string } }>(
        ferry.apiUrl,
        'GET',
        `/v1/deployments/${id}`,
      );
      expect(record.body.trigger).toEqual({ kind: 'slack', actor: 'slack:T0FERRY:U0PLAT' });
    } finally {
      await ferry.close();
      await slack.close();
    }
  }, 240_000);
});
