/**
 * A small model of what `ferry gc` reads — a registry, Lambda functions and Ferry's deployment
 * records — that histories of deploys, rollbacks and out-of-band changes act on, and that reports
 * a GcSnapshot the way the real ports would: ListVersionsByFunction with `$LATEST` in it, bare-hex
 * CodeSha256, ResolvedImageUri with the registry host, records in the store's shape.
 */
import { createHash } from 'node:crypto';
import type { Deployment } from '../../services/core/deployment.ts';
import type { FunctionSnapshot, GcSnapshot } from '../../services/core/gc-snapshot.ts';
import type { AliasRouting } from '../../services/core/ports.ts';

export const REGISTRY_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
export const LIVE_ALIAS = 'live';

/** One image in the registry. */
export interface WorldImage {
  readonly repository: string;
  readonly digest: string;
  readonly tags: Set<string>;
  readonly pushedAt: number;
  readonly sizeBytes: number;
}

/** One published version. */
export interface WorldVersion {
  readonly version: string;
  readonly digest: string;
  readonly repository: string;
  readonly publishedAt: number;
  /** Whether the adapter read the version's image URI (else the snapshot says repository unknown). */
  readonly uriKnown: boolean;
}

/** One Lambda function. */
export interface WorldFunction {
  readonly name: string;
  readonly managed: boolean;
  readonly repository: string;
  /** `$LATEST`, and when it last changed (its LastModified). */
  latest: { digest: string; repository: string; updatedAt: number };
  readonly versions: WorldVersion[];
  nextVersion: number;
  readonly aliases: Map<string, AliasRouting>;
  readonly provisioned: Set<string>;
}

/** A deployment that has not ended: how far it got and what it needs to go on. */
export interface Flight {
  readonly deploymentId: string;
  readonly functionName: string;
  /** The last stage completed (see gc-history.ts). */
  stage: number;
  readonly gradual: boolean;
  readonly provisioned: boolean;
  readonly weight: number;
  /** The alias's primary version and `$LATEST` when Prepare read them. */
  oldVersion: string | null;
  oldLatest: { digest: string; repository: string } | null;
  image: WorldImage | null;
  version: string | null;
}

/** The whole world: time in epoch milliseconds. */
export interface World {
  now: number;
  counter: number;
  readonly images: WorldImage[];
  readonly functions: WorldFunction[];
  readonly deployments: Deployment[];
  /** Digests Ferry's own builds pushed. */
  readonly builtByFerry: Set<string>;
  /** Unfinished deployments by function (the lock allows one each). */
  readonly flights: Map<string, Flight>;
}

const START = Date.parse('2026-01-01T00:00:00.000Z');

/** A fresh digest, never seen before in this world. */
export function newDigest(world: World): string {
  world.counter += 1;
  return `sha256:${createHash('sha256').update(`image-${world.counter}`).digest('hex')}`;
}

/** Pushes a new image with `tags` to `repository`. */
export function push(world: World, repository: string, tags: string[]): WorldImage {
  const image: WorldImage = {
    repository,
    digest: newDigest(world),
    tags: new Set(tags),
    pushedAt: world.now,
    sizeBytes: 1_000_000 + world.counter,
  };
  world.images.push(image);
  return image;
}

/** A world of two managed functions (sharing a repository or not) and one unmanaged function. */
export function newWorld(shareRepository: boolean): World {
  const world: World = {
    now: START,
    counter: 0,
    images: [],
    functions: [],
    deployments: [],
    builtByFerry: new Set(),
    flights: new Map(),
  };
  const repos = ['team/app', shareRepository ? 'team/app' : 'team/web', 'team/app'];
  ['orders', 'billing', 'legacy'].forEach((name, i) => {
    const repository = repos[i] as string;
    const first = push(world, repository, [`base-${i}`]);
    world.functions.push({
      name,
      managed: name !== 'legacy',
      repository,
      latest: { digest: first.digest, repository, updatedAt: world.now },
      versions: [],
      nextVersion: 1,
      aliases: new Map(),
      provisioned: new Set(),
    });
  });
  return world;
}

/** Publishes `$LATEST` as the next version. */
export function publish(world: World, fn: WorldFunction, uriKnown: boolean): WorldVersion {
  const version: WorldVersion = {
    version: String(fn.nextVersion++),
    digest: fn.latest.digest,
    repository: fn.latest.repository,
    publishedAt: world.now,
    uriKnown,
  };
  fn.versions.push(version);
  return version;
}

const iso = (ms: number) => new Date(ms).toISOString();
const hex = (digest: string) => digest.slice('sha256:'.length);
const uri = (repository: string, digest: string) => `${REGISTRY_HOST}/${repository}@${digest}`;

/** The function as Lambda's and the store's ports report it. */
function snapshotOf(world: World, fn: WorldFunction): FunctionSnapshot {
  return {
    functionName: fn.name,
    managed: fn.managed,
    latest: {
      resolvedImageUri: uri(fn.latest.repository, fn.latest.digest),
      codeSha256: hex(fn.latest.digest),
    },
    versions: [
      {
        version: '$LATEST',
        codeSha256: hex(fn.latest.digest),
        repository: null,
        lastModified: iso(fn.latest.updatedAt),
      },
      ...fn.versions.map((v) => ({
        version: v.version,
        codeSha256: hex(v.digest),
        repository: v.uriKnown ? v.repository : null,
        lastModified: iso(v.publishedAt),
      })),
    ],
    aliases: [...fn.aliases].map(([name, routing]) => ({ name, routing })),
    provisionedQualifiers: [...fn.provisioned],
    deployments: world.deployments
      .filter((d) => d.functionName === fn.name)
      .map((d) => structuredClone(d)),
  };
}

/** What gc would read now. */
export function snapshotOfWorld(world: World): GcSnapshot {
  return {
    takenAt: iso(world.now),
    functions: world.functions.map((fn) => snapshotOf(world, fn)),
    images: world.images.map((i) => ({
      repository: i.repository,
      digest: i.digest,
      tags: [...i.tags],
      pushedAt: iso(i.pushedAt),
      sizeBytes: i.sizeBytes,
    })),
  };
}

/** The image with `digest` in `repository`, if the registry still has it. */
export function imageIn(world: World, repository: string, digest: string): WorldImage | undefined {
  return world.images.find((i) => i.repository === repository && i.digest === digest);
}

export { iso, uri };
