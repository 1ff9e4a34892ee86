/**
 * Lambda's function-configuration API on the function host's server, with Lambda's JSON field
 * names, so `@aws-sdk/client-lambda` pointed at the host works: GetFunction
 * (`GET /2015-03-31/functions/{name}`), GetFunctionConfiguration
 * (`GET …/{name}/configuration[?Qualifier=]`) and UpdateFunctionConfiguration
 * (`PUT …/{name}/configuration`: Timeout, MemorySize, Environment, EphemeralStorage, and a
 * RevisionId precondition). Fields of Lambda's model a local function does not have (Role,
 * Handler, Runtime, VpcConfig, Layers, …) are refused rather than silently ignored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFerryError } from '../../services/core/errors.ts';
import type { ConfigurationChange } from './function-config.ts';
import type { FunctionHost } from './function-host.ts';
import { parseFunctionName } from './function-name.ts';
import { functionNotFound, LambdaApiError } from './lambda-errors.ts';

const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)$/;
const CONFIGURATION = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/;
const MAX_BODY_BYTES = 64 * 1024;
/** Configuration fields whose bad values Lambda answers with a ValidationException. */
const RANGED = ['Timeout', 'MemorySize', 'EphemeralStorage.Size'];

/** The update fields this host applies; any other field of Lambda's request is refused. */
const UPDATABLE = ['Timeout', 'MemorySize', 'Environment', 'EphemeralStorage', 'RevisionId'];

/** Lambda's error answer: the type in X-Amzn-ErrorType, which the SDK turns into the error's name. */
function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Amzn-ErrorType': type });
  res.end(JSON.stringify({ Type: 'User', message }));
}

const sendJson = (res: ServerResponse, status: number, body: unknown) =>
  void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return undefined;
  }
}

/** Lambda's FunctionConfiguration JSON of the version `qualifier` resolves to. */
export function configurationJson(host: FunctionHost, name: string, qualifier = '$LATEST') {
  const { fn, version, code, configuration: c } = host.store.resolve(name, qualifier);
  const latest = version === '$LATEST';
  const revisionId = latest ? fn.latest.revisionId : (fn.versions[version]?.revisionId ?? '');
  return {
    FunctionName: fn.name,
    FunctionArn: host.arn(fn.name, latest ? undefined : version),
    Version: version,
    PackageType: fn.packageType,
    CodeSha256: code.codeSha256,
    Timeout: c.timeoutSeconds,
    MemorySize: c.memorySizeMb,
    Environment: { Variables: { ...c.environment } },
    Architectures: [c.architecture],
    EphemeralStorage: { Size: c.ephemeralStorageMb },
    RevisionId: revisionId,
    State: 'Active',
    LastUpdateStatus: latest ? fn.latest.lastUpdateStatus : 'Successful',
    ...(latest && fn.latest.lastUpdateStatusReason
      ? { LastUpdateStatusReason: fn.latest.lastUpdateStatusReason }
      : {}),
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

/** An UpdateFunctionConfiguration body as a change; a string saying what is wrong otherwise. */
export function parseUpdate(
  body: unknown,
): { change: ConfigurationChange; revisionId?: string } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'Could not parse request body into json';
  }
  const fields = body as Record<string, unknown>;
  const unsupported = Object.keys(fields).filter((k) => !UPDATABLE.includes(k));
  if (unsupported.length > 0) {
    return `the local function host cannot update ${unsupported.join(', ')}: it supports ${UPDATABLE.join(', ')}`;
  }
  const { Timeout, MemorySize, Environment, EphemeralStorage, RevisionId } = fields;
  const change: { -readonly [K in keyof ConfigurationChange]: ConfigurationChange[K] } = {};
  if (Timeout !== undefined) {
    if (typeof Timeout !== 'number') return 'Timeout must be a number of seconds';
    change.timeoutSeconds = Timeout;
  }
  if (MemorySize !== undefined) {
    if (typeof MemorySize !== 'number') return 'MemorySize must be a number of MB';
    change.memorySizeMb = MemorySize;
  }
  if (Environment !== undefined) {
    const variables = (Environment as { Variables?: unknown } | null)?.Variables ?? {};
    const entries = typeof variables === 'object' && variables ? Object.entries(variables) : null;
    if (!entries || entries.some(([, v]) => typeof v !== 'string')) {
      return 'Environment.Variables must map names to string values';
    }
    change.environment = Object.fromEntries(entries) as Record<string, string>;
  }
  if (EphemeralStorage !== undefined) {
    const size = (EphemeralStorage as { Size?: unknown } | null)?.Size;
    if (typeof size !== 'number') return 'EphemeralStorage.Size must be a number of MB';
    change.ephemeralStorageMb = size;
  }
  if (RevisionId !== undefined && typeof RevisionId !== 'string')
    return 'RevisionId must be a string';
  return typeof RevisionId === 'string' ? { change, revisionId: RevisionId } : { change };
}

async function route(host: FunctionHost, req: IncomingMessage, res: ServerResponse, url: URL) {
  const whole = FUNCTION.exec(url.pathname);
  const config = CONFIGURATION.exec(url.pathname);
  const raw = whole?.[1] ?? config?.[1];
  if (raw === undefined) return false;
  const region = host.options.region ?? 'us-east-1';
  const parsed = parseFunctionName(
    decodeURIComponent(raw),
    url.searchParams.get('Qualifier'),
    region,
  );
  const { name } = parsed;
  const qualifier = parsed.qualifier ?? '$LATEST';
  if (!host.store.list().some((f) => f.name === name)) {
    throw functionNotFound(host.arn(name, parsed.qualifier));
  }
  if (req.method === 'GET' && whole) {
    const configuration = configurationJson(host, name, qualifier);
    const { code } = host.store.resolve(name, qualifier);
    const Code = {
      RepositoryType: 'ECR',
      ImageUri: code.imageUri,
      ResolvedImageUri: code.imageUri,
    };
    sendJson(res, 200, { Configuration: configuration, Code });
    return true;
  }
  if (req.method === 'GET' && config) {
    sendJson(res, 200, configurationJson(host, name, qualifier));
    return true;
  }
  if (req.method === 'PUT' && config) {
    const update = parseUpdate(await readJsonBody(req));
    if (typeof update === 'string') {
      sendError(res, 400, 'InvalidParameterValueException', update);
      return true;
    }
    const current = host.store.get(name).latest.revisionId;
    if (update.revisionId !== undefined && update.revisionId !== current) {
      sendError(
        res,
        412,
        'PreconditionFailedException',
        `The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id (it is ${current}, not ${update.revisionId})`,
      );
      return true;
    }
    await host.store.updateConfiguration(name, update.change, update.revisionId);
    sendJson(res, 200, configurationJson(host, name));
    return true;
  }
  return false;
}

/**
 * Serves the request when it is one of these routes (true), else leaves it alone (false).
 * Errors are Lambda's: ResourceNotFoundException 404, InvalidParameterValueException or
 * ValidationException 400, PreconditionFailedException 412 (a stale RevisionId).
 */
export async function serveConfiguration(
  host: FunctionHost,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  try {
    return await route(host, req, res, url);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof LambdaApiError) {
      sendError(res, error.status, error.type, message);
    } else if (isFerryError(error, 'NotFoundError')) {
      sendError(res, 404, 'ResourceNotFoundException', message);
    } else if (isFerryError(error, 'InvalidRequestError')) {
      // Lambda answers a number out of range with a ValidationException, the rest otherwise.
      const type = RANGED.includes(error.field ?? '')
        ? 'ValidationException'
        : 'InvalidParameterValueException';
      sendError(res, 400, type, message);
    } else if (isFerryError(error, 'ConflictError')) {
      sendError(res, 409, 'ResourceConflictException', message);
    } else {
      sendError(res, 500, 'ServiceException', message);
    }
    return true;
  }
}
