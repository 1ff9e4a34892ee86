/**
 * What a finished deployment's summary says against the real API and ASL: a step whose result
 * was a failed smoke or gate reads failed, the last line says what serves traffic now, a
 * rejected image shows its largest layers and hints, and the deployer's --reason is shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../services/cli/main.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { startLocalStack } from '../support/local-stack.ts';
import { appRef, FN } from '../workflow/world.ts';

let stack: Awaited<ReturnType<typeof startLocalStack>>;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.close());

async function ferry(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t) },
    env: { FERRY_URL: stack.url, FERRY_TOKEN: stack.token },
    pollMs: 20,
  });
  return { code, out: out.join(''), err: err.join('') };
}

/** The first test's release, which a later one replaces. */
let firstRelease: { id: string; version: string };
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);
const liveVersion = () => stack.world.functions.getAlias(FN, 'live');

describe('CLI: outcomes read right', () => {
  it('says a release went live on its last line, and shows the --reason it was given', async () => {
    const before = await liveVersion();
    stack.world.pushApp('good');
    const run = await ferry([
      'deploy',
      FN,
      '--image',
      appRef('good'),
      '--reason',
      'ship the fix',
      '--wait',
    ]);
    expect(run.code).toBe(0);
    const now = await liveVersion();
    expect(lastLine(run.out)).toBe(`  live          version ${now} (was ${before})`);
    expect(run.out).toMatch(/^ {2}because {7}ship the fix$/m);
    const id = /SUCCEEDED (d-\S+)/.exec(run.out)?.[1] as string;
    firstRelease = { id, version: now as string };
    expect((await ferry(['status', id])).out).toMatch(/^ {2}because {7}ship the fix$/m);
    expect((await ferry(['history', FN])).out).toMatch(
      new RegExp(`^${id}\\s+SUCCEEDED.*ship the fix`, 'm'),
    );
  });

  it('reads a failed smoke as a failed SmokeInvoke and says the live version did not change', async () => {
    const live = await liveVersion();
    const digest = stack.world.pushApp('broken');
    stack.world.functions.behaviors.set(digest, () => ({
      functionError: 'Unhandled',
      payload: { errorMessage: 'kaboom' },
    }));
    const run = await ferry(['deploy', FN, '--image', appRef('broken'), '--wait']);
    expect(run.code).toBe(1);
    expect(run.out).not.toMatch(/succeeded SmokeInvoke/);
    expect(run.out).toMatch(/^failed SmokeInvoke \(\d+ ms\): smoke failed: .*kaboom/m);
    expect(lastLine(run.out)).toBe(`  live          version ${live}, unchanged`);
    const id = /ROLLED_BACK (d-\S+)/.exec(run.out)?.[1] as string;
    const status = await ferry(['status', id]);
    expect(status.out).toMatch(/✗ SmokeInvoke .*smoke failed: .*kaboom/);
    expect(status.out).not.toMatch(/✓ SmokeInvoke/);
    expect(lastLine(status.out)).toBe(`  live          version ${live}, unchanged`);
  });

  it('shows a rejected image its largest layers, with the instruction that made each, and the hints', async () => {
    const live = await liveVersion();
    await stack.store.putSettings(
      FN,
      parseFunctionSettings({ team: 'payments', sizeBudgetBytes: 1024 * 1024 }),
    );
    stack.world.pushApp('fat', {
      layers: [
        { sizeBytes: 3 * 1024 * 1024, createdBy: 'COPY node_modules /var/task/node_modules' },
        { sizeBytes: 1024 * 1024, createdBy: 'RUN apt-get install -y build-essential' },
      ],
    });
    try {
      const run = await ferry(['deploy', FN, '--image', appRef('fat'), '--wait']);
      expect(run.code).toBe(1);
      expect(run.out).toMatch(
        /^failed ScanImage \(\d+ ms\): rejected: compressed size .* is over the budget/m,
      );
      expect(run.out).toMatch(/^ {2}largest layers$/m);
      expect(run.out).toMatch(/^ +3\.0 MiB {2}COPY node_modules \/var\/task\/node_modules$/m);
      expect(run.out).toMatch(/^ +1\.0 MiB {2}RUN apt-get install -y build-essential$/m);
      expect(run.out).toMatch(
        /^ {2}why it is big\n {4}- Suggestion: layer 2 \(RUN apt-get install/m,
      );
      expect(lastLine(run.out)).toBe(`  live          version ${live}, unchanged`);
    } finally {
      await stack.store.putSettings(FN, parseFunctionSettings({ team: 'payments' }));
    }
  });

  it('says what serves now when a later release replaced what a deployment left', async () => {
    stack.world.pushApp('later');
    const later = await ferry(['deploy', FN, '--image', appRef('later'), '--wait']);
    expect(later.code).toBe(0);
    const laterId = /SUCCEEDED (d-\S+)/.exec(later.out)?.[1] as string;
    const now = await liveVersion();
    expect(now).not.toBe(firstRelease.version);
    const status = await ferry(['status', firstRelease.id]);
    expect(lastLine(status.out)).toMatch(
      new RegExp(
        `^  live          version ${now} now \\(released by ${laterId}\\); this deployment: version ${firstRelease.version} \\(was \\d+\\)$`,
      ),
    );
  });
});
