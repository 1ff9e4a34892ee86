/**
 * Local mode: Ferry on one machine with real local parts — dynalite (on disk), Debian's
 * docker-registry, buildah, the local function host, the real ASL in-process and the API on
 * 127.0.0.1. `startLocalFerry` starts the processes and takes every dep from local mode's
 * composition root (local-runtime.ts); local/main.ts is the `npm start` entry.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalVersionHealth } from '../services/adapters/local/local-version-health.ts';
import { createApp } from '../services/api/app.ts';
import { startApiServer } from '../services/api/server.ts';
import { dispatchRollouts } from '../services/app/rollout-queue.ts';
import type { Logger } from '../services/core/logger.ts';
import type { DeploymentStore, Functions } from '../services/core/ports.ts';
import { settleAdminToken, writeCliConfig } from './cli-config.ts';
import { ensureStoreTable, startDynalite } from './dynalite-server.ts';
import { startFunctionHost } from './function-host/http-server.ts';
import { FunctionLogStore } from './function-host/log-store.ts';
import type { HostCredentials } from './function-host/sigv4-verifier.ts';
import type { InProcessWorkflow } from './in-process-workflow.ts';
import { indexRegisteredFunctions } from './index-functions.ts';
import { keepPorts, requirePortsFree } from './kept-ports.ts';
import { killLeftovers } from './leftover-processes.ts';
import {
  hostCredentials,
  REGISTRY_USER,
  registryPassword,
  writeRegistryAuthFile,
} from './local-credentials.ts';
import { localRoutes } from './local-routes.ts';
import { type LocalSlackOptions, localRuntime } from './local-runtime.ts';
import { recoverStoppedExecutions } from './recovery.ts';
import { basicAuth, type RegistryLogin, startRegistry } from './registry-process.ts';
import { startRolloutDispatcher } from './rollout-dispatcher.ts';
import { sourceImageBuild } from './source-image.ts';

export type { LocalSlackOptions } from './local-runtime.ts';

const TABLE = 'ferry';

/** Options for {@link startLocalFerry}. */
export interface LocalFerryOptions {
  /** State directory (`FERRY_HOME`). */
  readonly home: string;
  /** API port on 127.0.0.1 (`FERRY_PORT`); 0 for a free one. */
  readonly port: number;
  /** The registry's port (`FERRY_REGISTRY_PORT`). @default - the one kept in FERRY_HOME, else a free one, then kept */
  readonly registryPort?: number;
  /** The function host's port (`FERRY_FUNCTION_HOST_PORT`). @default - the one kept in FERRY_HOME, else a free one, then kept */
  readonly functionHostPort?: number;
  /** The admin team's bearer token (`FERRY_ADMIN_TOKEN`); else one is generated on first start. */
  readonly adminToken?: string;
  /** What the function host's RIE path invokes when no function is named `function` (`FERRY_DEFAULT_FUNCTION`). */
  readonly defaultFunction?: string;
  readonly logger: Logger;
  /** Called when a child process dies unexpectedly. */
  readonly onChildExit?: (error: Error) => void;
  /** Seconds between workflow retries. @default the definition's backoff */
  readonly retryIntervalSeconds?: number;
  /** Slack slash commands and notifications. @default - off */
  readonly slack?: LocalSlackOptions;
  /** Each line a function prints, as it comes (`FERRY_FUNCTION_LOGS=1`). @default - not shown */
  readonly onFunctionLog?: (entry: { functionName: string; version: string; line: string }) => void;
}

/** A running local Ferry. */
export interface LocalFerry {
  readonly apiUrl: string;
  readonly registryHost: string;
  readonly functionHostUrl: string;
  /** The function host's SigV4 key (also in `$FERRY_HOME/aws-credentials`, profile ferry-local). */
  readonly functionHostCredentials: HostCredentials;
  /** The registry's login (also `$FERRY_HOME/registry-password`, user ferry). */
  readonly registryLogin: RegistryLogin;
  /** `$FERRY_HOME/registry-auth.json`: `--authfile` for buildah, skopeo and podman. */
  readonly registryAuthFile: string;
  /** A token printed once: the generated admin token on first start, else undefined. */
  readonly newAdminToken?: string;
  readonly workflow: InProcessWorkflow;
  /** The store (tests inspect and seed it). */
  readonly store: DeploymentStore;
  /** The function host's functions (tests inspect aliases and provisioned concurrency). */
  readonly functions: Functions;
  close(): Promise<void>;
}

/** Secrets that must survive restarts (cursor key, registry hook key), kept in FERRY_HOME. */
function localSecrets(home: string): { cursor: string; hook: string } {
  const file = join(home, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    cursor: randomBytes(32).toString('hex'),
    hook: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** Starts every part; on failure stops what already started. */
export async function startLocalFerry(options: LocalFerryOptions): Promise<LocalFerry> {
  const home = resolve(options.home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // An existing directory keeps its mode: say so rather than change a directory the user chose.
  if ((statSync(home).mode & 0o077) !== 0)
    options.logger.warn(
      'FERRY_HOME is open to other users: its secrets are 0600, but chmod 700 it',
      {
        home,
      },
    );
  const secrets = localSecrets(home);
  const hostKey = hostCredentials(home);
  const registryLogin = { username: REGISTRY_USER, password: registryPassword(home) };
  const ports = await keepPorts(home, {
    ...(options.registryPort !== undefined ? { registry: options.registryPort } : {}),
    ...(options.functionHostPort !== undefined ? { functionHost: options.functionHostPort } : {}),
  });
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const db = await startDynalite({
      path: join(home, 'dynamo'),
      socketPath: join(home, 'store', 'dynalite.sock'),
    });
    stops.push(() => db.close());
    await ensureStoreTable(db.client, TABLE);
    // dynalite's LevelDB lock is ours now: what else runs on this home outlived a killed Ferry.
    const leftovers = await killLeftovers(home);
    if (leftovers.length > 0)
      options.logger.warn('processes of a stopped Ferry killed', { pids: leftovers.join(', ') });
    // Once those are gone: a kept port another process holds stops the start with one line.
    await requirePortsFree(home, ports);

    // The API's address must be known before the registry starts: it posts push events there.
    const api = await startApiServer(
      { fetch: () => new Response('starting', { status: 503 }) },
      options.port,
    );
    const apiPort = Number(new URL(api.url).port);
    await api.close();
    const registry = await startRegistry({
      dir: join(home, 'registry'),
      port: ports.registry,
      notificationUrl: `http://127.0.0.1:${apiPort}/v1/hooks/registry`,
      notificationSecret: secrets.hook,
      auth: registryLogin,
      ...(options.onChildExit ? { onUnexpectedExit: options.onChildExit } : {}),
    });
    stops.push(() => registry.stop());
    const registryAuthFile = writeRegistryAuthFile(home, registry.host, registryLogin.password);
    // What functions print, kept for `ferry logs` (bounded per function: see log-store.ts).
    const functionLogs = new FunctionLogStore(join(home, 'logs'));
    const host = await startFunctionHost({
      stateDir: join(home, 'functions'),
      registryUrl: registry.url,
      registryAuthorization: basicAuth(registryLogin),
      port: ports.functionHost,
      ...(options.defaultFunction ? { defaultFunction: options.defaultFunction } : {}),
      credentials: hostKey,
      onInvocationLog: (entry) => {
        try {
          functionLogs.append(entry);
        } catch (error) {
          // A full disk must not fail the invocation whose log it is.
          options.logger.warn('function log not kept', {
            functionName: entry.functionName,
            error: (error as Error).message,
          });
        }
      },
      ...(options.onFunctionLog ? { onLog: options.onFunctionLog } : {}),
    });
    stops.push(() => host.close());

    const runtime = localRuntime({
      dynamo: db.client,
      tableName: TABLE,
      cursorSecret: secrets.cursor,
      hookSecret: secrets.hook,
      registry: {
        url: registry.url,
        host: registry.host,
        authorization: basicAuth(registryLogin),
        authFile: registryAuthFile,
      },
      functions: host.functions,
      versionHealth: new LocalVersionHealth(host.host),
      functionLogs,
      home,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      logger: options.logger,
      ...(options.slack ? { slack: options.slack } : {}),
      ...(options.retryIntervalSeconds !== undefined
        ? { retryIntervalSeconds: options.retryIntervalSeconds }
        : {}),
    });
    const { store, tokens, workflow, adminTeam } = runtime;
    stops.push(() => workflow.idle());
    const indexed = await indexRegisteredFunctions(db.client, TABLE, store);
    if (indexed.length > 0)
      options.logger.info('functions added to the web page list', {
        functions: indexed.join(', '),
      });

    // Before the first request: deployments a killed Ferry left in flight end (and free their locks).
    const recovered = await recoverStoppedExecutions({
      journal: runtime.journal,
      workflow: runtime.runner,
      store,
      logger: options.logger,
    });
    if (recovered.length > 0)
      options.logger.info('stopped deployments ended', {
        deployments: recovered
          .map((r) => `${r.deploymentId} (${r.state ?? 'unstarted'})`)
          .join(', '),
      });

    const app = createApp(runtime.api);
    const info = {
      registry: registry.host,
      functionHost: host.url,
      invokeEndpoint: `${host.url}/2015-03-31/functions/function/invocations`,
    };
    const sourceBuild = sourceImageBuild(runtime.builder, registry.host);
    // Stopped after the API (stops run in reverse), before the registry a build pushes to.
    stops.push(() => sourceBuild.idle());
    app.route('/v1/local', localRoutes(info, host.functions, runtime.registry, sourceBuild));

    const admin = await settleAdminToken(tokens, home, adminTeam, options.adminToken);
    const newAdminToken = admin.printOnce;
    // Stopped before the workflow drains (stops run in reverse): no rollout starts while it does.
    const dispatcher = startRolloutDispatcher({
      pass: () => dispatchRollouts(runtime.api, runtime.rollouts),
      logger: options.logger,
    });
    stops.push(() => dispatcher.stop());
    workflow.onEnded(() => dispatcher.nudge());
    const server = await startApiServer(app, apiPort);
    stops.push(() => server.close());
    // Once it answers: the CLI finds this Ferry (and a token that works here) by FERRY_HOME alone.
    writeCliConfig(home, { url: server.url, token: admin.cliToken });
    return {
      apiUrl: server.url,
      registryHost: registry.host,
      functionHostUrl: host.url,
      functionHostCredentials: hostKey,
      registryLogin,
      registryAuthFile,
      ...(newAdminToken ? { newAdminToken } : {}),
      workflow,
      store,
      functions: host.functions,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
