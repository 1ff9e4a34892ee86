/**
 * The Functions port in local mode, over the local function host (local/function-host). Same
 * semantics as Lambda and test/fakes/fake-functions.ts: pinned image URIs only, RevisionId
 * checks (ConflictError), an update is InProgress until its image is pulled and unpacked
 * (Successful) or cannot be (Failed → FunctionUpdateFailedError), publishing an unchanged
 * $LATEST returns the existing version, aliases are created or moved, weighted aliases route
 * each invocation by a draw (the host's), and setAlias ends any split. Provisioned concurrency
 * is that many reserved instances of the version, initialized in the background. Cold starts can
 * be had on demand (a new instance per sample), so the live version can be measured beside a new
 * one. Beyond the port, a function's configuration (Timeout, MemorySize, Environment, …) is read
 * and updated like Lambda's UpdateFunctionConfiguration, for the local CLI and API.
 */

import type {
  ConfigurationChange,
  FunctionConfiguration,
} from '../../../local/function-host/function-config.ts';
import { type FunctionHost, perFunctionBound } from '../../../local/function-host/function-host.ts';
import type {
  CreateFunctionOptions,
  LatestRecord,
} from '../../../local/function-host/function-model.ts';
import {
  FERRY_ERROR_NAMES,
  FunctionUpdateFailedError,
  FunctionUpdateTimeoutError,
  TransientError,
} from '../../core/errors.ts';
import type {
  AliasRouting,
  AliasState,
  FunctionConfig,
  Functions,
  InvokeResult,
  PairedColdStarts,
  ProvisionedConcurrency,
} from '../../core/ports.ts';
import { settledSamples } from '../settled-samples.ts';

const isNamedFerryError = (error: unknown) =>
  error instanceof Error && (FERRY_ERROR_NAMES as readonly string[]).includes(error.name);

/** A local function's configuration at one qualifier, with what identifies it. */
export interface LocalFunctionConfiguration extends FunctionConfiguration {
  readonly functionName: string;
  readonly version: string;
  readonly imageUri: string;
  readonly revisionId: string;
  readonly lastUpdateStatus: 'InProgress' | 'Successful' | 'Failed';
}

/** Functions backed by the local function host. */
export class LocalFunctions implements Functions {
  /** Unpacks standing in for Lambda's update, by function name. */
  private readonly updates = new Map<string, Promise<unknown>>();

  constructor(readonly host: FunctionHost) {}

  /** Creates a function on a pinned image (pulled and unpacked first), version 1 behind `alias`. */
  async createFunction(
    name: string,
    imageUri: string,
    options: CreateFunctionOptions = {},
  ): Promise<FunctionConfig> {
    await this.host.createFunction(name, imageUri, options);
    return this.getFunction(name);
  }

  /** The function's configuration (and code) at `qualifier`, as Lambda's GetFunctionConfiguration has it. */
  getConfiguration(name: string, qualifier = '$LATEST'): LocalFunctionConfiguration {
    const { fn, version, code, configuration } = this.host.store.resolve(name, qualifier);
    const latest = version === '$LATEST';
    return {
      functionName: fn.name,
      version,
      imageUri: code.imageUri,
      revisionId: latest ? fn.latest.revisionId : (fn.versions[version]?.revisionId ?? ''),
      lastUpdateStatus: latest ? fn.latest.lastUpdateStatus : 'Successful',
      ...configuration,
    };
  }

  /** UpdateFunctionConfiguration of $LATEST (published versions keep theirs). */
  async updateConfiguration(
    name: string,
    change: ConfigurationChange,
    revisionId?: string,
  ): Promise<LocalFunctionConfiguration> {
    await this.host.store.updateConfiguration(name, change, revisionId);
    return this.getConfiguration(name);
  }

  async getFunction(name: string, qualifier = '$LATEST'): Promise<FunctionConfig> {
    const { fn, version, code } = this.host.store.resolve(name, qualifier);
    const latest = version === '$LATEST';
    return {
      functionName: fn.name,
      functionArn: this.host.arn(fn.name, latest ? undefined : version),
      version,
      packageType: fn.packageType,
      architecture: fn.architecture,
      imageUri: code.imageUri,
      resolvedImageUri: code.imageUri,
      codeSha256: code.codeSha256,
      revisionId: latest ? fn.latest.revisionId : (fn.versions[version]?.revisionId ?? ''),
      state: 'Active',
      lastUpdateStatus: latest ? fn.latest.lastUpdateStatus : 'Successful',
    };
  }

  async getAlias(name: string, alias: string): Promise<string | null> {
    return this.host.store.alias(name, alias)?.version ?? null;
  }

  async getAliasRouting(name: string, alias: string): Promise<AliasState | null> {
    const record = this.host.store.alias(name, alias);
    return record && { ...record };
  }

  async setAliasRouting(
    name: string,
    alias: string,
    routing: AliasRouting,
    revisionId?: string,
  ): Promise<void> {
    await this.host.store.setAliasRouting(name, alias, routing, revisionId);
  }

  async updateCode(name: string, imageUri: string, revisionId?: string): Promise<FunctionConfig> {
    const fn = await this.host.store.updateLatest(name, imageUri, revisionId);
    this.startUpdate(name, fn.latest);
    return this.getFunction(name);
  }

  /** Pulls and unpacks $LATEST's image, then records Successful or Failed for that update. */
  private startUpdate(name: string, latest: LatestRecord): Promise<unknown> {
    const { store, images } = this.host;
    const architecture = store.get(name).architecture;
    const update = images.ensure(latest.imageUri, architecture).then(
      () => store.finishUpdate(name, latest.revisionId, 'Successful'),
      (error: Error) => store.finishUpdate(name, latest.revisionId, 'Failed', error.message),
    );
    this.updates.set(name, update);
    void update.finally(() => {
      if (this.updates.get(name) === update) this.updates.delete(name);
    });
    return update;
  }

  async waitUntilUpdated(name: string, maxWaitSeconds: number): Promise<FunctionConfig> {
    const fn = this.host.store.get(name);
    if (fn.latest.lastUpdateStatus === 'InProgress') {
      // After a restart nothing is unpacking for an update recorded InProgress: resume it.
      const update = this.updates.get(name) ?? this.startUpdate(name, fn.latest);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(resolve, maxWaitSeconds * 1000);
      });
      await Promise.race([update, timeout]).finally(() => clearTimeout(timer));
    }
    const { latest } = this.host.store.get(name);
    if (latest.lastUpdateStatus === 'Failed') {
      throw new FunctionUpdateFailedError(
        `function ${name} update failed: image ${latest.imageUri} could not be pulled and unpacked: ${latest.lastUpdateStatusReason ?? 'no reason recorded'}`,
      );
    }
    if (latest.lastUpdateStatus === 'InProgress') {
      throw new FunctionUpdateTimeoutError(
        `function ${name} still updating after ${maxWaitSeconds} s (unpacking ${latest.imageUri})`,
      );
    }
    return this.getFunction(name);
  }

  async publishVersion(
    name: string,
    codeSha256: string,
    revisionId?: string,
  ): Promise<FunctionConfig> {
    const version = await this.host.store.publish(name, codeSha256, revisionId);
    return this.getFunction(name, version);
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.host.store.setAlias(name, alias, version);
  }

  async putProvisionedConcurrency(
    name: string,
    version: string,
    count: number,
  ): Promise<ProvisionedConcurrency> {
    return this.host.provisioned.put(name, version, count);
  }

  async getProvisionedConcurrency(
    name: string,
    version: string,
  ): Promise<ProvisionedConcurrency | null> {
    return this.host.provisioned.get(name, version);
  }

  async deleteProvisionedConcurrency(name: string, version: string): Promise<void> {
    await this.host.provisioned.delete(name, version);
  }

  async invoke(name: string, qualifier: string, payload: string): Promise<InvokeResult> {
    return this.invokeOn(name, qualifier, payload, false);
  }

  /** Each invoke on a new instance of its own: the host never hands a sample a warm one. */
  async invokeConcurrently(
    name: string,
    qualifier: string,
    payload: string,
    count: number,
  ): Promise<InvokeResult[]> {
    return settledSamples(
      Array.from({ length: count }, () => this.invokeOn(name, qualifier, payload, true)),
    );
  }

  /**
   * Pairs of new instances, one of each version started at the same moment, so that whatever
   * else the machine is doing weighs on both alike. As many pairs run at once as the host's
   * instance bound holds; which of the two starts first alternates.
   */
  async pairedColdStarts(
    name: string,
    version: string,
    baseline: string,
    payload: string,
    count: number,
  ): Promise<PairedColdStarts> {
    // Both versions are of one function: the pairs share its bound.
    const wave = Math.max(1, Math.floor(perFunctionBound(this.host.options) / 2));
    const ofVersion: InvokeResult[] = [];
    const ofBaseline: InvokeResult[] = [];
    for (let first = 0; first < count; first += wave) {
      const pairs = Array.from({ length: Math.min(wave, count - first) }, async (_, i) => {
        const order = (first + i) % 2 === 0 ? [version, baseline] : [baseline, version];
        const [a, b] = await Promise.all(order.map((q) => this.invokeOn(name, q, payload, true)));
        return order[0] === version ? [a, b] : [b, a];
      });
      for (const [v, b] of await Promise.all(pairs)) {
        if (v) ofVersion.push(v);
        if (b) ofBaseline.push(b);
      }
    }
    return { version: ofVersion, baseline: ofBaseline };
  }

  private async invokeOn(
    name: string,
    qualifier: string,
    payload: string,
    cold: boolean,
  ): Promise<InvokeResult> {
    try {
      return await this.host.invoke(name, qualifier, payload, { cold });
    } catch (error) {
      if (isNamedFerryError(error)) throw error;
      // TooManyRequests (the instance bound and its queue are full) and host faults pass with time.
      throw new TransientError(`local invoke ${name}:${qualifier}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
