/**
 * Reads what `ferry gc` plans from (services/core/gc-snapshot.ts): the functions Ferry manages
 * (registered in the settings store), each one's whole deployment history, its state as its host
 * reports it, and the images of every repository those functions and their records name.
 */
import type { Clock } from '../core/clock.ts';
import type { Deployment } from '../core/deployment.ts';
import { isFerryError } from '../core/errors.ts';
import { type FunctionSnapshot, type GcSnapshot, imageAt } from '../core/gc-snapshot.ts';
import type {
  DeploymentStore,
  FunctionInventory,
  FunctionState,
  ImageInventory,
} from '../core/ports.ts';

/** What reading a snapshot needs. */
export interface GcReadDeps {
  readonly store: Pick<DeploymentStore, 'listFunctions' | 'listByFunction'>;
  readonly images: ImageInventory;
  readonly functions: FunctionInventory;
  readonly clock: Clock;
}

const PAGE_SIZE = 100;

/** Every deployment of `functionName`, paging to the end: the in-use set needs the whole history. */
async function wholeHistory(store: GcReadDeps['store'], functionName: string) {
  const all: Deployment[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listByFunction(functionName, {
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

/**
 * A registered function its host does not know: nothing runs, but no code digest can be read
 * either, so the in-use set's `unresolved-code` rule keeps every image until the registration
 * is removed or the function exists again. Erring towards keeping is the point.
 */
const MISSING: FunctionState = {
  latest: { resolvedImageUri: null, codeSha256: '' },
  versions: [],
  aliases: [],
  provisionedQualifiers: [],
};

async function stateOf(functions: FunctionInventory, name: string): Promise<FunctionState> {
  try {
    return await functions.readState(name);
  } catch (error) {
    if (isFerryError(error, 'NotFoundError')) return MISSING;
    throw error;
  }
}

/** Every repository a function's state or its records name (sorted, each once). */
export function repositoriesOf(functions: readonly FunctionSnapshot[]): string[] {
  const names = new Set<string>();
  const add = (repository: string | null | undefined) => {
    if (repository) names.add(repository);
  };
  for (const fn of functions) {
    add(imageAt(fn.latest.resolvedImageUri).repository);
    for (const v of fn.versions) add(v.repository);
    for (const d of fn.deployments) {
      add(d.release?.repository ?? imageAt(d.release?.imageUri).repository);
      add(imageAt(d.previous?.imageUri).repository);
      if (d.request.image) add(imageAt(d.request.image).repository);
    }
  }
  return [...names].sort();
}

/** Reads a snapshot; `takenAt` is when reading began (ages are measured from it). */
export async function readGcSnapshot(deps: GcReadDeps): Promise<GcSnapshot> {
  const takenAt = deps.clock.now().toISOString();
  const registered = await deps.store.listFunctions();
  const functions: FunctionSnapshot[] = [];
  for (const { name } of registered) {
    const [state, deployments] = await Promise.all([
      stateOf(deps.functions, name),
      wholeHistory(deps.store, name),
    ]);
    functions.push({ functionName: name, managed: true, ...state, deployments });
  }
  const images = [];
  for (const repository of repositoriesOf(functions)) {
    images.push(...(await deps.images.listImages(repository)));
  }
  return { takenAt, functions, images };
}
