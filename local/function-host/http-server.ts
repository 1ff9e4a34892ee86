/**
 * The function host's HTTP face on 127.0.0.1: Lambda's Invoke API
 * (`POST /2015-03-31/functions/{name}/invocations?Qualifier=…`, with X-Amz-Log-Type: Tail,
 * X-Amz-Invocation-Type, X-Amz-Client-Context, X-Amz-Function-Error, X-Amz-Executed-Version —
 * so an SDK or the AWS CLI pointed at it works), InvokeWithResponseStream
 * (`POST /2021-11-15/functions/{name}/response-streaming-invocations`, response-stream.ts),
 * Lambda's error shapes and `x-amzn-RequestId` on every answer (lambda-errors.ts), Lambda's
 * provisioned-concurrency API
 * (`PUT|GET|DELETE /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=N`), the
 * listing and version-deleting calls of collection (inventory-routes.ts), and the
 * Runtime Interface Emulator's fixed path (`POST /2015-03-31/functions/function/invocations`)
 * for `curl`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalFunctions } from '../../services/adapters/local/local-functions.ts';
import { isFerryError } from '../../services/core/errors.ts';
import type { ProvisionedConcurrency } from '../../services/core/ports.ts';
import { serveConfiguration } from './configuration-routes.ts';
import { NO_FUNCTION_MESSAGE, rieFunction } from './default-function.ts';
import {
  ACCOUNT,
  FunctionHost,
  type FunctionHostOptions,
  type HostInvokeOptions,
} from './function-host.ts';
import { type FunctionTarget, parseFunctionName } from './function-name.ts';
import { serveInventory } from './inventory-routes.ts';
import {
  asLambdaError,
  invocationType,
  parseClientContext,
  parsePayload,
  readBody,
} from './invoke-request.ts';
import { functionNotFound, LambdaApiError, sendLambdaError } from './lambda-errors.ts';
import { serveResponseStream } from './response-stream.ts';
import { type HostCredentials, replayBody, verifySigV4 } from './sigv4-verifier.ts';

/** Host settings plus the HTTP side. */
export interface StartFunctionHostOptions extends FunctionHostOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /**
   * What the RIE path `functions/function` invokes when no function has that name
   * (`FERRY_DEFAULT_FUNCTION`); default: the function most recently created or updated.
   */
  readonly defaultFunction?: string;
  /** Qualifier when a request names none. @default '$LATEST' */
  readonly defaultQualifier?: string;
  /** Require SigV4 with this key on every request (127.0.0.1 is open to every local user). @default - no check */
  readonly credentials?: HostCredentials;
}

/** A running host. */
export interface RunningFunctionHost {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly host: FunctionHost;
  readonly functions: LocalFunctions;
  /** Stops the server and every instance. */
  close(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const STREAM = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations$/;
const PROVISIONED = /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency$/;

/** Lambda's ProvisionedConcurrencyConfig JSON for a status. */
const provisionedJson = (p: ProvisionedConcurrency) => ({
  RequestedProvisionedConcurrentExecutions: p.requested,
  AllocatedProvisionedConcurrentExecutions: p.allocated,
  AvailableProvisionedConcurrentExecutions: p.available,
  Status: p.status,
  ...(p.statusReason ? { StatusReason: p.statusReason } : {}),
});

/** Put (202 with the status), Get (200; 404 when none), Delete (204) of one version's config. */
async function serveProvisioned(
  host: FunctionHost,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  version: string | null,
): Promise<void> {
  if (!version)
    throw new LambdaApiError(400, 'InvalidParameterValueException', 'Qualifier missing');
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  if (req.method === 'DELETE') {
    await host.provisioned.delete(name, version);
    return void res.writeHead(204).end();
  }
  if (req.method === 'GET') {
    const current = host.provisioned.get(name, version);
    if (current) return json(200, provisionedJson(current));
    const message = `No Provisioned Concurrency Config found for ${name}:${version}`;
    throw new LambdaApiError(404, 'ProvisionedConcurrencyConfigNotFoundException', message);
  }
  let count = Number.NaN;
  try {
    const body: unknown = JSON.parse((await readBody(req)) ?? '');
    if (typeof body === 'object' && body !== null && 'ProvisionedConcurrentExecutions' in body) {
      const given = body.ProvisionedConcurrentExecutions;
      if (typeof given === 'number') count = given;
    }
  } catch {
    throw new LambdaApiError(400, 'InvalidRequestContentException', 'Could not parse request body');
  }
  json(202, provisionedJson(await host.provisioned.put(name, version, count)));
}

/** Lambda's ResourceNotFoundException (naming the ARN asked for) unless the target exists. */
function checkExists(
  host: FunctionHost,
  target: FunctionTarget,
  qualifier: string,
  region: string,
) {
  const account = target.account ?? ACCOUNT;
  try {
    // Functions exist in the host's own account only.
    if (account === ACCOUNT) return void host.store.resolve(target.name, qualifier);
  } catch (error) {
    if (!isFerryError(error, 'NotFoundError')) throw error;
  }
  const arn = `arn:aws:lambda:${region}:${account}:function:${target.name}`;
  throw functionNotFound(target.qualifier ? `${arn}:${target.qualifier}` : arn);
}

/** Opens the host on `stateDir` and serves it on 127.0.0.1. */
export async function startFunctionHost(
  options: StartFunctionHostOptions,
): Promise<RunningFunctionHost> {
  const host = await FunctionHost.open(options);
  const functions = new LocalFunctions(host);
  const region = options.region ?? 'us-east-1';

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string) {
    if (options.credentials) {
      const verified = await verifySigV4(req, options.credentials);
      if ('refused' in verified) {
        const { type, message } = verified.refused;
        return sendLambdaError(res, requestId, new LambdaApiError(403, type, message));
      }
      replayBody(req, verified.body);
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (await serveInventory(host, req, res, url)) return;
    if (await serveConfiguration(host, req, res, url)) return;
    const provisioned = PROVISIONED.exec(url.pathname);
    if (provisioned && ['PUT', 'GET', 'DELETE'].includes(req.method ?? '')) {
      const raw = decodeURIComponent(provisioned[1] ?? '');
      const { name, qualifier } = parseFunctionName(raw, url.searchParams.get('Qualifier'), region);
      return serveProvisioned(host, req, res, name, qualifier ?? null);
    }
    const match = INVOKE.exec(url.pathname) ?? STREAM.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      const message = `no route ${req.method} ${url.pathname}`;
      throw new LambdaApiError(404, 'UnknownOperationException', message);
    }
    const streaming = match[0].startsWith('/2021-11-15/');
    const raw = decodeURIComponent(match[1] ?? '');
    // The RIE's fixed path: default-function.ts says which function it means.
    const named =
      raw === 'function' && !streaming
        ? rieFunction(host.store.list(), options.defaultFunction)
        : raw;
    if (named === null)
      throw new LambdaApiError(404, 'ResourceNotFoundException', NO_FUNCTION_MESSAGE);
    const target = parseFunctionName(named, url.searchParams.get('Qualifier'), region);
    const operation = streaming ? 'InvokeWithResponseStream' : 'InvokeFunction';
    const payload = parsePayload(await readBody(req), operation);
    const clientContext = parseClientContext(req.headers['x-amz-client-context']);
    const qualifier = target.qualifier ?? options.defaultQualifier ?? '$LATEST';
    checkExists(host, target, qualifier, region); // before any work, also for Event/DryRun
    const type = invocationType(req.headers['x-amz-invocation-type'], streaming);
    const extras = { requestId, ...(clientContext ? { clientContext } : {}) };
    const invoke = (more: HostInvokeOptions = {}) =>
      host.invoke(target.name, qualifier, payload, { ...extras, ...more });
    const tail = req.headers['x-amz-log-type'] === 'Tail';
    if (type === 'DryRun') return void res.writeHead(204).end();
    if (type === 'Event') {
      invoke().catch(() => {}); // its logs go to onLog
      return void res.writeHead(202).end();
    }
    if (streaming)
      return serveResponseStream(res, requestId, tail, (onChunk) => invoke({ onChunk }));
    const result = await invoke();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': result.executedVersion ?? qualifier,
    };
    if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
    if (tail) headers['X-Amz-Log-Result'] = Buffer.from(result.logTail).toString('base64');
    res.writeHead(result.statusCode, headers).end(result.payload);
  }

  const server = createServer((req, res) => {
    // Every answer names its request; an invocation runs under this same id.
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    handle(req, res, requestId).catch((error: Error) => {
      if (res.headersSent) return void res.destroy();
      sendLambdaError(res, requestId, asLambdaError(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host,
    functions,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await host.close();
    },
  };
}
