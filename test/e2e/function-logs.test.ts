/**
 * A misbehaving function's output, end to end in local mode with the real parts: the broken
 * example built with buildah, run by the function host, its stderr shown by `ferry logs` through
 * the API, printed as it comes when asked (`FERRY_FUNCTION_LOGS=1`'s hook), and still there
 * after a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalFerry } from '../../local/start.ts';
import { runCli } from '../../services/cli/main.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { createExampleBuilder } from '../support/images.ts';

const home = mkdtempSync(join(tmpdir(), 'ferry-e2e-logs-'));
const TOKEN = 'ferry_e2e_logs_admin_token_0123456789';
const BROKEN = "TypeError: cannot read properties of undefined (reading 'greeting')";
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function ferryCli(apiUrl: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t) },
    // FERRY_HOME: `ferry local invoke` signs its call with the host key kept there.
    env: { FERRY_URL: apiUrl, FERRY_TOKEN: TOKEN, FERRY_HOME: home },
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('Local mode: function logs', () => {
  it('shows what a failing function printed with ferry logs, live and after a restart', async () => {
    const printed: string[] = [];
    const ferry = await startLocalFerry({
      home,
      port: 0,
      adminToken: TOKEN,
      logger: silentLogger,
      onFunctionLog: ({ functionName, version, line }) =>
        printed.push(`[${functionName}:${version}] ${line}`),
    });
    try {
      const builder = createExampleBuilder(
        ferry.registryHost,
        ferry.registryAuthFile,
        ferry.registryLogin,
      );
      const image = await builder
        .build('broken', { repository: 'demo/broken', tag: 'v1' })
        .finally(() => builder.dispose());
      const cli = (argv: string[]) => ferryCli(ferry.apiUrl, argv);
      const created = await cli(['local', 'create-function', 'broken', '--image', image.imageRef]);
      expect(created.code, created.err).toBe(0);
      const put = await fetch(`${ferry.apiUrl}/v1/functions/broken`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ team: 'platform' }),
      });
      expect(put.status).toBe(200);
      expect((await cli(['local', 'invoke', 'broken'])).code).toBe(1);

      const logs = await cli(['logs', 'broken', '--since', '10m']);
      expect(logs.code, logs.err).toBe(0);
      const lines = logs.out.trim().split('\n');
      expect(lines.some((l) => l.includes(`[1] ${BROKEN}`))).toBe(true);
      expect(lines.find((l) => l.includes('START RequestId:'))).toMatch(
        /^\d{4}-\d{2}-\d{2}T[\d:.]+Z \[1\] START RequestId: \S+ Version: 1$/,
      );
      expect(lines.at(-1)).toMatch(/\[1\] REPORT RequestId: /);
      expect(printed.some((l) => l.startsWith('[broken:1] ') && l.includes(BROKEN))).toBe(true);
    } finally {
      await ferry.close();
    }

    const again = await startLocalFerry({ home, port: 0, adminToken: TOKEN, logger: silentLogger });
    try {
      const kept = await ferryCli(again.apiUrl, ['logs', 'broken', '--version', '1', '--json']);
      expect(kept.code, kept.err).toBe(0);
      const events = kept.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(events.some((e) => e.message.includes(BROKEN) && e.requestId)).toBe(true);
    } finally {
      await again.close();
    }
  }, 240_000);
});
