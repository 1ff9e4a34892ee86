/** The gc property tests' oracle: what a world needs kept, worked out from the world itself. */
import { isTerminal } from '../../services/core/deployment.ts';
import { candidateTag, releaseTag } from '../../services/core/workflow.ts';
import type { World, WorldFunction } from './gc-world.ts';

/**
 * What must survive, computed from the world itself rather than from the snapshot: what Lambda
 * runs or routes to, the newest `depth` released digests, and what unfinished deployments named
 * (of `functions`: every function of the world unless given).
 */
export function mustKeep(
  world: World,
  depth: number,
  functions: readonly WorldFunction[] = world.functions,
) {
  const digests = new Map<string, string>();
  const versions = new Map<string, string>();
  const tags = new Set<string>();
  const keep = (digest: string | null | undefined, why: string) => {
    if (digest && !digests.has(digest)) digests.set(digest, why);
  };
  for (const f of functions) {
    const digestOf = (version: string) => f.versions.find((v) => v.version === version)?.digest;
    const keepVersion = (version: string | null | undefined, why: string) => {
      if (!version) return;
      if (!versions.has(`${f.name}:${version}`)) versions.set(`${f.name}:${version}`, why);
      keep(digestOf(version), why);
    };
    keep(f.latest.digest, `$LATEST of ${f.name}`);
    for (const v of f.versions) keep(v.digest, `published version ${f.name}:${v.version}`);
    for (const [alias, routing] of f.aliases) {
      keepVersion(routing.version, `alias ${f.name}:${alias}`);
      keepVersion(routing.additional?.version, `weighted alias ${f.name}:${alias}`);
    }
    for (const q of f.provisioned) {
      const routing = f.aliases.get(q);
      for (const v of routing ? [routing.version, routing.additional?.version] : [q]) {
        keepVersion(v, `provisioned concurrency on ${f.name}:${q}`);
      }
    }
    const history = world.deployments.filter((d) => d.functionName === f.name).reverse();
    const released = new Set<string>();
    for (const d of history.filter((d) => d.status === 'SUCCEEDED' && d.release?.digest)) {
      const digest = d.release?.digest as string;
      if (!released.has(digest) && released.size === depth) break;
      released.add(digest);
      keep(digest, `release ${d.id}, within the last ${depth} of ${f.name}`);
      keepVersion(d.release?.version, `release ${d.id}, within the last ${depth} of ${f.name}`);
    }
    for (const d of history.filter((d) => !isTerminal(d.status))) {
      const why = `in-flight deployment ${d.id} (${d.status})`;
      keep(d.request.image?.split('@')[1], why);
      keep(d.release?.digest, why);
      keep(d.previous?.digest, why);
      keepVersion(d.release?.version, why);
      keepVersion(d.previous?.version, why);
      tags.add(candidateTag(d.id));
      tags.add(releaseTag(d.id));
    }
  }
  return { digests, versions, tags };
}
