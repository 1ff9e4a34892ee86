/**
 * In-memory ImageInventory and FunctionInventory for the collection use case's tests: the
 * registry's images and Lambda's functions as plain data, every call counted, deletions
 * refused (`kept`) for what the fake says is in use, as ECR and Lambda refuse.
 */
import { NotFoundError } from '../../services/core/errors.ts';
import type { RegistryImage } from '../../services/core/gc-snapshot.ts';
import type {
  FunctionInventory,
  FunctionState,
  ImageInventory,
  RemovalOutcome,
} from '../../services/core/ports.ts';
import { copyOut } from './copy.ts';

/** Images by repository; `calls` counts listImages and deleteImage. */
export class FakeImageInventory implements ImageInventory {
  readonly images = new Map<string, RegistryImage[]>();
  readonly deleted: { repository: string; digest: string }[] = [];
  calls = 0;

  add(image: RegistryImage): void {
    const list = this.images.get(image.repository) ?? [];
    list.push(copyOut(image));
    this.images.set(image.repository, list);
  }

  async listImages(repository: string): Promise<RegistryImage[]> {
    this.calls += 1;
    return copyOut(this.images.get(repository) ?? []);
  }

  /** Like ECR's archive tier: the image leaves the listing, kept aside, restorable. */
  readonly archived: { repository: string; digest: string }[] = [];

  async archiveImage(repository: string, digest: string): Promise<RemovalOutcome> {
    this.calls += 1;
    const list = this.images.get(repository) ?? [];
    const at = list.findIndex((i) => i.digest === digest);
    if (at < 0) return 'gone';
    list.splice(at, 1);
    this.archived.push({ repository, digest });
    return 'archived';
  }

  async deleteImage(repository: string, digest: string): Promise<RemovalOutcome> {
    this.calls += 1;
    const list = this.images.get(repository) ?? [];
    const at = list.findIndex((i) => i.digest === digest);
    if (at < 0) return 'gone';
    list.splice(at, 1);
    this.deleted.push({ repository, digest });
    return 'deleted';
  }
}

/** Function states by name; a version behind an alias or with provisioned concurrency is `kept`. */
export class FakeFunctionInventory implements FunctionInventory {
  readonly functions = new Map<string, FunctionState>();
  readonly deleted: { functionName: string; version: string }[] = [];
  calls = 0;

  set(functionName: string, state: FunctionState): void {
    this.functions.set(functionName, copyOut(state));
  }

  async readState(functionName: string): Promise<FunctionState> {
    this.calls += 1;
    const state = this.functions.get(functionName);
    if (!state) throw new NotFoundError(`function ${functionName} not found`);
    return copyOut(state);
  }

  async deleteVersion(functionName: string, version: string): Promise<RemovalOutcome> {
    this.calls += 1;
    const state = this.functions.get(functionName);
    if (!state?.versions.some((v) => v.version === version)) return 'gone';
    if (version === '$LATEST') return 'kept';
    const routed = state.aliases.some(
      (a) => a.routing.version === version || a.routing.additional?.version === version,
    );
    if (routed || state.provisionedQualifiers.includes(version)) return 'kept';
    this.functions.set(functionName, {
      ...state,
      versions: state.versions.filter((v) => v.version !== version),
    });
    this.deleted.push({ functionName, version });
    return 'deleted';
  }
}
