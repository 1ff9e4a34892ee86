/**
 * The function host's HTTP face on 127.0.0.1: Lambda's Invoke API
 * (`POST /2015-03-31/functions/{name}/invocations?Qualifier=…`, with X-Amz-Log-Type: Tail,
 * X-Amz-Invocation-Type, X-Amz-Function-Error, X-Amz-Executed-Version — so an SDK pointed at
 * it works), Lambda's provisioned-concurrency API
 * (`PUT|GET|DELETE /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=N`), and the
 * Runtime Interface Emulator's fixed path (`POST /2015-03-31/functions/function/invocations`)
 * for `curl`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalFunctions } from '../../services/adapters/local/local-functions.ts';
import { isFerryError } from '../../services/core/errors.ts';
import type { ProvisionedConcurrency } from '../../services/core/ports.ts';
import { FunctionHost, type FunctionHostOptions } from './function-host.ts';
import { type HostCredentials, replayBody, verifySigV4 } from './sigv4-verifier.ts';

/** Host settings plus the HTTP side. */
export interface StartFunctionHostOptions extends FunctionHostOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** What the RIE path `functions/function` invokes; default: the only function, if there is one. */
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
const PROVISIONED = /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency$/;
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Amzn-ErrorType': type });
  res.end(JSON.stringify({ Type: 'User', message }));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `name`, `name:qualifier` or an ARN (`arn:aws:lambda:region:acct:function:name[:qualifier]`). */
function target(raw: string): { name: string; qualifier?: string } {
  const parts = decodeURIComponent(raw).split(':');
  const [name = '', qualifier] = parts[0] === 'arn' ? parts.slice(6) : parts;
  return qualifier ? { name, qualifier } : { name };
}

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
  if (!version) return sendError(res, 400, 'InvalidParameterValueException', 'Qualifier missing');
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
    return sendError(res, 404, 'ProvisionedConcurrencyConfigNotFoundException', message);
  }
  let count = Number.NaN;
  try {
    const body: unknown = JSON.parse((await readBody(req)) ?? '');
    if (typeof body === 'object' && body !== null && 'ProvisionedConcurrentExecutions' in body) {
      const given = body.ProvisionedConcurrentExecutions;
      if (typeof given === 'number') count = given;
    }
  } catch {
    return sendError(res, 400, 'InvalidRequestContentException', 'Could not parse request body');
  }
  json(202, provisionedJson(await host.provisioned.put(name, version, count)));
}

/** Opens the host on `stateDir` and serves it on 127.0.0.1. */
export async function startFunctionHost(
  options: StartFunctionHostOptions,
): Promise<RunningFunctionHost> {
  const host = await FunctionHost.open(options);
  const functions = new LocalFunctions(host);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.credentials) {
      const verified = await verifySigV4(req, options.credentials);
      if ('refused' in verified)
        return sendError(res, 403, verified.refused.type, verified.refused.message);
      replayBody(req, verified.body);
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const provisioned = PROVISIONED.exec(url.pathname);
    if (provisioned && ['PUT', 'GET', 'DELETE'].includes(req.method ?? '')) {
      const { name, qualifier } = target(provisioned[1] ?? '');
      const version = url.searchParams.get('Qualifier') ?? qualifier ?? null;
      return serveProvisioned(host, req, res, name, version);
    }
    const match = INVOKE.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      return sendError(
        res,
        404,
        'UnknownOperationException',
        `no route ${req.method} ${url.pathname}`,
      );
    }
    let { name, qualifier } = target(match[1] ?? '');
    if (name === 'function' && !host.store.list().some((f) => f.name === 'function')) {
      const only = host.store.list();
      name = options.defaultFunction ?? (only.length === 1 ? (only[0]?.name ?? '') : '');
      if (!name) {
        return sendError(
          res,
          404,
          'ResourceNotFoundException',
          'no default function: pass defaultFunction or name one in the path',
        );
      }
    }
    qualifier =
      url.searchParams.get('Qualifier') ?? qualifier ?? options.defaultQualifier ?? '$LATEST';
    const body = await readBody(req);
    if (body === null) return sendError(res, 413, 'RequestTooLargeException', 'payload over 6 MB');
    const payload = body.trim() === '' ? '{}' : body;
    try {
      JSON.parse(payload);
    } catch {
      return sendError(
        res,
        400,
        'InvalidRequestContentException',
        'Could not parse request body into json',
      );
    }
    host.store.resolve(name, qualifier); // NotFound before any work, also for Event/DryRun
    const type = req.headers['x-amz-invocation-type'];
    if (type === 'DryRun') return void res.writeHead(204).end();
    if (type === 'Event') {
      host.invoke(name, qualifier, payload).catch(() => {}); // its logs go to onLog
      return void res.writeHead(202).end();
    }
    const result = await host.invoke(name, qualifier, payload);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': result.executedVersion ?? qualifier,
    };
    if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
    if (req.headers['x-amz-log-type'] === 'Tail') {
      headers['X-Amz-Log-Result'] = Buffer.from(result.logTail).toString('base64');
    }
    res.writeHead(result.statusCode, headers).end(result.payload);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (res.headersSent) return void res.destroy();
      if (isFerryError(error, 'NotFoundError'))
        return sendError(res, 404, 'ResourceNotFoundException', error.message);
      if (isFerryError(error, 'InvalidRequestError'))
        return sendError(res, 400, 'InvalidParameterValueException', error.message);
      if (error.name === 'TooManyRequestsException')
        return sendError(res, 429, 'TooManyRequestsException', error.message);
      sendError(res, 502, 'ServiceException', error.message);
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
