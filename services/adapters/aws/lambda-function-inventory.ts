/**
 * The FunctionInventory port on AWS Lambda. A function's state costs one GetFunction ($LATEST's
 * ResolvedImageUri) plus ListVersionsByFunction, ListAliases and ListProvisionedConcurrencyConfigs,
 * each paged by the SDK's paginator: about four calls a function, whatever its number of
 * versions. ListVersionsByFunction gives each version's CodeSha256 (the image digest's hex) but
 * not its image URI, so a published version's repository is left null (unknown: its digest is
 * kept in every repository) rather than paying one GetFunction per version; only the same digest
 * in two repositories is affected, and it is kept in both.
 *
 * Deleting is DeleteFunction with the version as Qualifier. Lambda refuses a version an alias
 * routes to (ResourceConflictException → `kept`), and answers success for a version that does
 * not exist, so the version is read first: absent → `gone`.
 */
import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  paginateListAliases,
  paginateListProvisionedConcurrencyConfigs,
  paginateListVersionsByFunction,
} from '@aws-sdk/client-lambda';
import type { AliasSnapshot } from '../../core/gc-snapshot.ts';
import { imageAt, type VersionSnapshot } from '../../core/gc-snapshot.ts';
import type { FunctionInventory, FunctionState, RemovalOutcome } from '../../core/ports.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';
import { aliasStateOf } from './lambda-alias-routing.ts';

/** Options for {@link LambdaFunctionInventory}. */
export interface LambdaFunctionInventoryOptions {
  /** MaxItems of each list call. @default 50 (Lambda's largest page for these lists) */
  readonly pageSize?: number;
}

/** Lambda's LastModified (`2024-01-01T00:00:00.000+0000`) as ISO 8601; now when unreadable. */
function isoOf(lastModified: string | undefined): string {
  const at = Date.parse(lastModified ?? '');
  // Unreadable counts as just published: too young to collect, never too old.
  return new Date(Number.isFinite(at) ? at : Date.now()).toISOString();
}

/** FunctionInventory on Lambda (see module doc). */
export class LambdaFunctionInventory implements FunctionInventory {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly options: LambdaFunctionInventoryOptions = {},
  ) {}

  async readState(functionName: string): Promise<FunctionState> {
    const paging = { client: this.lambda, pageSize: this.options.pageSize ?? 50 };
    // Each paginator gets its own copy: a paginator writes its Marker into the input it is given.
    const input = { FunctionName: functionName };
    const call = async <T>(operation: string, work: () => Promise<T>) => {
      try {
        return await work();
      } catch (error) {
        throw toFerryError(error, `lambda:${operation} ${functionName}`);
      }
    };
    const latest = await call('GetFunction', () => this.lambda.send(new GetFunctionCommand(input)));
    const resolvedImageUri = latest.Code?.ResolvedImageUri ?? latest.Code?.ImageUri ?? null;
    const latestRepository = imageAt(resolvedImageUri).repository;
    const versions: VersionSnapshot[] = [];
    await call('ListVersionsByFunction', async () => {
      for await (const page of paginateListVersionsByFunction(paging, { ...input })) {
        for (const v of page.Versions ?? []) {
          if (!v.Version) continue;
          versions.push({
            version: v.Version,
            codeSha256: v.CodeSha256 ?? '',
            repository: v.Version === '$LATEST' ? latestRepository : null,
            lastModified: isoOf(v.LastModified),
          });
        }
      }
    });
    const aliases: AliasSnapshot[] = [];
    await call('ListAliases', async () => {
      for await (const page of paginateListAliases(paging, { ...input })) {
        for (const alias of page.Aliases ?? []) {
          const { version, additional } = aliasStateOf(alias);
          aliases.push({ name: alias.Name ?? '', routing: { version, additional } });
        }
      }
    });
    const provisionedQualifiers: string[] = [];
    await call('ListProvisionedConcurrencyConfigs', async () => {
      for await (const page of paginateListProvisionedConcurrencyConfigs(paging, { ...input })) {
        for (const config of page.ProvisionedConcurrencyConfigs ?? []) {
          // A qualified ARN: its last segment is the version or alias.
          const qualifier = config.FunctionArn?.split(':')[7];
          if (qualifier) provisionedQualifiers.push(qualifier);
        }
      }
    });
    return {
      latest: {
        resolvedImageUri,
        codeSha256: latest.Configuration?.CodeSha256 ?? '',
      },
      versions,
      aliases,
      provisionedQualifiers,
    };
  }

  async deleteVersion(functionName: string, version: string): Promise<RemovalOutcome> {
    if (version === '$LATEST') return 'kept';
    const input = { FunctionName: functionName, Qualifier: version };
    const context = `lambda:DeleteFunction ${functionName}:${version}`;
    try {
      await this.lambda.send(new GetFunctionConfigurationCommand(input));
      await this.lambda.send(new DeleteFunctionCommand(input));
      return 'deleted';
    } catch (error) {
      if (isAwsErrorNamed(error, 'ResourceNotFoundException')) return 'gone';
      if (isAwsErrorNamed(error, 'ResourceConflictException')) return 'kept';
      throw toFerryError(error, context);
    }
  }
}
