/**
 * The Functions port on AWS Lambda. Code is released by image digest only; every write that
 * can carry a RevisionId does, so a concurrent change surfaces as ConflictError.
 */
import {
  CreateAliasCommand,
  type FunctionCodeLocation,
  type FunctionConfiguration,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  type LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  waitForFunctionUpdatedV2,
  waitForPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import { checkAliasRouting } from '../../core/alias-routing.ts';
import {
  ConflictError,
  FunctionUpdateFailedError,
  FunctionUpdateTimeoutError,
  InvalidRequestError,
} from '../../core/errors.ts';
import { parseImageRef, pinnedUri } from '../../core/image-ref.ts';
import type {
  AliasRouting,
  AliasState,
  Architecture,
  FunctionConfig,
  Functions,
  InvokeResult,
  ProvisionedConcurrency,
} from '../../core/ports.ts';
import { parseReportLine } from '../../core/report-line.ts';
import { settledSamples } from '../settled-samples.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';
import { aliasStateOf, describeRouting, routingConfigOf } from './lambda-alias-routing.ts';
import {
  deleteProvisionedConcurrency,
  getProvisionedConcurrency,
  putProvisionedConcurrency,
} from './lambda-provisioned-concurrency.ts';

/** Options for LambdaFunctions. */
export interface LambdaFunctionsOptions {
  /**
   * First delay between update-status polls; later ones back off (with jitter) up to 5 times it.
   * @default 1
   */
  readonly pollDelaySeconds?: number;
  /**
   * Bound on waiting for a published version to become Active (before that, invoking it fails).
   * @default 120
   */
  readonly publishWaitSeconds?: number;
}

const rethrowAs = (context: string) => (error: unknown) => {
  throw toFerryError(error, context);
};

/** A port-shaped config from Lambda's FunctionConfiguration (+ code location when known). */
function toFunctionConfig(c: FunctionConfiguration, code?: FunctionCodeLocation): FunctionConfig {
  return {
    functionName: c.FunctionName ?? '',
    functionArn: c.FunctionArn ?? '',
    version: c.Version ?? '$LATEST',
    packageType: c.PackageType === 'Zip' ? 'Zip' : 'Image',
    architecture: (c.Architectures?.[0] ?? 'x86_64') as Architecture,
    resolvedImageUri: code?.ResolvedImageUri ?? null,
    imageUri: code?.ImageUri ?? null,
    codeSha256: c.CodeSha256 ?? '',
    revisionId: c.RevisionId ?? '',
    state: c.State ?? '',
    lastUpdateStatus: c.LastUpdateStatus ?? '',
  };
}

/** Functions on Lambda, through one LambdaClient (its region and credentials). */
export class LambdaFunctions implements Functions {
  private readonly pollDelaySeconds: number;
  private readonly publishWaitSeconds: number;

  constructor(
    private readonly client: LambdaClient,
    options: LambdaFunctionsOptions = {},
  ) {
    this.pollDelaySeconds = options.pollDelaySeconds ?? 1;
    this.publishWaitSeconds = options.publishWaitSeconds ?? 120;
  }

  async getFunction(name: string, qualifier?: string): Promise<FunctionConfig> {
    const out = await this.client
      .send(new GetFunctionCommand({ FunctionName: name, Qualifier: qualifier }))
      .catch(rethrowAs(`lambda:GetFunction ${name}${qualifier ? `:${qualifier}` : ''}`));
    return toFunctionConfig(out.Configuration ?? {}, out.Code);
  }

  async getAlias(name: string, alias: string): Promise<string | null> {
    try {
      const out = await this.client.send(new GetAliasCommand({ FunctionName: name, Name: alias }));
      return out.FunctionVersion ?? null;
    } catch (error) {
      if (isAwsErrorNamed(error, 'ResourceNotFoundException')) return null;
      throw toFerryError(error, `lambda:GetAlias ${name}:${alias}`);
    }
  }

  async updateCode(name: string, imageUri: string, revisionId?: string): Promise<FunctionConfig> {
    const ref = parseImageRef(imageUri);
    if (!ref.digest) {
      throw new InvalidRequestError(
        `updateCode got image "${imageUri}" for ${name}; releases are by digest only: pass repository@sha256:…`,
      );
    }
    const out = await this.client
      .send(
        new UpdateFunctionCodeCommand({
          FunctionName: name,
          ImageUri: imageUri,
          RevisionId: revisionId,
          Publish: false,
        }),
      )
      .catch(rethrowAs(`lambda:UpdateFunctionCode ${name} -> ${imageUri}`));
    // The response carries no code location; the digest pins what Lambda resolves to.
    return toFunctionConfig(out, {
      ImageUri: imageUri,
      ResolvedImageUri: pinnedUri(ref, ref.digest),
    });
  }

  async waitUntilUpdated(name: string, maxWaitSeconds: number): Promise<FunctionConfig> {
    if (!(maxWaitSeconds > 0)) {
      throw new InvalidRequestError(`maxWaitSeconds must be > 0; got ${maxWaitSeconds}`);
    }
    // The waiter requires maxWaitTime > minDelay and maxDelay >= minDelay.
    const minDelay = Math.min(this.pollDelaySeconds, maxWaitSeconds / 2);
    const maxDelay = Math.max(minDelay, Math.min(this.pollDelaySeconds * 5, maxWaitSeconds));
    // waitFor… returns the final state and response; waitUntil… would throw a plain Error whose
    // message is that result as JSON.
    const watch = this.pollUntilIncurable(`lambda:GetFunction ${name}`);
    const result = await waitForFunctionUpdatedV2(
      {
        client: watch.client,
        maxWaitTime: maxWaitSeconds,
        minDelay,
        maxDelay,
        abortSignal: watch.signal,
      },
      { FunctionName: name },
    );
    const state: string = result.state;
    const final = result.reason as {
      Configuration?: FunctionConfiguration;
      Code?: FunctionCodeLocation;
    };
    if (state === 'SUCCESS' && final?.Configuration) {
      // The poll that saw Successful: its revision and code are the ones the update produced.
      return toFunctionConfig(final.Configuration, final.Code);
    }
    if (state === 'SUCCESS') return this.getFunction(name);
    if (state === 'FAILURE') {
      const c = final?.Configuration;
      throw new FunctionUpdateFailedError(
        `function ${name} update failed: ${c?.LastUpdateStatusReasonCode ?? 'unknown'}: ${c?.LastUpdateStatusReason ?? 'no reason given'}`,
      );
    }
    watch.rethrow();
    const observed = Object.entries(result.observedResponses ?? {})
      .map(([response, count]) => `${response} ×${count}`)
      .join('; ');
    throw new FunctionUpdateTimeoutError(
      `function ${name} update not Successful within ${maxWaitSeconds} s (${state}; polls: ${observed || 'none'})`,
    );
  }

  async publishVersion(
    name: string,
    codeSha256: string,
    revisionId?: string,
  ): Promise<FunctionConfig> {
    const out = await this.client
      .send(
        new PublishVersionCommand({
          FunctionName: name,
          CodeSha256: codeSha256,
          RevisionId: revisionId,
        }),
      )
      .catch((error: unknown) => {
        const context = `lambda:PublishVersion ${name}`;
        // Lambda reports a changed $LATEST by code as an invalid parameter ("CodeSHA256 (…) is
        // different from current CodeSHA256 in $LATEST"): a lost race, as a changed revision is.
        if (
          isAwsErrorNamed(error, 'InvalidParameterValueException') &&
          /CodeSHA256/i.test(error.message)
        ) {
          throw new ConflictError(`${context} failed: ${error.message}`, { cause: error });
        }
        throw toFerryError(error, context);
      });
    if (!out.Version) return toFunctionConfig(out);
    if (out.State !== 'Active') await this.waitUntilVersionActive(name, out.Version);
    // PublishVersion returns no code location; a version is immutable, so reading it back is exact.
    return this.getFunction(name, out.Version);
  }

  /** A new version is Pending until Lambda has optimized its image; an invoke before fails. */
  private async waitUntilVersionActive(name: string, version: string): Promise<void> {
    const maxWaitTime = this.publishWaitSeconds;
    const minDelay = Math.min(this.pollDelaySeconds, maxWaitTime / 2);
    const maxDelay = Math.max(minDelay, Math.min(this.pollDelaySeconds * 5, maxWaitTime));
    const watch = this.pollUntilIncurable(`lambda:GetFunctionConfiguration ${name}:${version}`);
    const result = await waitForPublishedVersionActive(
      { client: watch.client, maxWaitTime, minDelay, maxDelay, abortSignal: watch.signal },
      { FunctionName: name, Qualifier: version },
    );
    if (result.state === 'SUCCESS') return;
    watch.rethrow();
    const final = result.reason as {
      State?: string;
      StateReasonCode?: string;
      StateReason?: string;
    };
    if (result.state === 'FAILURE') {
      throw new FunctionUpdateFailedError(
        `function ${name} version ${version} is ${final?.State ?? 'Failed'}: ${final?.StateReasonCode ?? 'unknown'}: ${final?.StateReason ?? 'no reason given'}`,
      );
    }
    throw new FunctionUpdateTimeoutError(
      `function ${name} version ${version} not Active within ${maxWaitTime} s (${result.state})`,
    );
  }

  /**
   * The SDK's waiters treat every error of their poll as "keep polling": the client this gives
   * them stops the wait at the first error time does not cure (a deleted function, a denied
   * read), which `rethrow` then reports as itself, never as a slow update.
   */
  private pollUntilIncurable(context: string) {
    const stop = new AbortController();
    let incurable: Error | undefined;
    const client: LambdaClient = Object.create(this.client);
    Object.defineProperty(client, 'send', {
      value: (command: Parameters<LambdaClient['send']>[0]) =>
        this.client.send(command).catch((error: unknown) => {
          const named = toFerryError(error, context);
          if (named.name !== 'TransientError') {
            incurable = named;
            stop.abort();
          }
          throw error;
        }),
    });
    return {
      client,
      signal: stop.signal,
      rethrow: () => {
        if (incurable) throw incurable;
      },
    };
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    // An empty weight map clears any traffic split: the alias serves `version` alone.
    await this.writeAlias(name, alias, { version, additional: null });
  }

  async getAliasRouting(name: string, alias: string): Promise<AliasState | null> {
    try {
      const out = await this.client.send(new GetAliasCommand({ FunctionName: name, Name: alias }));
      return aliasStateOf(out);
    } catch (error) {
      if (isAwsErrorNamed(error, 'ResourceNotFoundException')) return null;
      throw toFerryError(error, `lambda:GetAlias ${name}:${alias}`);
    }
  }

  async setAliasRouting(
    name: string,
    alias: string,
    routing: AliasRouting,
    revisionId?: string,
  ): Promise<void> {
    checkAliasRouting(name, alias, routing);
    await this.writeAlias(name, alias, routing, revisionId);
  }

  /**
   * UpdateAlias (always with a weight map, so no earlier split survives); CreateAlias when the
   * alias is missing and no revision was named. A named revision goes to Lambda as RevisionId.
   */
  private async writeAlias(
    name: string,
    alias: string,
    routing: AliasRouting,
    revisionId?: string,
  ): Promise<void> {
    const target = `${name}:${alias} -> ${describeRouting(routing)}`;
    const context = `lambda:UpdateAlias ${target}`;
    const update = new UpdateAliasCommand({
      FunctionName: name,
      Name: alias,
      FunctionVersion: routing.version,
      RoutingConfig: routingConfigOf(routing),
      RevisionId: revisionId,
    });
    try {
      await this.client.send(update);
      return;
    } catch (error) {
      const missing = isAwsErrorNamed(error, 'ResourceNotFoundException');
      if (!missing || revisionId !== undefined) throw toFerryError(error, context);
      // The same error means a missing alias or a missing version: only a missing alias is created.
      if (await this.getAlias(name, alias)) throw toFerryError(error, context);
    }
    try {
      await this.client.send(
        new CreateAliasCommand({
          FunctionName: name,
          Name: alias,
          FunctionVersion: routing.version,
          ...(routing.additional ? { RoutingConfig: routingConfigOf(routing) } : {}),
        }),
      );
    } catch (error) {
      if (!isAwsErrorNamed(error, 'ResourceConflictException')) {
        throw toFerryError(error, `lambda:CreateAlias ${target}`);
      }
      // Someone created it between our two calls: point it where we were asked to.
      await this.client.send(update).catch(rethrowAs(context));
    }
  }

  async putProvisionedConcurrency(
    name: string,
    version: string,
    count: number,
  ): Promise<ProvisionedConcurrency> {
    return putProvisionedConcurrency(this.client, name, version, count);
  }

  async getProvisionedConcurrency(
    name: string,
    version: string,
  ): Promise<ProvisionedConcurrency | null> {
    return getProvisionedConcurrency(this.client, name, version);
  }

  async deleteProvisionedConcurrency(name: string, version: string): Promise<void> {
    return deleteProvisionedConcurrency(this.client, name, version);
  }

  async invoke(name: string, qualifier: string, payload: string): Promise<InvokeResult> {
    const out = await this.client
      .send(
        new InvokeCommand({
          FunctionName: name,
          Qualifier: qualifier,
          Payload: new TextEncoder().encode(payload),
          LogType: 'Tail',
          InvocationType: 'RequestResponse',
        }),
      )
      .catch(rethrowAs(`lambda:Invoke ${name}:${qualifier}`));
    const logTail = out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : '';
    return {
      statusCode: out.StatusCode ?? 200,
      ...(out.FunctionError ? { functionError: out.FunctionError } : {}),
      payload: out.Payload ? new TextDecoder().decode(out.Payload) : '',
      logTail,
      report: parseReportLine(logTail),
      ...(out.ExecutedVersion ? { executedVersion: out.ExecutedVersion } : {}),
    };
  }

  /**
   * `count` Invoke calls at once: Lambda gives each concurrent request its own execution
   * environment, so on a freshly published version every one is a cold start. An invoke that
   * failed to run (throttled past the function's concurrency, say) is one sample fewer.
   */
  async invokeConcurrently(
    name: string,
    qualifier: string,
    payload: string,
    count: number,
  ): Promise<InvokeResult[]> {
    return settledSamples(
      Array.from({ length: count }, () => this.invoke(name, qualifier, payload)),
    );
  }
}
