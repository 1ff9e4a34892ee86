import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../services/auth/token-authenticator.ts';
import { MemoryTokenStore } from '../test/fakes/memory-tokens.ts';
import { cliConfigFile, settleAdminToken, writeCliConfig } from './cli-config.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'ferry-cli-config-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Settles the token as a start would and writes cli.json with it, as start.ts does. */
async function start(tokens: MemoryTokenStore, given?: string) {
  const settled = await settleAdminToken(tokens, home, 'platform', given);
  writeCliConfig(home, { url: 'http://127.0.0.1:8787', token: settled.cliToken });
  return settled;
}

describe('cli.json', () => {
  it('is written 0600, whole, with no temporary file left beside it', () => {
    writeCliConfig(home, { url: 'http://127.0.0.1:8787', token: 'ferry_token_0123456789' });
    expect(statSync(cliConfigFile(home)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(cliConfigFile(home), 'utf8'))).toEqual({
      url: 'http://127.0.0.1:8787',
      token: 'ferry_token_0123456789',
    });
    expect(readdirSync(home)).toEqual(['cli.json']);
  });

  it('holds the generated token of a first start, which is printed once', async () => {
    const tokens = new MemoryTokenStore();
    const first = await start(tokens);
    expect(first.printOnce).toBe(first.cliToken);
    expect(tokens.teams.get(hashToken(first.cliToken))).toBe('platform');
  });

  it('keeps the same working token across restarts, printing none', async () => {
    const tokens = new MemoryTokenStore();
    const first = await start(tokens);
    const again = await start(tokens);
    expect(again).toEqual({ cliToken: first.cliToken });
  });

  it('issues a working token when only the hash of the printed one is kept', async () => {
    const tokens = new MemoryTokenStore();
    const first = await start(tokens);
    rmSync(cliConfigFile(home)); // a home from before cli.json, or the file deleted
    const again = await start(tokens);
    expect(again.printOnce).toBeUndefined();
    expect(again.cliToken).not.toBe(first.cliToken);
    expect(tokens.teams.get(hashToken(again.cliToken))).toBe('platform');
  });

  it('replaces a token the store does not know (or a damaged file)', async () => {
    const tokens = new MemoryTokenStore();
    await start(tokens);
    writeCliConfig(home, { url: 'http://127.0.0.1:8787', token: 'ferry_unknown_0123456789' });
    const replaced = await start(tokens);
    expect(replaced.cliToken).not.toBe('ferry_unknown_0123456789');
    writeFileSync(cliConfigFile(home), '{not json');
    const again = await start(tokens);
    expect(tokens.teams.get(hashToken(again.cliToken))).toBe('platform');
  });

  it('holds FERRY_ADMIN_TOKEN when it is given', async () => {
    const tokens = new MemoryTokenStore();
    const given = 'ferry_chosen_admin_token_0123';
    expect(await start(tokens, given)).toEqual({ cliToken: given });
    expect(tokens.teams.get(hashToken(given))).toBe('platform');
  });
});
