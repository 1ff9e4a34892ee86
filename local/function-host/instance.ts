/**
 * One execution environment: an image's process (launcher.ts) and the Runtime API it polls.
 * It runs one invocation at a time and turns every way an invocation can end — response,
 * handled-by-runtime error, init error, timeout, the process exiting — into an outcome, so a
 * broken function is an invoke result and never an exception in the host.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ReportStatus } from '../../services/core/report-line.ts';
import { type LaunchSpec, launch } from './launcher.ts';
import { LogBuffer } from './log-buffer.ts';
import { MemorySampler } from './memory.ts';
import { errorPayload, RuntimeApi, runtimeErrorPayload } from './runtime-api.ts';

/** What to start and how long it may take. */
export interface InstanceSpec {
  readonly launch: LaunchSpec;
  readonly timeoutMs: number;
  /** Lambda allows 10 s for init. */
  readonly initTimeoutMs: number;
  /** Every complete output line, as it comes. */
  readonly onLog?: (line: string) => void;
  /**
   * Started ahead of demand (Lambda's provisioned concurrency): init is not part of any
   * invocation, so even the first one reports no Init Duration and no init output.
   * @default false
   */
  readonly provisioned?: boolean;
  /**
   * The function's MemorySize: an instance whose processes' peak resident memory goes over it
   * is killed and its invocation fails (Lambda's `Runtime.OutOfMemory`). Unset: not enforced.
   */
  readonly memoryLimitMb?: number;
}

/** How often a busy instance's memory is sampled against its limit. */
const MEMORY_CHECK_MS = 100;

/** What a caller may add to one invocation. */
export interface InvokeExtras {
  /** The caller's (Lambda's x-amzn-RequestId); a new UUID when absent. */
  readonly requestId?: string;
  /** Decoded X-Amz-Client-Context JSON, handed to the runtime. */
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  /** Each piece of a streamed response as it arrives (buffered responses never call it). */
  readonly onChunk?: (chunk: Buffer) => void;
}

/** How one invocation ended. */
export interface InvocationOutcome {
  readonly requestId: string;
  readonly payload: string;
  /** Set when the function failed: Lambda's X-Amz-Function-Error. */
  readonly functionError?: 'Unhandled';
  readonly durationMs: number;
  /** Process start → first `/next`, on the instance's first invocation only. */
  readonly initDurationMs: number | null;
  readonly maxMemoryUsedMb: number | null;
  /** What the process printed during init, on a cold invocation ('' otherwise). */
  readonly initLogs: string;
  /** What the process printed while handling this invocation. */
  readonly logs: string;
  /** Set when the platform ended the invocation: REPORT's `Status` (null: it ran to an answer). */
  readonly status: ReportStatus | null;
  /** REPORT's `Error Type` beside an `error` status. */
  readonly errorType: string | null;
  /** The init failed (or timed out) in this invocation: Lambda prints an INIT_REPORT line then. */
  readonly initFailed: boolean;
}

/** How the platform ended an invocation, for its REPORT line. */
interface PlatformEnd {
  readonly status: ReportStatus;
  readonly errorType: string;
}

interface Current {
  readonly requestId: string;
  readonly cold: boolean;
  handoutMark: number | null;
  readonly resolve: (outcome: InvocationOutcome) => void;
  readonly onChunk?: (chunk: Buffer) => void;
  handedOutAt: number | null;
  timer?: NodeJS.Timeout;
  /** Set when the timeout fired: a timed-out invocation lasted (at least) its timeout. */
  timedOutAfterMs?: number;
  /** Set when the platform ended it (timeout, exit, init error, memory). */
  ended?: PlatformEnd;
  memoryTimer?: NodeJS.Timeout;
}

/** A running (or ended) execution environment; see module doc. */
export class Instance {
  /** Called once when the process has exited (for whatever reason). */
  onExit: (() => void) | null = null;
  private readonly log: LogBuffer;
  private child: ChildProcess | null = null;
  private api: RuntimeApi | null = null;
  private readonly startedAt = performance.now();
  private initDurationMs: number | null = null;
  private initTimer: NodeJS.Timeout | undefined;
  private invoked = false;
  private exited = false;
  private killed = false;
  private exitStatus = '';
  private peakMb: number | null = null;
  private memory: MemorySampler | null = null;
  private current: Current | null = null;
  private readonly exitedPromise: Promise<void>;
  private markExited: () => void = () => {};
  /** Resolves when init is done (the first `/next`); rejects with why when the instance ends first. */
  readonly initialized: Promise<void>;
  private endInit: { ok: () => void; failed: (error: Error) => void } = {
    ok: () => {},
    failed: () => {},
  };

  private constructor(private readonly spec: InstanceSpec) {
    this.log = new LogBuffer(64 * 1024, spec.onLog);
    this.exitedPromise = new Promise((resolve) => {
      this.markExited = resolve;
    });
    this.initialized = new Promise((ok, failed) => {
      this.endInit = { ok, failed };
    });
    // Most instances start for an invocation, which reports a failed init itself: nobody awaits this.
    this.initialized.catch(() => {});
  }

  /** Starts the Runtime API and the process (it is ready when it first polls `/next`). */
  static async start(spec: InstanceSpec): Promise<Instance> {
    const instance = new Instance(spec);
    const api = await RuntimeApi.start({
      next: () => instance.onNext(),
      handedOut: (id) => instance.onHandedOut(id),
      response: (id, body) => instance.settle(id, body.toString('utf8'), false),
      chunk: (id, chunk) => instance.onChunk(id, chunk),
      error: (id, body, type) => instance.settle(id, runtimeErrorPayload(body, type), true),
      initError: (body, type) => {
        const payload = runtimeErrorPayload(body, type);
        if (instance.current) {
          instance.current.ended = { status: 'error', errorType: type ?? 'Runtime.Unknown' };
        }
        instance.settle(null, payload, true);
        instance.endInit.failed(new Error(`init error: ${payload}`));
        instance.kill();
      },
    });
    instance.api = api;
    const env = { ...spec.launch.env, AWS_LAMBDA_RUNTIME_API: api.address };
    const child = launch({ ...spec.launch, env });
    instance.child = child;
    if (child.pid) instance.memory = new MemorySampler(child.pid, spec.launch.rootfs);
    const onData = (chunk: Buffer) => instance.log.append(chunk.toString('utf8'));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (error) => instance.onProcessExit(`spawn failed: ${error.message}`));
    // 'close', not 'exit': it comes after the pipes drained, so the last output is in the log.
    child.on('close', (code, signal) =>
      instance.onProcessExit(code !== null ? `exit status ${code}` : `signal: ${signal}`),
    );
    instance.initTimer = setTimeout(() => {
      const seconds = (spec.initTimeoutMs / 1000).toFixed(2);
      instance.fail('Sandbox.Timedout', `Init phase timed out after ${seconds} seconds`);
    }, spec.initTimeoutMs);
    return instance;
  }

  /** False once the process exited or is being killed: such an instance is never reused. */
  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  /** Runs one invocation; resolves however it ends. One at a time per instance. */
  invoke(
    payload: string,
    invokedFunctionArn: string,
    extras: InvokeExtras = {},
  ): Promise<InvocationOutcome> {
    if (this.current) throw new Error('instance is busy: the pool hands out idle instances only');
    const requestId = extras.requestId ?? randomUUID();
    const cold = !this.invoked && !this.spec.provisioned;
    this.invoked = true;
    return new Promise((resolve) => {
      const current: Current = {
        requestId,
        cold,
        resolve,
        handedOutAt: null,
        handoutMark: null,
        ...(extras.onChunk ? { onChunk: extras.onChunk } : {}),
      };
      this.current = current;
      this.watchMemory(current);
      if (!this.alive) {
        const status = this.exitStatus || 'signal: SIGKILL';
        return this.fail('Runtime.ExitError', `Runtime exited with error: ${status}`);
      }
      this.api?.offer({
        requestId,
        payload,
        timeoutMs: this.spec.timeoutMs,
        invokedFunctionArn,
        ...(extras.clientContext ? { clientContext: extras.clientContext } : {}),
        ...(extras.cognitoIdentity ? { cognitoIdentity: extras.cognitoIdentity } : {}),
      });
    });
  }

  /** Kills the instance when its memory goes over the limit while `current` runs. */
  private watchMemory(current: Current): void {
    const limit = this.spec.memoryLimitMb;
    if (limit === undefined || !this.memory) return;
    current.memoryTimer = setInterval(async () => {
      const sample = await this.samplePeak();
      if (sample !== null && sample > limit && this.current === current) this.outOfMemory(sample);
    }, MEMORY_CHECK_MS);
    current.memoryTimer.unref();
  }

  /** Samples the processes' peak memory into the instance's peak; null when unreadable. */
  private async samplePeak(): Promise<number | null> {
    const sample = this.memory && !this.exited ? await this.memory.sample() : null;
    if (sample !== null) this.peakMb = Math.max(this.peakMb ?? 0, sample);
    return sample;
  }

  /** Lambda kills an environment over its MemorySize: the runtime exits on SIGKILL. */
  private outOfMemory(usedMb: number): void {
    this.peakMb = Math.max(this.peakMb ?? 0, usedMb);
    this.fail(
      'Runtime.ExitError',
      'Runtime exited with error: signal: killed',
      'Runtime.OutOfMemory',
    );
  }

  /** Passes a streamed piece on; false when `requestId` is not the current invocation. */
  private onChunk(requestId: string, chunk: Buffer): boolean {
    const current = this.current;
    if (current?.requestId !== requestId) return false;
    current.onChunk?.(chunk);
    return true;
  }

  private onNext(): void {
    if (this.initDurationMs !== null) return;
    this.initDurationMs = performance.now() - this.startedAt;
    clearTimeout(this.initTimer);
    this.endInit.ok();
    // The one costly lookup (a walk of /proc), done while the first invocation runs.
    void this.memory?.locate();
  }

  private onHandedOut(requestId: string): void {
    const current = this.current;
    if (current?.requestId !== requestId) return;
    current.handedOutAt = performance.now();
    current.handoutMark = this.log.mark;
    current.timer = setTimeout(async () => {
      // Timers run on the event loop's millisecond clock and may fire a fraction of a millisecond
      // before performance.now() reaches the timeout; Lambda reports the timeout as the Duration.
      // Max Memory Used is on a timed-out invocation's REPORT too: read it before the kill.
      await this.samplePeak();
      if (this.current !== current) return;
      current.timedOutAfterMs = this.spec.timeoutMs;
      const seconds = (this.spec.timeoutMs / 1000).toFixed(2);
      this.fail('Sandbox.Timedout', `Task timed out after ${seconds} seconds`);
    }, this.spec.timeoutMs);
  }

  private onProcessExit(status: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitStatus = status;
    clearTimeout(this.initTimer);
    this.fail('Runtime.ExitError', `Runtime exited with error: ${status}`);
    void this.api?.close();
    this.markExited();
    this.onExit?.();
  }

  /**
   * Ends the current invocation with a platform error (Lambda logs it too), then stops.
   * `reportErrorType` is REPORT's Error Type when it differs from the payload's.
   */
  private fail(errorType: string, message: string, reportErrorType = errorType): void {
    // Before init is done this is why it never was (after, it is a no-op).
    this.endInit.failed(new Error(`${errorType}: ${message}`));
    const current = this.current;
    if (current) {
      current.ended ??=
        errorType === 'Sandbox.Timedout'
          ? { status: 'timeout', errorType: reportErrorType }
          : { status: 'error', errorType: reportErrorType };
      this.log.append(`RequestId: ${current.requestId} Error: ${message}\n${errorType}\n`);
      this.settle(
        current.requestId,
        errorPayload(errorType, `RequestId: ${current.requestId} Error: ${message}`),
        true,
      );
    }
    this.kill();
  }

  /** Resolves the current invocation if `requestId` is it (null: whichever is current). */
  private settle(requestId: string | null, payload: string, failed: boolean): boolean {
    const current = this.current;
    if (!current || (requestId !== null && current.requestId !== requestId)) return false;
    this.current = null;
    clearTimeout(current.timer);
    clearInterval(current.memoryTimer);
    const now = performance.now();
    // Lambda reports a timed-out invocation's Duration as exactly its timeout.
    const durationMs =
      current.timedOutAfterMs ?? (current.handedOutAt === null ? 0 : now - current.handedOutAt);
    const initDurationMs = current.cold ? (this.initDurationMs ?? now - this.startedAt) : null;
    // Output printed just before the response may still be in the pipe: let one loop turn
    // deliver it, and sample memory while the process still exists.
    setImmediate(async () => {
      await this.samplePeak();
      // The peak is exact (VmHWM): an answer given after going over the limit between two
      // checks is one Lambda would have killed before it came.
      const limit = this.spec.memoryLimitMb;
      if (!current.ended && limit !== undefined && this.peakMb !== null && this.peakMb > limit) {
        current.ended = { status: 'error', errorType: 'Runtime.OutOfMemory' };
        const message = `RequestId: ${current.requestId} Error: Runtime exited with error: signal: killed`;
        this.log.append(`${message}\nRuntime.ExitError\n`);
        payload = errorPayload('Runtime.ExitError', message);
        failed = true;
        this.kill();
      }
      const ended = current.ended ?? null;
      // Never handed out: the init failed (or timed out) within this invocation.
      const initFailed = current.cold && current.handedOutAt === null && ended !== null;
      current.resolve({
        requestId: current.requestId,
        payload,
        ...(failed ? { functionError: 'Unhandled' as const } : {}),
        durationMs,
        initDurationMs,
        maxMemoryUsedMb: this.peakMb,
        status: ended?.status ?? null,
        errorType: ended?.status === 'error' ? ended.errorType : null,
        initFailed,
        // Never handed out (init failed): everything printed is init output.
        initLogs: current.cold ? this.log.between(0, current.handoutMark ?? undefined) : '',
        logs: this.log.between(current.handoutMark ?? this.log.mark),
      });
    });
    return true;
  }

  private kill(): void {
    // Marked at once: the exit is seen a moment later, and the pool must not reuse it meanwhile.
    this.killed = true;
    if (!this.exited) this.child?.kill('SIGKILL');
  }

  /** Kills the process tree (SIGKILL: the launcher ignores SIGTERM) and closes the API. */
  async stop(): Promise<void> {
    this.kill();
    if (this.child) await this.exitedPromise;
    await this.api?.close();
  }
}
