/**
 * The gc use case's ports over a gc-world (gc-world.ts): the registry, the functions' state and
 * versions, and the store's settings, history and locks, all reading and changing the world
 * itself. A deployment in flight holds its function's lock, as Ferry's deployments do; `race`
 * happens just before gc takes its first lock (after its plan was read).
 */
import type { GcDeps } from '../../services/app/collect-garbage.ts';
import type { DeploymentPatch } from '../../services/core/deployment.ts';
import { ConflictError, NotFoundError } from '../../services/core/errors.ts';
import { silentLogger } from '../../services/core/logger.ts';
import type { FunctionLock, FunctionState, RemovalOutcome } from '../../services/core/ports.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { iso, snapshotOfWorld, type World } from './gc-world.ts';

/** What gc removed from the world, in order. */
export interface WorldRemovals {
  readonly images: { repository: string; digest: string }[];
  readonly versions: { functionName: string; version: string }[];
}

/** GcDeps over `world`; `race` runs once, right before gc's first lock. */
export function worldGcDeps(
  world: World,
  race: () => void = () => {},
): { deps: GcDeps; removed: WorldRemovals } {
  const removed: WorldRemovals = { images: [], versions: [] };
  const locks = new Map<string, FunctionLock>();
  let raced = false;
  const managed = () => world.functions.filter((f) => f.managed);
  const deps: GcDeps = {
    store: {
      listFunctions: async () =>
        managed().map((f) => ({ name: f.name, settings: parseFunctionSettings({ team: 't' }) })),
      listByFunction: async (name) => ({
        items: world.deployments
          .filter((d) => d.functionName === name)
          .reverse()
          .map((d) => structuredClone(d)),
      }),
      acquireLock: async (functionName, owner, nowSeconds, ttlSeconds) => {
        if (!raced) {
          raced = true;
          race();
        }
        const flight = world.flights.get(functionName);
        if (flight) {
          throw new ConflictError(
            `function ${functionName} is locked by deployment ${flight.deploymentId}`,
            { kind: 'function-locked', holder: flight.deploymentId },
          );
        }
        const lock = { functionName, owner, expiresAt: nowSeconds + ttlSeconds };
        locks.set(functionName, lock);
        return lock;
      },
      releaseLock: async (functionName, owner) => {
        if (locks.get(functionName)?.owner === owner) locks.delete(functionName);
      },
      get: async (id) => {
        const d = world.deployments.find((x) => x.id === id);
        return d ? structuredClone(d) : null;
      },
      update: async (id, patch: DeploymentPatch) => {
        const d = world.deployments.find((x) => x.id === id);
        if (!d) throw new NotFoundError(`deployment ${id} not found`);
        Object.assign(d, patch);
        return structuredClone(d);
      },
    },
    images: {
      listImages: async (repository) =>
        snapshotOfWorld(world).images.filter((i) => i.repository === repository),
      deleteImage: async (repository, digest): Promise<RemovalOutcome> => {
        const at = world.images.findIndex(
          (i) => i.repository === repository && i.digest === digest,
        );
        if (at < 0) return 'gone';
        world.images.splice(at, 1);
        removed.images.push({ repository, digest });
        return 'deleted';
      },
    },
    functions: {
      readState: async (name): Promise<FunctionState> => {
        const fn = snapshotOfWorld(world).functions.find((f) => f.functionName === name);
        if (!fn) throw new NotFoundError(`function ${name} not found`);
        const { latest, versions, aliases, provisionedQualifiers } = fn;
        return { latest, versions, aliases, provisionedQualifiers };
      },
      deleteVersion: async (functionName, version): Promise<RemovalOutcome> => {
        const fn = world.functions.find((f) => f.name === functionName);
        const at = fn?.versions.findIndex((v) => v.version === version) ?? -1;
        if (!fn || at < 0) return 'gone';
        // Lambda refuses to delete a version an alias routes to (ResourceConflictException).
        const routed = [...fn.aliases.values()].some(
          (r) => r.version === version || r.additional?.version === version,
        );
        if (routed || fn.provisioned.has(version)) return 'kept';
        fn.versions.splice(at, 1);
        removed.versions.push({ functionName, version });
        return 'deleted';
      },
    },
    clock: { now: () => new Date(iso(world.now)) },
    logger: silentLogger,
    newId: () => `run-${world.counter}`,
    lockTtlSeconds: 600,
    policy: {},
  };
  return { deps, removed };
}
