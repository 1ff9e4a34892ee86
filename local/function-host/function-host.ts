/**
 * The local function host: Lambda's model (function-store.ts) run on this machine. An invoke
 * resolves its qualifier to a version and digest (a weighted alias by one draw per invocation),
 * makes sure the digest's root filesystem is unpacked (image-cache.ts), and runs the payload on
 * a warm or new instance (instance-pool.ts) started from the image's ENTRYPOINT/CMD/Env/
 * WorkingDir with Lambda's environment. The result carries a Lambda-style log tail and REPORT
 * line; every call through an alias is counted for the version it ran (version-metrics.ts).
 * Versions with provisioned concurrency keep reserved, initialized instances
 * (provisioned-instances.ts). Each version runs with its configuration (function-config.ts):
 * timeout, MemorySize (the memory limit), environment, /tmp's size.
 */
import { randomBytes } from 'node:crypto';
import { TransientError } from '../../services/core/errors.ts';
import type { InvokeResult } from '../../services/core/ports.ts';
import {
  formatInitReportLine,
  formatReportLine,
  type ReportLine,
} from '../../services/core/report-line.ts';
import { checkConfiguration } from './function-config.ts';
import type { CreateFunctionOptions, Resolved } from './function-model.ts';
import { FunctionStore } from './function-store.ts';
import { ImageCache, type UnpackedImage } from './image-cache.ts';
import { Instance, type InvocationOutcome, type InvokeExtras } from './instance.ts';
import { InstancePool, TooManyRequestsError } from './instance-pool.ts';
import { tail } from './log-buffer.ts';
import type { InvocationLog } from './log-store.ts';
import { ProvisionedInstances } from './provisioned-instances.ts';
import { VersionMetrics } from './version-metrics.ts';

/** Where state lives, where images come from, and the limits. */
export interface FunctionHostOptions {
  /** Holds functions.json and rootfs/ (e.g. `$FERRY_HOME/functions`). */
  readonly stateDir: string;
  /** The local registry, `http://127.0.0.1:<port>`; image URIs are pulled from it by repository. */
  readonly registryUrl: string;
  /** `Authorization` for the registry (local mode's Basic login). @default - anonymous */
  readonly registryAuthorization?: string;
  /**
   * Live instances on this machine, all functions together; only at this bound is an idle
   * instance of one function stopped for another's. @default 32
   */
  readonly maxInstances?: number;
  /** On-demand instances of one function (its concurrency). @default 4 */
  readonly maxInstancesPerFunction?: number;
  /** @default 300 */
  readonly idleSeconds?: number;
  /** @default 100 */
  readonly maxQueued?: number;
  /** @default 10 (Lambda's init limit) */
  readonly initTimeoutSeconds?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** Each line a function prints. */
  readonly onLog?: (entry: { functionName: string; version: string; line: string }) => void;
  /** Each invocation's full log (init output, START, output, END, REPORT) once it has ended. */
  readonly onInvocationLog?: (entry: InvocationLog) => void;
  /** The uniform draw in [0, 1) that routes each invocation of a weighted alias. @default Math.random */
  readonly random?: () => number;
  /** Epoch milliseconds, for the per-version metrics' timestamps. @default Date.now */
  readonly now?: () => number;
}

/** Per-invocation options of {@link FunctionHost.invoke}. */
export interface HostInvokeOptions extends Omit<InvokeExtras, 'onChunk'> {
  /** Runs it on a new instance even when one is warm. */
  readonly cold?: boolean;
  /** Each streamed piece, with the version running it (an alias's draw is made by then). */
  readonly onChunk?: (chunk: Buffer, executedVersion: string) => void;
}

/** The account id in the host's ARNs. */
export const ACCOUNT = '000000000000';
const DEFAULT_MAX_INSTANCES = 32;
const DEFAULT_MAX_PER_FUNCTION = 4;

/** How many on-demand instances of one function the host runs at once. */
export function perFunctionBound(options: FunctionHostOptions): number {
  return Math.min(
    options.maxInstancesPerFunction ?? DEFAULT_MAX_PER_FUNCTION,
    options.maxInstances ?? DEFAULT_MAX_INSTANCES,
  );
}
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Lambda's LD_LIBRARY_PATH (its runtimes' and the function's library directories). */
const DEFAULT_LD_LIBRARY_PATH =
  '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib';

/** Splits `NAME=value` entries of an image config's Env. */
function imageEnv(entries: readonly string[] | null | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** The pool key of a version's code: instances are reused only for exactly that code. */
const instanceKey = (name: string, version: string, codeSha256: string) =>
  `${name}\n${version}\n${codeSha256}`;

/** The host (see module doc). Create with {@link FunctionHost.open}. */
export class FunctionHost {
  /** Provisioned concurrency per version: reserved instances started ahead of invocations. */
  readonly provisioned: ProvisionedInstances;

  private constructor(
    readonly options: FunctionHostOptions,
    readonly store: FunctionStore,
    readonly images: ImageCache,
    readonly pool: InstancePool,
    readonly metrics: VersionMetrics,
  ) {
    // One instance always stays for on-demand invokes, or they could wait for ever.
    const maxReserved = (options.maxInstances ?? DEFAULT_MAX_INSTANCES) - 1;
    this.provisioned = new ProvisionedInstances(
      store,
      pool,
      (name, version) => this.provisionedLaunch(name, version),
      maxReserved,
    );
  }

  /**
   * Loads the state directory and sweeps unpacks a crash left behind; starts the provisioned
   * instances the state asks for in the background.
   */
  static async open(options: FunctionHostOptions): Promise<FunctionHost> {
    const store = await FunctionStore.open(options.stateDir);
    const images = new ImageCache(
      options.stateDir,
      options.registryUrl,
      options.registryAuthorization,
    );
    await images.init();
    const pool = new InstancePool({
      maxInstances: options.maxInstances ?? DEFAULT_MAX_INSTANCES,
      maxPerFunction: options.maxInstancesPerFunction ?? DEFAULT_MAX_PER_FUNCTION,
      idleMs: (options.idleSeconds ?? 300) * 1000,
      maxQueued: options.maxQueued ?? 100,
    });
    const host = new FunctionHost(options, store, images, pool, new VersionMetrics());
    host.provisioned.restore();
    return host;
  }

  /** Lambda-shaped ARN of a function (and qualifier). */
  arn(name: string, qualifier?: string): string {
    const region = this.options.region ?? 'us-east-1';
    const base = `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
    return qualifier ? `${base}:${qualifier}` : base;
  }

  /** Pulls and unpacks the image first (a bad image fails here), then creates the function. */
  async createFunction(name: string, imageUri: string, options: CreateFunctionOptions = {}) {
    checkConfiguration(options);
    await this.images.ensure(imageUri, options.architecture);
    return this.store.create(name, imageUri, options);
  }

  /**
   * True while a function's $LATEST or published version runs the digest `hex`, or an instance
   * started from it is still alive (a deleted version's busy instance ends its invocation first).
   */
  codeInUse(hex: string): boolean {
    for (const fn of this.store.list()) {
      if (fn.latest.codeSha256 === hex) return true;
      if (Object.values(fn.versions).some((v) => v.codeSha256 === hex)) return true;
    }
    return this.pool.hasKeyEnding(`\n${hex}`);
  }

  /**
   * Deletes a published version (function-store.ts says when it may not) and stops its
   * instances; its root filesystem stays until a reclaim finds no version using it.
   */
  async deleteVersion(name: string, version: string): Promise<void> {
    const record = await this.store.deleteVersion(name, version);
    await this.pool.retire(instanceKey(name, version, record.codeSha256));
  }

  /**
   * Invokes `qualifier` (alias, version, $LATEST) synchronously, like `LogType: Tail`. `cold`
   * runs it on a new instance even when one is warm: a cold start, Init Duration reported.
   */
  async invoke(
    name: string,
    qualifier = '$LATEST',
    payload = '{}',
    options: HostInvokeOptions = {},
  ): Promise<InvokeResult> {
    const resolved = this.store.resolve(name, qualifier, (this.options.random ?? Math.random)());
    const at = (this.options.now ?? Date.now)();
    // Lambda counts only calls that reached the code, and throttles apart; so does this.
    const count = (outcome: 'ok' | 'error' | 'throttle', durationMs: number | null) => {
      if (resolved.alias === undefined) return;
      this.metrics.record(name, resolved.alias, resolved.version, { at, outcome, durationMs });
    };
    const { version, code } = resolved;
    let image: UnpackedImage;
    try {
      image = await this.images.ensure(code.imageUri, resolved.configuration.architecture);
    } catch (error) {
      throw new TransientError(
        `${name}:${version} cannot start: image ${code.imageUri}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const key = instanceKey(name, version, code.codeSha256);
    const arn = this.arn(name, qualifier === '$LATEST' ? undefined : qualifier);
    const { cold: _cold, onChunk, ...extras } = options;
    const invokeExtras: InvokeExtras = onChunk
      ? { ...extras, onChunk: (chunk) => onChunk(chunk, version) }
      : extras;
    let outcome: InvocationOutcome;
    try {
      outcome = await this.pool.run(
        key,
        () => Instance.start(this.instanceSpec(resolved, image)),
        (instance) => instance.invoke(payload, arn, invokeExtras),
        options.cold,
      );
    } catch (error) {
      if (error instanceof TooManyRequestsError) count('throttle', null);
      throw error;
    }
    const result = this.result(outcome, version, resolved.configuration.memorySizeMb, name);
    count(outcome.functionError ? 'error' : 'ok', result.report?.durationMs ?? null);
    return result;
  }

  /** How a provisioned instance of a published version starts (its image unpacked first). */
  private async provisionedLaunch(name: string, version: string) {
    const resolved = this.store.resolve(name, version);
    const { code, configuration } = resolved;
    const image = await this.images.ensure(code.imageUri, configuration.architecture);
    const spec = this.instanceSpec(resolved, image, true);
    return { key: instanceKey(name, version, code.codeSha256), start: () => Instance.start(spec) };
  }

  /**
   * How an instance of the resolved version starts: its image's ENTRYPOINT/CMD/WorkingDir, and
   * the environment Lambda gives it — PATH, LANG, LD_LIBRARY_PATH (unreserved: the image and
   * the function may change them), the image's Env, the function's Environment.Variables, then
   * Lambda's reserved variables, which win. No AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/
   * AWS_SESSION_TOKEN: a local function has no execution role (set them as Environment
   * variables to call AWS from it). Timeout, MemorySize (the memory limit) and /tmp's size
   * (EphemeralStorage) are the version's configuration.
   */
  private instanceSpec(resolved: Resolved, image: UnpackedImage, provisioned = false) {
    const { fn, version, configuration } = resolved;
    const config = image.config.config ?? {};
    const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    const region = this.options.region ?? 'us-east-1';
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    const env = {
      PATH: DEFAULT_PATH,
      LANG: 'en_US.UTF-8',
      LD_LIBRARY_PATH: DEFAULT_LD_LIBRARY_PATH,
      ...imageEnv(config.Env),
      ...configuration.environment,
      // Lambda's reserved variables win over the image's and the function's.
      TZ: ':UTC',
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(configuration.memorySizeMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[${version}]${randomBytes(16).toString('hex')}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: provisioned ? 'provisioned-concurrency' : 'on-demand',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      LAMBDA_TASK_ROOT: '/var/task',
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      _HANDLER: config.Cmd?.[0] ?? '',
    };
    const onLog = this.options.onLog;
    return {
      launch: {
        rootfs: image.rootfs,
        // An image with neither ENTRYPOINT nor CMD fails to exec: an init error, like Lambda's.
        argv: argv.length > 0 ? argv : ['/var/runtime/bootstrap'],
        env,
        workingDir: config.WorkingDir || '/',
        tmpSize: `${configuration.ephemeralStorageMb}m`,
      },
      timeoutMs: configuration.timeoutSeconds * 1000,
      memoryLimitMb: configuration.memorySizeMb,
      initTimeoutMs: (this.options.initTimeoutSeconds ?? 10) * 1000,
      provisioned,
      ...(onLog
        ? { onLog: (line: string) => onLog({ functionName: fn.name, version, line }) }
        : {}),
    };
  }

  private result(
    outcome: InvocationOutcome,
    version: string,
    memorySizeMb: number,
    functionName: string,
  ): InvokeResult {
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const { requestId, durationMs, initDurationMs, status, errorType, initFailed } = outcome;
    const report: ReportLine = {
      requestId,
      durationMs: round(durationMs),
      // Container-image functions are billed for init too, per millisecond.
      billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? 0)),
      memorySizeMb,
      maxMemoryUsedMb: outcome.maxMemoryUsedMb,
      // A failed init has its duration on the INIT_REPORT line only: it is no cold start.
      initDurationMs: initDurationMs === null || initFailed ? null : round(initDurationMs),
      status,
      errorType,
    };
    const initReport =
      initFailed && status !== null
        ? `${formatInitReportLine({ initDurationMs: round(initDurationMs ?? durationMs), status, errorType })}\n`
        : '';
    const log = [
      outcome.initLogs,
      initReport,
      `START RequestId: ${requestId} Version: ${version}\n`,
      outcome.logs && !outcome.logs.endsWith('\n') ? `${outcome.logs}\n` : outcome.logs,
      `END RequestId: ${requestId}\n`,
      `${formatReportLine(report)}\n`,
    ].join('');
    const at = (this.options.now ?? Date.now)();
    this.options.onInvocationLog?.({ functionName, version, requestId, log, at });
    return {
      statusCode: 200,
      ...(outcome.functionError ? { functionError: outcome.functionError } : {}),
      payload: outcome.payload,
      logTail: tail(log),
      report,
      executedVersion: version,
    };
  }

  /** Stops every instance (and so every child process). */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
