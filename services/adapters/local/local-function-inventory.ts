/**
 * The FunctionInventory port over the local function host, read from its function model in
 * this process (so nothing pages: the whole state is at hand). Deleting a version is the host's
 * DeleteFunction with a Qualifier: refused (`kept`) while an alias routes to it or it has
 * provisioned concurrency, as Lambda refuses; its instances stop, and its root filesystem goes
 * at the next reclaim that finds no version using it.
 */
import type { FunctionHost } from '../../../local/function-host/function-host.ts';
import { isFerryError } from '../../core/errors.ts';
import type { VersionSnapshot } from '../../core/gc-snapshot.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import type { FunctionInventory, FunctionState, RemovalOutcome } from '../../core/ports.ts';

/** The repository of a pinned URI the host runs; null when it does not parse. */
function repositoryOf(imageUri: string): string | null {
  try {
    return parseImageRef(imageUri).repository;
  } catch {
    return null;
  }
}

/** FunctionInventory on the local function host (see module doc). */
export class LocalFunctionInventory implements FunctionInventory {
  constructor(
    private readonly host: FunctionHost,
    /** @default - the system clock */
    private readonly now: () => Date = () => new Date(),
  ) {}

  async readState(functionName: string): Promise<FunctionState> {
    const fn = this.host.store.get(functionName);
    // A time the host did not record counts as now: too young to collect, never too old.
    const fallback = this.now().toISOString();
    const versions: VersionSnapshot[] = [
      {
        version: '$LATEST',
        codeSha256: fn.latest.codeSha256,
        repository: repositoryOf(fn.latest.imageUri),
        lastModified: fn.lastModified ?? fallback,
      },
    ];
    for (const [version, record] of Object.entries(fn.versions)) {
      versions.push({
        version,
        codeSha256: record.codeSha256,
        repository: repositoryOf(record.imageUri),
        lastModified: record.publishedAt ?? fn.lastModified ?? fallback,
      });
    }
    return {
      latest: { resolvedImageUri: fn.latest.imageUri, codeSha256: fn.latest.codeSha256 },
      versions,
      aliases: Object.entries(fn.aliases).map(([name, alias]) => ({
        name,
        routing: {
          version: alias.version,
          additional: alias.additional && { ...alias.additional },
        },
      })),
      provisionedQualifiers: Object.keys(fn.provisionedConcurrency ?? {}),
    };
  }

  async deleteVersion(functionName: string, version: string): Promise<RemovalOutcome> {
    if (version === '$LATEST') return 'kept';
    try {
      await this.host.deleteVersion(functionName, version);
      return 'deleted';
    } catch (error) {
      if (isFerryError(error, 'NotFoundError')) return 'gone';
      if (isFerryError(error, 'ConflictError')) return 'kept';
      throw error;
    }
  }
}
