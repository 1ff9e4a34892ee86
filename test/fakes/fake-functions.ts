import { checkAliasRouting, routedVersion } from '../../services/core/alias-routing.ts';
import {
  ConflictError,
  FunctionUpdateFailedError,
  FunctionUpdateTimeoutError,
  InvalidRequestError,
  NotFoundError,
} from '../../services/core/errors.ts';
import type {
  AliasRouting,
  AliasState,
  Architecture,
  FunctionConfig,
  Functions,
  InvokeResult,
  PairedColdStarts,
  ProvisionedConcurrency,
} from '../../services/core/ports.ts';
import { checkProvisionedConcurrency } from '../../services/core/provisioned-concurrency.ts';
import { formatReportLine } from '../../services/core/report-line.ts';
import { FakeProvisioning } from './fake-provisioning.ts';

/** What a fake function's code does when invoked. */
export type InvokeBehavior = (payload: unknown) => {
  statusCode?: number;
  functionError?: 'Unhandled' | 'Handled';
  payload: unknown;
  durationMs?: number;
  initDurationMs?: number;
};

interface Code {
  imageUri: string;
  codeSha256: string;
}

interface FakeFunction {
  name: string;
  packageType: 'Image' | 'Zip';
  architecture: Architecture;
  latest: Code & { revisionId: string; lastUpdateStatus: string };
  versions: Map<string, Code & { revisionId: string }>;
  aliases: Map<string, AliasState>;
  nextVersion: number;
  /** Execution environments per version: an invoke finding one idle is warm. */
  environments: Map<string, number>;
}

const digestOf = (uri: string) => {
  const at = uri.indexOf('@');
  if (at < 0) throw new InvalidRequestError(`image URI ${uri} is not pinned by digest`);
  return uri.slice(at + 1);
};

/**
 * In-memory Lambda with versions, aliases (weighted routing included), revision ids, update
 * statuses, provisioned concurrency (its provisioning planned per digest in `provisioning`) and
 * invoke behaviours. Like Lambda it has no way to start a cold environment on demand, unless
 * built with `{ pairedColdStarts: true }` (the local function host's capability).
 */
export class FakeFunctions implements Functions {
  readonly functions = new Map<string, FakeFunction>();
  /** Invoke behaviour by image digest; digests without one answer `{ ok: true }`. */
  readonly behaviors = new Map<string, InvokeBehavior>();
  /** The LastUpdateStatus a code update to this digest ends in (default Successful). */
  readonly updateStatus = new Map<string, 'Successful' | 'Failed' | 'InProgress'>();
  /** Provisioned concurrency by version; `provisioning.plans` decides how each digest's goes. */
  readonly provisioning = new FakeProvisioning();
  /** The uniform draw in [0, 1) that routes each invocation of a weighted alias. */
  random: () => number = Math.random;
  private revision = 0;
  /** Present only when built with `{ pairedColdStarts: true }`. */
  readonly pairedColdStarts?: (
    name: string,
    version: string,
    baseline: string,
    payload: string,
    count: number,
  ) => Promise<PairedColdStarts>;

  constructor(options: { pairedColdStarts?: boolean } = {}) {
    if (options.pairedColdStarts) {
      this.pairedColdStarts = async (name, version, baseline, payload, count) => {
        const fresh = (q: string) =>
          Array.from({ length: count }, () => this.run(name, q, payload, 'cold'));
        return { version: fresh(version), baseline: fresh(baseline) };
      };
    }
  }

  private nextRevision(): string {
    this.revision += 1;
    return `rev-${this.revision}`;
  }

  /** Creates a function at `imageUri` (pinned), published as version 1 behind `alias`. */
  createFunction(
    name: string,
    imageUri: string,
    options: {
      architecture?: Architecture;
      alias?: string | null;
      packageType?: 'Image' | 'Zip';
    } = {},
  ): void {
    const code = { imageUri, codeSha256: digestOf(imageUri).slice('sha256:'.length) };
    const fn: FakeFunction = {
      name,
      packageType: options.packageType ?? 'Image',
      architecture: options.architecture ?? 'x86_64',
      latest: { ...code, revisionId: this.nextRevision(), lastUpdateStatus: 'Successful' },
      versions: new Map([['1', { ...code, revisionId: this.nextRevision() }]]),
      aliases: new Map(),
      nextVersion: 2,
      environments: new Map(),
    };
    if (options.alias !== null) {
      const alias = { version: '1', additional: null, revisionId: this.nextRevision() };
      fn.aliases.set(options.alias ?? 'live', alias);
    }
    this.functions.set(name, fn);
  }

  private fn(name: string): FakeFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new NotFoundError(`function ${name} not found`);
    return fn;
  }

  private config(fn: FakeFunction, version: string): FunctionConfig {
    const code = version === '$LATEST' ? fn.latest : fn.versions.get(version);
    if (!code) throw new NotFoundError(`function ${fn.name}:${version} not found`);
    return {
      functionName: fn.name,
      functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${fn.name}${version === '$LATEST' ? '' : `:${version}`}`,
      version,
      packageType: fn.packageType,
      architecture: fn.architecture,
      imageUri: code.imageUri,
      resolvedImageUri: code.imageUri,
      codeSha256: code.codeSha256,
      revisionId: code.revisionId,
      state: 'Active',
      lastUpdateStatus: version === '$LATEST' ? fn.latest.lastUpdateStatus : 'Successful',
    };
  }

  /** The digest a qualifier runs (an alias's primary version, a version or $LATEST). */
  digestAt(name: string, qualifier: string): string {
    const fn = this.fn(name);
    const version = fn.aliases.get(qualifier)?.version ?? qualifier;
    const code = version === '$LATEST' ? fn.latest : fn.versions.get(version);
    if (!code) throw new NotFoundError(`${name}:${qualifier} not found`);
    return digestOf(code.imageUri);
  }

  async getFunction(name: string, qualifier = '$LATEST'): Promise<FunctionConfig> {
    const fn = this.fn(name);
    return this.config(fn, fn.aliases.get(qualifier)?.version ?? qualifier);
  }

  async getAlias(name: string, alias: string): Promise<string | null> {
    return this.fn(name).aliases.get(alias)?.version ?? null;
  }

  async getAliasRouting(name: string, alias: string): Promise<AliasState | null> {
    const state = this.fn(name).aliases.get(alias);
    return state ? { ...state } : null;
  }

  async setAliasRouting(
    name: string,
    alias: string,
    routing: AliasRouting,
    revisionId?: string,
  ): Promise<void> {
    checkAliasRouting(name, alias, routing);
    const fn = this.fn(name);
    for (const version of [routing.version, routing.additional?.version]) {
      if (version !== undefined && !fn.versions.has(version)) {
        throw new NotFoundError(`function ${name}:${version} not found`);
      }
    }
    const current = fn.aliases.get(alias);
    if (revisionId !== undefined && !current) {
      throw new NotFoundError(`alias ${name}:${alias} not found`);
    }
    if (revisionId !== undefined && current?.revisionId !== revisionId) {
      throw new ConflictError(
        `alias ${name}:${alias} changed: revision ${current?.revisionId}, expected ${revisionId}`,
      );
    }
    const additional = routing.additional && { ...routing.additional };
    fn.aliases.set(alias, {
      version: routing.version,
      additional,
      revisionId: this.nextRevision(),
    });
  }

  async updateCode(name: string, imageUri: string, revisionId?: string): Promise<FunctionConfig> {
    const fn = this.fn(name);
    if (revisionId && fn.latest.revisionId !== revisionId) {
      throw new ConflictError(
        `function ${name} changed: revision ${fn.latest.revisionId}, expected ${revisionId}`,
      );
    }
    const status = this.updateStatus.get(digestOf(imageUri)) ?? 'Successful';
    fn.latest = {
      imageUri,
      codeSha256: digestOf(imageUri).slice('sha256:'.length),
      revisionId: this.nextRevision(),
      lastUpdateStatus: status === 'Successful' ? 'InProgress' : status,
    };
    // Only an update bound for Successful completes on the next wait; InProgress stays so.
    if (status === 'Successful') this.pendingSuccess.add(name);
    return { ...this.config(fn, '$LATEST'), lastUpdateStatus: 'InProgress' };
  }

  private readonly pendingSuccess = new Set<string>();

  async waitUntilUpdated(name: string, maxWaitSeconds: number): Promise<FunctionConfig> {
    const fn = this.fn(name);
    if (this.pendingSuccess.delete(name) && fn.latest.lastUpdateStatus === 'InProgress') {
      fn.latest.lastUpdateStatus = 'Successful';
    }
    if (fn.latest.lastUpdateStatus === 'Failed') {
      throw new FunctionUpdateFailedError(
        `function ${name} update failed: image could not be pulled`,
      );
    }
    if (fn.latest.lastUpdateStatus === 'InProgress') {
      throw new FunctionUpdateTimeoutError(
        `function ${name} still updating after ${maxWaitSeconds} s`,
      );
    }
    return this.config(fn, '$LATEST');
  }

  async publishVersion(
    name: string,
    codeSha256: string,
    revisionId?: string,
  ): Promise<FunctionConfig> {
    const fn = this.fn(name);
    if (
      fn.latest.codeSha256 !== codeSha256 ||
      (revisionId && fn.latest.revisionId !== revisionId)
    ) {
      throw new ConflictError(`function ${name} changed before publish`);
    }
    if (fn.latest.lastUpdateStatus !== 'Successful') {
      throw new ConflictError(`function ${name} update is ${fn.latest.lastUpdateStatus}`);
    }
    // Lambda returns the existing version when $LATEST has not changed since it was published.
    const newest = String(fn.nextVersion - 1);
    if (fn.versions.get(newest)?.imageUri === fn.latest.imageUri) return this.config(fn, newest);
    const version = String(fn.nextVersion++);
    fn.versions.set(version, {
      imageUri: fn.latest.imageUri,
      codeSha256: fn.latest.codeSha256,
      revisionId: this.nextRevision(),
    });
    fn.latest.revisionId = this.nextRevision();
    return this.config(fn, version);
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    const fn = this.fn(name);
    if (!fn.versions.has(version)) throw new NotFoundError(`function ${name}:${version} not found`);
    // Like UpdateAlias with an empty weight map: any traffic split ends.
    fn.aliases.set(alias, { version, additional: null, revisionId: this.nextRevision() });
  }

  async putProvisionedConcurrency(
    name: string,
    version: string,
    count: number,
  ): Promise<ProvisionedConcurrency> {
    checkProvisionedConcurrency(name, version, count);
    return this.provisioning.put(name, version, this.versionDigest(name, version), count);
  }

  async getProvisionedConcurrency(
    name: string,
    version: string,
  ): Promise<ProvisionedConcurrency | null> {
    checkProvisionedConcurrency(name, version);
    this.versionDigest(name, version);
    return this.provisioning.get(name, version);
  }

  async deleteProvisionedConcurrency(name: string, version: string): Promise<void> {
    checkProvisionedConcurrency(name, version);
    this.versionDigest(name, version);
    this.provisioning.delete(name, version);
  }

  /** A published version's digest; NotFoundError for a missing function or version. */
  private versionDigest(name: string, version: string): string {
    const code = this.fn(name).versions.get(version);
    if (!code) throw new NotFoundError(`function ${name}:${version} not found`);
    return digestOf(code.imageUri);
  }

  async invoke(name: string, qualifier: string, payload: string): Promise<InvokeResult> {
    return this.run(name, qualifier, payload, 'any');
  }

  /**
   * Lambda's way: environments the version already has — provisioned ones once READY included —
   * answer warm, the rest start cold.
   */
  async invokeConcurrently(
    name: string,
    qualifier: string,
    payload: string,
    count: number,
  ): Promise<InvokeResult[]> {
    const fn = this.fn(name);
    const version = fn.aliases.get(qualifier)?.version ?? qualifier;
    const idle = (fn.environments.get(version) ?? 0) + this.provisioning.warm(name, version);
    return Array.from({ length: count }, (_, i) =>
      this.run(name, qualifier, payload, i < idle ? 'warm' : 'cold'),
    );
  }

  /**
   * One invoke: `cold` starts a new environment, `warm` uses one, `any` a warm one if there is
   * (a READY provisioned one counts: Lambda reports no Init Duration on those).
   */
  private run(
    name: string,
    qualifier: string,
    payload: string,
    mode: 'cold' | 'warm' | 'any',
  ): InvokeResult {
    const fn = this.fn(name);
    const routing = fn.aliases.get(qualifier);
    const version = routing ? routedVersion(routing, this.random()) : qualifier;
    const digest = this.digestAt(name, version);
    const behavior: InvokeBehavior =
      this.behaviors.get(digest) ?? (() => ({ payload: { ok: true } }));
    const out = behavior(JSON.parse(payload));
    const environments = fn.environments.get(version) ?? 0;
    const warm = environments + this.provisioning.warm(name, version);
    const cold = mode === 'cold' || (mode === 'any' && warm === 0);
    if (cold) fn.environments.set(version, environments + 1);
    const report = {
      requestId: `req-${fn.name}-${version}`,
      durationMs: out.durationMs ?? 12.5,
      billedDurationMs: Math.ceil(out.durationMs ?? 12.5),
      // Lambda's default MemorySize.
      memorySizeMb: 128,
      maxMemoryUsedMb: 64,
      initDurationMs: cold ? (out.initDurationMs ?? 150) : null,
    };
    return {
      statusCode: out.statusCode ?? 200,
      ...(out.functionError ? { functionError: out.functionError } : {}),
      payload: JSON.stringify(out.payload),
      logTail: `START RequestId: ${report.requestId}\nEND RequestId: ${report.requestId}\n${formatReportLine(report)}\n`,
      report,
      executedVersion: version,
    };
  }
}
