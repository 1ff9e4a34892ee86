/**
 * Local mode's Build step: CodeBuild's job done with buildah on this machine. It reads the same
 * FERRY_* environment the buildspec reads (services/core/build-environment.ts), fetches the source,
 * builds with `buildah bud` and pushes the candidate tag to the local registry. Every value from
 * the request travels as one argv entry, never as shell text. A failed build throws what a failed
 * `startBuild.sync` throws: an Error named `States.TaskFailed` whose message is the Build as JSON,
 * with CodeBuild's `Phases` (the failed phase's context message names what failed).
 */
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type BuildEnvironment,
  parseBuildEnvironment,
} from '../services/core/build-environment.ts';
import { describeError } from '../services/core/errors.ts';
import { parseImageRef } from '../services/core/image-ref.ts';
import type { Logger } from '../services/core/logger.ts';
import {
  checkSource,
  fetchSource,
  GIT_ENV,
  resolveBuildPaths,
  SourceError,
} from './build-source.ts';
import { buildahStorageArgs, ensureBusyboxBase, spawnLogged } from './buildah.ts';
import { describeBuildahFailure } from './buildah-failure.ts';
import type { Builder, BuildOutcome, BuildRequest } from './workflow-runner.ts';

/** Options for {@link createBuildahBuilder}. */
export interface BuildahBuilderOptions {
  /** A containers auth file with the registry's login (`--authfile`, never on a command line). @default - anonymous */
  readonly authFile?: string;
  /** `127.0.0.1:<port>`: the registry candidates are pushed to (plain HTTP). */
  readonly registryHost: string;
  /** buildah's storage (`--root`/`--runroot`). @default - `<tmpdir>/ferry-buildah` */
  readonly storageRoot?: string;
  /** Where build logs are kept (a log per build, linked from the deployment). @default - `<tmpdir>/ferry-builds` */
  readonly logDir?: string;
  /** Where sources are checked out; each checkout is removed after its build. @default - the OS temp dir */
  readonly workDir?: string;
  /** Limit for each command (fetch, bud, push). @default 1800000 (30 minutes) */
  readonly timeoutMs?: number;
  /** Log lines quoted in a failure's reason. @default 20 */
  readonly logTailLines?: number;
  /** Platforms it may build. @default - this machine's (buildah cannot emulate another here) */
  readonly platforms?: readonly string[];
  /**
   * One layer per Dockerfile instruction (`--layers`), so the scan can name the line that made a
   * big layer; without it buildah commits a stage as one layer credited to its last line. Costs
   * about 2-3 s a build here (cache checks on vfs). @default true
   */
  readonly layers?: boolean;
  /** Build the busybox base the examples use if the storage lacks it. @default true */
  readonly seedBaseImage?: boolean;
  /**
   * Told each build's id and log link once its request is checked, before anything runs, so the
   * deployment can point at the log while the build writes it (CodeBuild's id is known only when
   * its `.sync` Task ends). Best effort: a failure is logged, the build goes on.
   * @default - nobody is told
   */
  readonly onStarted?: (build: {
    readonly deploymentId: string;
    readonly buildId: string;
    readonly link: string;
  }) => Promise<void>;
  /** @default - no log lines */
  readonly logger?: Logger;
}

const HOST_PLATFORM = `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** The request's environment, checked: the schema's rules, then what this machine can build. */
function readEnv(request: BuildRequest, options: BuildahBuilderOptions): BuildEnvironment {
  const env = parseBuildEnvironment(
    Object.fromEntries(request.EnvironmentVariablesOverride.map((v) => [v.Name, v.Value])),
  );
  const platform = env.FERRY_PLATFORM;
  if (!(options.platforms ?? [HOST_PLATFORM]).includes(platform)) {
    throw new SourceError(
      `FERRY_PLATFORM ${platform} cannot be built on this ${HOST_PLATFORM} machine: local mode builds for ${HOST_PLATFORM} (use an ${HOST_PLATFORM === 'linux/amd64' ? 'x86_64' : 'arm64'} function)`,
    );
  }
  return env;
}

/** `host/repo:tag` to push to: the repository may name our registry, never another one. */
function destination(env: BuildEnvironment, registryHost: string): string {
  const ref = parseImageRef(`${env.FERRY_IMAGE_REPOSITORY}:${env.FERRY_IMAGE_TAG}`);
  if (ref.registry && ref.registry !== registryHost) {
    throw new SourceError(
      `FERRY_IMAGE_REPOSITORY ${env.FERRY_IMAGE_REPOSITORY} names registry ${ref.registry}; local mode pushes only to ${registryHost}`,
    );
  }
  return `${registryHost}/${ref.repository}:${ref.tag}`;
}

/** The log from byte `from` on (at most its last 64 KiB), as lines. */
function logLines(logFile: string, from = 0): string[] {
  const fd = openSync(logFile, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(from, size - 64 * 1024);
    const text = Buffer.alloc(size - start);
    readSync(fd, text, 0, text.length, start);
    return text.toString('utf8').trimEnd().split('\n');
  } finally {
    closeSync(fd);
  }
}

/** The CodeBuild phase a failure happened in, as the buildspec's phases split the work. */
type Phase = 'PRE_BUILD' | 'BUILD' | 'POST_BUILD';

/** `buildah bud` argv: every request value is one entry, never parsed by a shell. */
function budArgs(
  env: BuildEnvironment,
  paths: { context: string; dockerfile: string },
  target: string,
  layers: boolean,
): string[] {
  return [
    'bud',
    // --force-rm (allowed only with --layers): a failed build leaves no container behind.
    ...(layers ? ['--layers', '--force-rm'] : []),
    '--isolation',
    'chroot',
    '--platform',
    env.FERRY_PLATFORM,
    '-f',
    paths.dockerfile,
    ...Object.entries(env.FERRY_BUILD_ARGS).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    '-t',
    target,
    paths.context,
  ];
}

/** Creates the local Builder (see the module comment). */
export function createBuildahBuilder(options: BuildahBuilderOptions): Builder {
  const storageRoot = options.storageRoot ?? join(tmpdir(), 'ferry-buildah');
  const logDir = options.logDir ?? join(tmpdir(), 'ferry-builds');
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const storage = buildahStorageArgs(storageRoot);
  let base: Promise<void> | undefined;
  const ensureBase = (logFd: number) => {
    base ??= ensureBusyboxBase(storageRoot, { logFd }).catch((error: unknown) => {
      base = undefined; // let the next build try again
      throw error;
    });
    return base;
  };

  return async function buildahBuild(request: BuildRequest): Promise<BuildOutcome> {
    const uuid = randomUUID();
    const id = `${request.ProjectName}:${uuid}`;
    // A build log shows the source's output and paths: only the owner reads it.
    mkdirSync(logDir, { recursive: true, mode: 0o700 });
    const logFile = join(logDir, `${uuid}.log`);
    const logs = { DeepLink: pathToFileURL(logFile).href };
    const startTime = Date.now();
    const logFd = openSync(logFile, 'a', 0o600);
    let phase: Phase = 'PRE_BUILD';
    let budFrom = 0;
    let dockerfile: string | undefined;
    const note = (line: string) => writeSync(logFd, `ferry: ${line}\n`);
    const run = (command: string, args: readonly string[]) =>
      spawnLogged(command, args, { logFd, env: GIT_ENV, timeoutMs });
    let checkout: string | undefined;
    try {
      // Everything from the request is checked before anything is fetched or run.
      const env = readEnv(request, options);
      const { FERRY_SOURCE_URL: source, FERRY_SOURCE_REF: ref } = env;
      // The schema allows every builder's schemes; this one refuses s3:// itself.
      const url = checkSource(source, ref);
      const target = destination(env, options.registryHost);
      options.logger?.info('build started', { buildId: id, source, target });
      await options
        .onStarted?.({ deploymentId: env.FERRY_DEPLOYMENT_ID, buildId: id, link: logs.DeepLink })
        .catch((error: unknown) =>
          options.logger?.warn('build start not recorded', {
            buildId: id,
            ...describeError(error),
          }),
        );
      note(`build ${id}: ${source} ${ref || '(default ref)'} -> ${target} (${env.FERRY_PLATFORM})`);

      checkout = await mkdtemp(join(options.workDir ?? tmpdir(), 'ferry-src-'));
      await fetchSource(url, ref, checkout, run);
      const paths = await resolveBuildPaths(checkout, env.FERRY_CONTEXT, env.FERRY_DOCKERFILE);
      if (options.seedBaseImage !== false) await ensureBase(logFd);
      dockerfile = readFileSync(paths.dockerfile, 'utf8');
      phase = 'BUILD';
      budFrom = fstatSync(logFd).size;
      const auth = options.authFile ? ['--authfile', options.authFile] : [];
      const bud = budArgs(env, paths, target, options.layers !== false);
      // bud may pull a FROM image from the registry too.
      await run('buildah', [...storage, bud[0] ?? 'bud', ...auth, ...bud.slice(1)]);
      const digestFile = join(checkout, '.ferry-digest');
      phase = 'POST_BUILD';
      await run('buildah', [
        ...storage,
        'push',
        '--tls-verify=false',
        ...auth,
        '--digestfile',
        digestFile,
        target,
        `docker://${target}`,
      ]);
      note(`pushed ${target}@${readFileSync(digestFile, 'utf8').trim()}`);
      // The registry has it now; the cached layers stay for the next build.
      await run('buildah', [...storage, 'rmi', target]).catch(() => undefined);
      options.logger?.info('build succeeded', { buildId: id, target });
      const Build = { Id: id, StartTime: startTime, EndTime: Date.now(), Logs: logs };
      return { Build: { ...Build, BuildStatus: 'SUCCEEDED' } };
    } catch (error) {
      const message = (error as Error).message;
      const what =
        phase === 'BUILD'
          ? describeBuildahFailure(logLines(logFile, budFrom), dockerfile, message)
          : message;
      note(`build failed: ${message}`);
      options.logger?.warn('build failed', { buildId: id, error: message, failed: what });
      const reason = logLines(logFile)
        .slice(-(options.logTailLines ?? 20))
        .join('\n')
        .slice(-4000);
      const Build = { Id: id, StartTime: startTime, EndTime: Date.now(), Logs: logs };
      const Phases = [
        {
          PhaseType: phase,
          PhaseStatus: 'FAILED',
          Contexts: [{ StatusCode: 'COMMAND_EXECUTION_ERROR', Message: what }],
        },
      ];
      // What a failed startBuild.sync throws; Finalize reads Id, Phases and Logs from it.
      const failure = new Error(
        JSON.stringify({ ...Build, BuildStatus: 'FAILED', Phases, reason }),
        { cause: error },
      );
      failure.name = 'States.TaskFailed';
      throw failure;
    } finally {
      closeSync(logFd);
      if (checkout) await rm(checkout, { recursive: true, force: true });
    }
  };
}
