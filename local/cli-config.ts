/**
 * `$FERRY_HOME/cli.json`: where the running local Ferry listens and an admin token that works
 * there, so `npx ferry …` in another terminal needs nothing exported. The file holds a secret:
 * 0600 inside the 0700 home, and written by rename so a reader never sees half of it.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashToken, issueToken, registerToken } from '../services/auth/token-authenticator.ts';
import type { TokenStore } from '../services/core/ports.ts';

/** What the CLI reads (services/cli/connection.ts reads the same shape). */
export interface CliConfig {
  readonly url: string;
  readonly token: string;
}

/** `$FERRY_HOME/cli.json`. */
export const cliConfigFile = (home: string) => join(home, 'cli.json');

/** The token kept in cli.json, if the file is there and holds one. */
function keptToken(home: string): string | undefined {
  const file = cliConfigFile(home);
  if (!existsSync(file)) return undefined;
  try {
    const token = (JSON.parse(readFileSync(file, 'utf8')) as Partial<CliConfig>).token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined; // a damaged file is replaced
  }
}

/** Writes cli.json atomically (a 0600 temporary file renamed over it). */
export function writeCliConfig(home: string, config: CliConfig): void {
  const file = cliConfigFile(home);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** How the admin token was settled at start. */
export interface AdminTokens {
  /** The token cli.json holds: one that authenticates as the admin team. */
  readonly cliToken: string;
  /** A generated token to print once (first start only), else undefined. */
  readonly printOnce?: string;
}

/**
 * The admin token for this start: `FERRY_ADMIN_TOKEN` when given; on the first start a generated
 * one (printed once); later the one cli.json keeps while the store still knows it, else a new one
 * (the one printed at the first start is only a hash in the store, so it cannot be written again).
 */
export async function settleAdminToken(
  tokens: TokenStore,
  home: string,
  adminTeam: string,
  given?: string,
): Promise<AdminTokens> {
  if (given) {
    await registerToken(tokens, given, adminTeam);
    return { cliToken: given };
  }
  const issuedMarker = join(home, 'admin-token-issued');
  if (!existsSync(issuedMarker)) {
    const token = await issueToken(tokens, adminTeam);
    writeFileSync(issuedMarker, new Date().toISOString());
    return { cliToken: token, printOnce: token };
  }
  const kept = keptToken(home);
  if (kept && (await tokens.teamOf(hashToken(kept))) === adminTeam) return { cliToken: kept };
  return { cliToken: await issueToken(tokens, adminTeam, { createdBy: 'local mode (cli.json)' }) };
}
