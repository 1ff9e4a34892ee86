/** The `ferry` CLI against the real API served on 127.0.0.1, the real ASL running behind it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../services/cli/main.ts';
import { startLocalStack } from '../support/local-stack.ts';
import { appRef, FN } from '../workflow/world.ts';

let stack: Awaited<ReturnType<typeof startLocalStack>>;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.close());

async function ferry(argv: string[], options: { tty?: boolean; token?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: options.tty ?? false },
    stderr: { write: (t) => void err.push(t) },
    env: { FERRY_URL: stack.url, FERRY_TOKEN: options.token ?? stack.token },
    pollMs: 20,
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('CLI: ferry against the API', () => {
  it('deploys with --wait: per-step progress, a summary, exit 0 on SUCCEEDED', async () => {
    const digest = stack.world.pushApp('v2');
    const { code, out } = await ferry(['deploy', FN, '--image', appRef('v2'), '--wait']);
    expect(code).toBe(0);
    expect(out).toMatch(/succeeded Prepare/);
    expect(out).toMatch(/succeeded SmokeInvoke/);
    expect(out).toMatch(/succeeded Activate/);
    expect(out).toContain(`SUCCEEDED d-`);
    expect(out).toContain(`digest        ${digest}`);
    expect(out).toMatch(/compressed {4}\d+\.\d MiB in 1 layers/);
    expect(out).toMatch(/init duration 150 ms/);
  });

  it('lists what is live where after a release (ferry functions)', async () => {
    const digest = stack.world.pushApp('listed');
    expect((await ferry(['deploy', FN, '--image', appRef('listed'), '--wait'])).code).toBe(0);
    const { code, out } = await ferry(['functions']);
    expect(code).toBe(0);
    const [header, row] = out.trim().split('\n');
    expect(header).toMatch(/^FUNCTION\s+TEAM\s+LIVE\s+DIGEST\s+SIZE\s+INIT\s+LATEST$/);
    expect(row).toMatch(new RegExp(`^${FN}\\s+payments\\s+live → v\\d+\\s+${digest.slice(0, 19)}`));
    expect(row).toMatch(/150 ms\s+SUCCEEDED d-/);
    const json = JSON.parse((await ferry(['functions', 'list', '--json'])).out);
    expect(json[0]).toMatchObject({ name: FN, live: { digest } });
  });

  it('exits 1 and shows the reason when the deployment rolls back', async () => {
    const digest = stack.world.pushApp('bad');
    stack.world.functions.behaviors.set(digest, () => ({
      functionError: 'Unhandled',
      payload: { errorMessage: 'kaboom' },
    }));
    const { code, out } = await ferry(['deploy', FN, '--image', appRef('bad'), '--wait']);
    expect(code).toBe(1);
    expect(out).toContain('ROLLED_BACK');
    expect(out).toMatch(/reason .*kaboom/);
  });

  it('redraws the step block in place on a TTY', async () => {
    stack.world.pushApp('v3');
    const { code, out } = await ferry(['deploy', FN, '--image', appRef('v3'), '--wait'], {
      tty: true,
    });
    expect(code).toBe(0);
    expect(out).toContain('\x1b[2K');
    expect(out).toMatch(/✓ Activate/);
  });

  it('prints machine-readable JSON with --json', async () => {
    stack.world.pushApp('v4');
    const { code, out } = await ferry(['deploy', FN, '--image', appRef('v4'), '--wait', '--json']);
    expect(code).toBe(0);
    const final = JSON.parse(out.trim());
    expect(final).toMatchObject({
      status: 'SUCCEEDED',
      functionName: FN,
      trigger: { kind: 'cli' },
    });
  });

  it('lists history newest first and shows one deployment', async () => {
    const history = await ferry(['history', FN]);
    expect(history.code).toBe(0);
    const lines = history.out.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+TRIGGER/);
    expect(lines[1]).toMatch(/SUCCEEDED\s+cli/);
    expect(history.out).toContain('ROLLED_BACK');
    const id = lines[1]?.split(/\s+/)[0] as string;
    const status = await ferry(['status', id]);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/✓ Finalize/);
  });

  it('renders a problem as one line that says what to fix, exit 1', async () => {
    const unregistered = await ferry(['deploy', 'ghost', '--image', appRef('v2')]);
    expect(unregistered.code).toBe(1);
    expect(unregistered.err.trim().split('\n')).toHaveLength(1);
    expect(unregistered.err).toMatch(
      /^ferry: 404 function-not-registered: function ghost is not registered with Ferry: ferry functions lists .*ferry functions put ghost/,
    );
    const misspelt = await ferry(['history', FN.replace('api', 'apu')]);
    expect(misspelt.code).toBe(1);
    expect(misspelt.err).toBe(
      `ferry: 404 function-not-registered: function ${FN.replace('api', 'apu')} is not registered with Ferry: did you mean ${FN}? (ferry functions lists the ones you can deploy)\n`,
    );
    const badToken = await ferry(['history', FN], { token: 'ferry_notavalidtokenatall' });
    expect(badToken.code).toBe(1);
    expect(badToken.err).toMatch(/401 unauthenticated.*FERRY_TOKEN was refused/);
  });

  it('refuses a bad --release, and approve/abort of an ended or unknown deployment, in one line each', async () => {
    const bad = await ferry([
      'deploy',
      FN,
      '--image',
      appRef('v2'),
      '--release',
      'Canary99Percent',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^ferry: 400 validation: .*release: unknown release strategy "Canary99Percent"/,
    );
    const [, row] = (await ferry(['history', FN])).out.trim().split('\n');
    const ended = row?.split(/\s+/)[0] as string;
    for (const [verb, kind] of [
      ['abort', 'not-running'],
      ['approve', 'not-running'],
    ] as const) {
      const refused = await ferry([verb, ended]);
      expect(refused.code).toBe(1);
      expect(refused.err.trim().split('\n')).toHaveLength(1);
      expect(refused.err).toMatch(new RegExp(`^ferry: 409 ${kind}: deployment ${ended} has ended`));
    }
    const unknown = await ferry(['abort', 'd-01JDEMO0000000000000000000']);
    expect(unknown.err).toMatch(/^ferry: 404 not-found: no deployment d-01JDEMO/);
  });

  it('answers 409 with the holder when a deployment is in progress', async () => {
    await stack.workflow.idle();
    await stack.store.acquireLock(FN, 'd-HOLDER', Math.floor(Date.now() / 1000), 60);
    const { code, err } = await ferry(['deploy', FN, '--image', appRef('v2')]);
    await stack.store.releaseLock(FN, 'd-HOLDER');
    expect(code).toBe(1);
    expect(err).toMatch(
      /409 deployment-in-progress: function \S+ is locked by deployment d-HOLDER/,
    );
  });

  it('rolls back to the previous good release and waits for it', async () => {
    const { code, out } = await ferry(['rollback', FN, '--wait']);
    expect(code).toBe(0);
    expect(out).toContain('SUCCEEDED');
  });

  it('manages auto-rollout rules as the admin team, and refuses other teams', async () => {
    const put = await ferry(
      ['rules', 'put', 'team/api', '--pattern', 'release-*', '--function', FN],
      { token: stack.adminToken },
    );
    expect(put.code).toBe(0);
    expect(JSON.parse(put.out)).toMatchObject({
      repository: 'team/api',
      tagPattern: 'release-*',
      functions: [FN],
    });
    const refused = await ferry(['rules', 'delete', 'team/api']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/403 forbidden/);
    expect((await ferry(['rules', 'get', 'team/api'])).out).toContain('release-*');
    expect((await ferry(['rules', 'delete', 'team/api'], { token: stack.adminToken })).code).toBe(
      0,
    );
    expect((await ferry(['rules', 'put', 'team/api'])).code).toBe(2);
  });

  it('links, lists and unlinks Slack users as the admin team', async () => {
    const admin = { token: stack.adminToken };
    expect((await ferry(['slack-users'], admin)).out).toBe('no Slack users are mapped to teams\n');
    const link = await ferry(['slack-users', 'link', 'U0ANN', 'payments'], admin);
    expect(link).toMatchObject({
      code: 0,
      out: 'U0ANN now acts for team payments in /ferry commands\n',
    });
    const list = await ferry(['slack-users', 'list'], admin);
    expect(list.out).toMatch(/^U0ANN\s+payments\s+linked by token:platform:/);
    const refused = await ferry(['slack-users', 'link', 'U0BOB', 'payments']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/403 forbidden/);
    const bad = await ferry(['slack-users', 'link', 'C0CHANNEL', 'payments'], admin);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/400 validation.*userId/);
    expect((await ferry(['slack-users', 'unlink', 'U0ANN'], admin)).code).toBe(0);
    expect((await ferry(['slack-users', '--json'], admin)).out).toBe('[]\n');
    expect((await ferry(['slack-users', 'link', 'U0ANN'], admin)).code).toBe(2);
  });

  it('runs ferry doctor over HTTP: local mode says what does not apply, exit 0', async () => {
    const { code, out } = await ferry(['doctor', FN]);
    expect(out).toContain('✓ api: the Ferry API answers at FERRY_URL\n');
    expect(out).toContain(
      '✓ opt-in: local mode: every function on the local host may be deployed\n',
    );
    expect(out).toContain('✓ lambda-pull: local registry: not applicable\n');
    expect(out).not.toContain('✗');
    expect(code).toBe(0);
    const unregistered = await ferry(['doctor', 'nobody']);
    expect(unregistered.out).toMatch(
      /^✗ registered: function nobody is not registered with Ferry: /m,
    );
    expect(unregistered.code).toBe(1);
  });
});
