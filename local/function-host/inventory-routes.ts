/**
 * Lambda's listing and version-deleting API on the function host's server, with Lambda's JSON
 * field names and paging (`MaxItems`, `Marker` → `NextMarker`), so `@aws-sdk/client-lambda`'s
 * paginators work against it: ListVersionsByFunction (`GET /2015-03-31/functions/{name}/versions`),
 * ListAliases (`GET …/{name}/aliases`), ListProvisionedConcurrencyConfigs
 * (`GET /2019-09-30/functions/{name}/provisioned-concurrency?List=ALL`) and DeleteFunction with a
 * version Qualifier (`DELETE /2015-03-31/functions/{name}?Qualifier=N`: 409
 * ResourceConflictException while an alias routes to it; 204 for a version that does not exist,
 * as Lambda answers). Deleting a whole function is not served here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFerryError } from '../../services/core/errors.ts';
import { configurationJson } from './configuration-routes.ts';
import type { FunctionHost } from './function-host.ts';
import { parseFunctionName } from './function-name.ts';
import { functionNotFound, LambdaApiError } from './lambda-errors.ts';

const VERSIONS = /^\/2015-03-31\/functions\/([^/]+)\/versions$/;
const ALIASES = /^\/2015-03-31\/functions\/([^/]+)\/aliases$/;
const PROVISIONED = /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency$/;
const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)$/;
/** Lambda's largest page for these lists. */
const MAX_ITEMS = 50;

/** Lambda's timestamp format: ISO 8601 with `+0000`. */
const lambdaTime = (iso: string | undefined) =>
  (iso ?? new Date().toISOString()).replace('Z', '+0000');

/** One page of `items` from the request's Marker, and the marker of the next page. */
function page<T>(items: readonly T[], url: URL): { items: T[]; NextMarker?: string } {
  const given = Number(url.searchParams.get('MaxItems') ?? MAX_ITEMS);
  const size = Number.isInteger(given) && given >= 1 ? Math.min(given, MAX_ITEMS) : MAX_ITEMS;
  const marker = url.searchParams.get('Marker');
  const from = marker ? Number(Buffer.from(marker, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(from) || from < 0) {
    throw new LambdaApiError(400, 'InvalidParameterValueException', `Invalid Marker: ${marker}`);
  }
  const end = from + size;
  return end < items.length
    ? { items: items.slice(from, end), NextMarker: Buffer.from(String(end)).toString('base64url') }
    : { items: items.slice(from) };
}

const sendJson = (res: ServerResponse, body: unknown) =>
  void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

/** Serves the request when it is one of these routes (true), else leaves it alone (false). */
export async function serveInventory(
  host: FunctionHost,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const versions = VERSIONS.exec(url.pathname);
  const aliases = ALIASES.exec(url.pathname);
  const provisioned = url.searchParams.get('List') === 'ALL' && PROVISIONED.exec(url.pathname);
  const deletion = req.method === 'DELETE' && FUNCTION.exec(url.pathname);
  const raw = versions?.[1] ?? aliases?.[1] ?? (provisioned || deletion || [])[1];
  if (raw === undefined || (req.method !== 'GET' && !deletion)) return false;
  const region = host.options.region ?? 'us-east-1';
  const target = parseFunctionName(
    decodeURIComponent(raw),
    url.searchParams.get('Qualifier'),
    region,
  );
  const { name } = target;
  const fn = host.store.list().find((f) => f.name === name);
  if (!fn) throw functionNotFound(host.arn(name));
  if (versions) {
    const all = ['$LATEST', ...Object.keys(fn.versions).sort((a, b) => Number(a) - Number(b))];
    const { items, NextMarker } = page(all, url);
    const Versions = items.map((version) => ({
      ...configurationJson(host, name, version),
      LastModified: lambdaTime(
        version === '$LATEST' ? fn.lastModified : fn.versions[version]?.publishedAt,
      ),
    }));
    sendJson(res, { Versions, ...(NextMarker ? { NextMarker } : {}) });
  } else if (aliases) {
    const { items, NextMarker } = page(Object.entries(fn.aliases), url);
    const Aliases = items.map(([alias, record]) => ({
      AliasArn: host.arn(name, alias),
      Name: alias,
      FunctionVersion: record.version,
      Description: '',
      RevisionId: record.revisionId,
      ...(record.additional
        ? {
            RoutingConfig: {
              AdditionalVersionWeights: { [record.additional.version]: record.additional.weight },
            },
          }
        : {}),
    }));
    sendJson(res, { Aliases, ...(NextMarker ? { NextMarker } : {}) });
  } else if (provisioned) {
    const { items, NextMarker } = page(Object.keys(fn.provisionedConcurrency ?? {}), url);
    const ProvisionedConcurrencyConfigs = items.flatMap((version) => {
      const status = host.provisioned.get(name, version);
      return status
        ? [
            {
              FunctionArn: host.arn(name, version),
              RequestedProvisionedConcurrentExecutions: status.requested,
              AllocatedProvisionedConcurrentExecutions: status.allocated,
              AvailableProvisionedConcurrentExecutions: status.available,
              Status: status.status,
              ...(status.statusReason ? { StatusReason: status.statusReason } : {}),
            },
          ]
        : [];
    });
    sendJson(res, { ProvisionedConcurrencyConfigs, ...(NextMarker ? { NextMarker } : {}) });
  } else {
    await deleteVersion(host, name, target.qualifier);
    res.writeHead(204).end();
  }
  return true;
}

/** DeleteFunction with a Qualifier, with Lambda's answers (see module doc). */
async function deleteVersion(host: FunctionHost, name: string, qualifier: string | undefined) {
  if (!qualifier) {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      'the local function host deletes published versions only: give the version as Qualifier',
    );
  }
  if (host.store.alias(name, qualifier)) {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      `Deletion of aliases is not supported by DeleteFunction: ${qualifier} is an alias`,
    );
  }
  try {
    await host.deleteVersion(name, qualifier);
  } catch (error) {
    // Lambda answers 204 for a version that is not there.
    if (isFerryError(error, 'NotFoundError')) return;
    if (isFerryError(error, 'ConflictError')) {
      throw new LambdaApiError(409, 'ResourceConflictException', error.message);
    }
    if (isFerryError(error, 'InvalidRequestError')) {
      throw new LambdaApiError(400, 'InvalidParameterValueException', error.message);
    }
    throw error;
  }
}
