/**
 * The Ferry `npm run demo` talks to: the local Ferry already running on FERRY_HOME when one answers
 * at its `cli.json` (used through its API only: the demo opens none of its files but the
 * function host's key), else its own, started in a temporary home on free ports and removed at
 * the end — after a finished run, a failure, or Ctrl-C.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCliJson } from '../services/cli/connection.ts';
import { profileCredentials } from '../services/cli/shared-credentials.ts';
import { silentLogger } from '../services/core/logger.ts';
import { cliConfigFile } from './cli-config.ts';
import type { HostCredentials } from './function-host/sigv4-verifier.ts';
import { HOST_PROFILE, hostCredentialsFile } from './local-credentials.ts';
import { startLocalFerry } from './start.ts';

/** What the demo needs of a Ferry. */
export interface DemoFerry {
  /** True for a Ferry that was running already (it may hold functions of its own). */
  readonly shared: boolean;
  /** The first line: which Ferry this is. */
  readonly banner: string;
  readonly apiUrl: string;
  readonly token: string;
  /** Its FERRY_HOME (the CLI's `local invoke` signs with the key there). */
  readonly home: string;
  readonly functionHostUrl: string;
  readonly hostCredentials?: HostCredentials;
  /** Stops what the demo started and removes what it made; nothing for a running Ferry. */
  close(): Promise<void>;
}

/** The running Ferry cli.json names, when it answers there with that token. */
async function answering(home: string): Promise<DemoFerry | undefined> {
  const file = cliConfigFile(home);
  const config = readCliJson(file);
  if (!config?.token) return undefined;
  const res = await fetch(new URL('/v1/local', config.url), {
    headers: { authorization: `Bearer ${config.token}` },
    signal: AbortSignal.timeout(5000),
  }).catch(() => null);
  if (!res?.ok) return undefined;
  const info = (await res.json()) as { functionHost: string };
  const keyFile = hostCredentialsFile(home);
  const credentials = existsSync(keyFile)
    ? profileCredentials(readFileSync(keyFile, 'utf8'), HOST_PROFILE)
    : null;
  return {
    banner: `Ferry demo — using the local Ferry running at ${config.url} (${file}); it adds a function of its own there`,
    shared: true,
    apiUrl: config.url,
    token: config.token,
    home,
    functionHostUrl: info.functionHost,
    ...(credentials ? { hostCredentials: credentials } : {}),
    close: async () => undefined,
  };
}

/**
 * The Ferry to use. `keepHome`: start one in this directory and leave it there (tests read it
 * afterwards). @default - the running one on `lookIn`, else a temporary one
 */
export async function demoFerry(lookIn: string, keepHome?: string): Promise<DemoFerry> {
  const running = keepHome ? undefined : await answering(resolve(lookIn));
  if (running) return running;
  const home = keepHome ?? mkdtempSync(join(tmpdir(), 'ferry-demo-'));
  const remove = () => {
    // Retried: a child stopped by the same Ctrl-C may still be letting go of a file in it.
    if (!keepHome) rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  let ferry: Awaited<ReturnType<typeof startLocalFerry>>;
  try {
    ferry = await startLocalFerry({ home, port: 0, logger: silentLogger });
  } catch (error) {
    remove();
    throw error;
  }
  const config = readCliJson(cliConfigFile(home));
  const banner = keepHome
    ? `Ferry demo — local mode in ${home}, API ${ferry.apiUrl}`
    : `Ferry demo — no local Ferry answers at ${resolve(cliConfigFile(lookIn))}: starting one of its own in ${home} (removed at the end), API ${ferry.apiUrl}`;
  return {
    shared: false,
    banner,
    apiUrl: ferry.apiUrl,
    token: config?.token ?? '',
    home,
    functionHostUrl: ferry.functionHostUrl,
    hostCredentials: ferry.functionHostCredentials,
    // Once only: Ctrl-C and the end of the run may both ask.
    close: once(async () => {
      try {
        await ferry.close();
      } finally {
        remove();
      }
    }),
  };
}

/** `fn`, run at most once: every later call gets the first call's promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}
