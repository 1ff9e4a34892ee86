/** `ferry tokens create|list|revoke` against the real API (dynalite store, real token authenticator). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../services/cli/main.ts';
import { startLocalStack } from '../support/local-stack.ts';
import { appRef, FN } from '../workflow/world.ts';

let stack: Awaited<ReturnType<typeof startLocalStack>>;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.close());

async function ferry(argv: string[], token: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t) },
    env: { FERRY_URL: stack.url, FERRY_TOKEN: token },
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('CLI: ferry tokens', () => {
  it('makes a token for a team once, lists it by id, and a revoked token is refused at once', async () => {
    const made = await ferry(['tokens', 'create', '--team', 'search'], stack.adminToken);
    expect(made.code).toBe(0);
    const [token, note] = made.out.trimEnd().split('\n');
    expect(token).toMatch(/^ferry_[A-Za-z0-9_-]{32}$/);
    const id = /token ([0-9a-f]{12}) of team search: shown this once/.exec(note ?? '')?.[1];
    expect(id).toBeDefined();

    const list = await ferry(['tokens', 'list'], stack.adminToken);
    expect(list.out).toMatch(/^ID\s+TEAM\s+CREATED\s+BY$/m);
    expect(list.out).toMatch(
      new RegExp(`^${id}\\s+search\\s+\\d{4}-\\d\\d-\\d\\d \\S+\\s+token:platform:`, 'm'),
    );
    expect(list.out).not.toContain(token);

    // The new token acts for team search: not on payments' function.
    const refused = await ferry(['deploy', FN, '--image', appRef('v1')], token as string);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^ferry: 403 forbidden: function \S+ belongs to team payments/);

    const revoked = await ferry(['tokens', 'revoke', id as string], stack.adminToken);
    expect(revoked).toMatchObject({
      code: 0,
      out: `revoked token ${id}: it is refused from now on\n`,
    });
    const after = await ferry(['history', FN], token as string);
    expect(after.code).toBe(1);
    expect(after.err).toMatch(/^ferry: 401 unauthenticated: .*FERRY_TOKEN was refused/);
  });

  it('refuses other teams with one line, and says what a bad call lacks', async () => {
    const forbidden = await ferry(['tokens', 'create', '--team', 'payments'], stack.token);
    expect(forbidden.code).toBe(1);
    expect(forbidden.err).toMatch(/^ferry: 403 forbidden: making tokens is for the admin team/);
    expect((await ferry(['tokens', 'create'], stack.adminToken)).err).toMatch(
      /^ferry: missing --team: ferry tokens create --team T/,
    );
    const unknown = await ferry(['tokens', 'revoke', '0123456789ab'], stack.adminToken);
    expect(unknown.err).toMatch(/^ferry: 404 not-found: no token 0123456789ab: ferry tokens list/);
    expect((await ferry(['tokens', 'lst'], stack.adminToken)).err).toMatch(/did you mean list\?/);
  });
});
