/**
 * What happens to a gc-world: deployments that walk Ferry's workflow stage by stage (and may stop
 * anywhere, fail, roll back, or stay in flight), rollbacks, and what people do behind Ferry's
 * back (tags, weighted aliases, provisioned concurrency, `$LATEST` moved by hand).
 */
import type { Deployment } from '../../services/core/deployment.ts';
import { candidateTag, releaseTag } from '../../services/core/workflow.ts';
import {
  type Flight,
  imageIn,
  iso,
  LIVE_ALIAS,
  publish,
  push,
  REGISTRY_HOST,
  uri,
  type World,
  type WorldFunction,
} from './gc-world.ts';

/** Stages a deployment completes in order; a flight stopped after one holds its lock. */
export const STAGES = [
  'Pending',
  'Prepare',
  'Build',
  'ResolveImage',
  'Promote',
  'UpdateFunction',
  'ProvisionConcurrency',
  'ShiftTraffic',
  'Activate',
] as const;

/** How a deployment goes once started: to the end, failing after a stage, or stopped in flight. */
export type Course =
  | { readonly kind: 'succeed' }
  | { readonly kind: 'fail'; readonly after: number; readonly rollbackFails: boolean }
  | { readonly kind: 'stop'; readonly after: number };

/** One event of a history; `pick` numbers choose among what exists (modulo its count). */
export type HistoryEvent =
  | {
      readonly kind: 'deploy';
      readonly fn: number;
      readonly mode: 'source' | 'tag' | 'digest';
      readonly pick: number;
      readonly gradual: boolean;
      readonly provisioned: boolean;
      readonly weight: number;
      readonly course: Course;
    }
  | { readonly kind: 'rollback'; readonly fn: number; readonly course: Course }
  | { readonly kind: 'resume'; readonly fn: number; readonly course: Course }
  | { readonly kind: 'push'; readonly fn: number; readonly tagged: boolean }
  | { readonly kind: 'tag'; readonly pick: number }
  | { readonly kind: 'untag'; readonly pick: number }
  | {
      readonly kind: 'weights';
      readonly fn: number;
      readonly pick: number;
      readonly weight: number;
    }
  | { readonly kind: 'provision'; readonly fn: number; readonly pick: number }
  /** `$LATEST` moved by hand (a managed function) or by another tool (the unmanaged one, which publishes). */
  | { readonly kind: 'latest'; readonly fn: number; readonly pick: number }
  | { readonly kind: 'point-live'; readonly fn: number; readonly pick: number }
  | { readonly kind: 'tick'; readonly seconds: number };

const at = <T>(items: readonly T[], pick: number): T | undefined =>
  items.length === 0 ? undefined : items[pick % items.length];
const own = (tag: string) => tag.startsWith('ferry-');

function record(
  world: World,
  fn: WorldFunction,
  request: Deployment['request'],
  kind: 'api' | 'rollback',
): Deployment {
  world.counter += 1;
  const now = iso(world.now);
  const d: Deployment = {
    id: `d-${String(world.counter).padStart(6, '0')}`,
    functionName: fn.name,
    status: 'PENDING',
    createdAt: now,
    updatedAt: now,
    trigger: { kind },
    request,
    steps: [],
  };
  world.deployments.push(d);
  return d;
}

const recordOf = (world: World, id: string) =>
  world.deployments.find((d) => d.id === id) as Deployment;

/** Runs the stages after `flight.stage` up to `last`; false when the image could not be resolved. */
function run(world: World, fn: WorldFunction, flight: Flight, last: number): boolean {
  const d = recordOf(world, flight.deploymentId);
  for (let stage = flight.stage + 1; stage <= last; stage++) {
    flight.stage = stage;
    const name = STAGES[stage];
    if (name === 'Prepare') {
      d.status = 'RUNNING';
      const live = fn.aliases.get(LIVE_ALIAS)?.version ?? null;
      const liveVersion = fn.versions.find((v) => v.version === live);
      flight.oldVersion = live;
      flight.oldLatest = { ...fn.latest };
      d.previous = liveVersion
        ? {
            version: liveVersion.version,
            digest: liveVersion.digest,
            imageUri: uri(liveVersion.repository, liveVersion.digest),
          }
        : {
            version: null,
            digest: fn.latest.digest,
            imageUri: uri(fn.latest.repository, fn.latest.digest),
          };
    } else if (name === 'Build' && d.request.source) {
      const image = push(world, fn.repository, [candidateTag(d.id)]);
      world.builtByFerry.add(image.digest);
    } else if (name === 'ResolveImage') {
      const image = resolve(world, fn, d);
      if (!image) return false;
      flight.image = image;
      d.release = {
        version: null,
        digest: image.digest,
        imageUri: uri(image.repository, image.digest),
        repository: image.repository,
      };
    } else if (name === 'Promote') {
      flight.image?.tags.add(releaseTag(d.id));
    } else if (name === 'UpdateFunction' && flight.image) {
      fn.latest = {
        digest: flight.image.digest,
        repository: flight.image.repository,
        updatedAt: world.now,
      };
      flight.version = publish(world, fn, world.counter % 3 !== 0).version;
      d.release = { ...(d.release as NonNullable<Deployment['release']>), version: flight.version };
    } else if (name === 'ProvisionConcurrency' && flight.provisioned && flight.version) {
      fn.provisioned.add(flight.version);
    } else if (name === 'ShiftTraffic' && flight.gradual && flight.oldVersion && flight.version) {
      fn.aliases.set(LIVE_ALIAS, {
        version: flight.oldVersion,
        additional: { version: flight.version, weight: flight.weight },
      });
      // A gradual release holding its step: gc goes on beside it (services/app/gc-lock-set.ts).
      d.traffic = {
        strategy: { strategy: 'canary', percent: flight.weight * 100, intervalSeconds: 600 },
        steps: [{ weight: flight.weight, holdSeconds: 600 }],
        step: 0,
        weight: flight.weight,
        phase: 'holding',
        extensions: 0,
        judgements: [],
        preexistingAlarms: [],
      };
    } else if (name === 'Activate' && flight.version) {
      fn.aliases.set(LIVE_ALIAS, { version: flight.version, additional: null });
    }
  }
  return true;
}

/** The image a deployment's request names, as the registry has it now. */
function resolve(world: World, fn: WorldFunction, d: Deployment) {
  if (d.request.source) return world.images.find((i) => i.tags.has(candidateTag(d.id)));
  const image = d.request.image ?? '';
  const [path, digest] = image.split('@');
  if (digest) return imageIn(world, (path as string).slice(REGISTRY_HOST.length + 1), digest);
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return world.images.find((i) => i.repository === fn.repository && i.tags.has(tag));
}

/** Ends a deployment: releases the lock, drops the candidate tag, rolls back what changed. */
function end(world: World, fn: WorldFunction, flight: Flight, outcome: Deployment['status']): void {
  const d = recordOf(world, flight.deploymentId);
  if (outcome === 'ROLLED_BACK') {
    if (flight.oldVersion)
      fn.aliases.set(LIVE_ALIAS, { version: flight.oldVersion, additional: null });
    else fn.aliases.delete(LIVE_ALIAS);
    if (flight.oldLatest) fn.latest = { ...flight.oldLatest, updatedAt: world.now };
    if (flight.version) fn.provisioned.delete(flight.version);
  }
  if (
    outcome === 'SUCCEEDED' &&
    flight.provisioned &&
    flight.oldVersion &&
    flight.oldVersion !== flight.version
  ) {
    fn.provisioned.delete(flight.oldVersion);
  }
  for (const image of world.images) image.tags.delete(candidateTag(d.id));
  d.status = outcome;
  d.endedAt = iso(world.now);
  world.flights.delete(fn.name);
}

/** Takes a started flight along its course. */
function steer(world: World, fn: WorldFunction, flight: Flight, course: Course): void {
  const last = STAGES.length - 1;
  const stopAt =
    course.kind === 'succeed' ? last : Math.max(flight.stage, Math.min(course.after, last));
  const resolved = run(world, fn, flight, stopAt);
  if (!resolved) end(world, fn, flight, 'FAILED');
  else if (course.kind === 'succeed') end(world, fn, flight, 'SUCCEEDED');
  else if (course.kind === 'fail') {
    const changed = flight.stage >= STAGES.indexOf('UpdateFunction');
    const failed = flight.stage >= STAGES.indexOf('ResolveImage') ? 'REJECTED' : 'FAILED';
    const rolledBack = course.rollbackFails ? 'ROLLBACK_FAILED' : 'ROLLED_BACK';
    end(world, fn, flight, changed ? rolledBack : failed);
  }
}

function start(
  world: World,
  fn: WorldFunction,
  d: Deployment,
  e: { gradual: boolean; provisioned: boolean; weight: number },
  course: Course,
): void {
  const flight: Flight = {
    deploymentId: d.id,
    functionName: fn.name,
    stage: 0,
    ...e,
    oldVersion: null,
    oldLatest: null,
    image: null,
    version: null,
  };
  world.flights.set(fn.name, flight);
  steer(world, fn, flight, course);
}

/** Applies one event; events that make no sense in the current world (a second flight) do nothing. */
export function apply(world: World, e: HistoryEvent): void {
  const managed = world.functions.filter((f) => f.managed);
  const fn =
    'fn' in e
      ? (at(
          e.kind === 'latest' || e.kind === 'push' ? world.functions : managed,
          e.fn,
        ) as WorldFunction)
      : undefined;
  if (e.kind === 'tick') world.now += e.seconds * 1000;
  else if (e.kind === 'deploy' && fn && !world.flights.has(fn.name)) {
    const inRepo = world.images.filter((i) => i.repository === fn.repository);
    const tagged = at(
      inRepo.filter((i) => [...i.tags].some((t) => !own(t))),
      e.pick,
    );
    const any = at(inRepo, e.pick);
    const request =
      e.mode === 'tag' && tagged
        ? {
            image: `${REGISTRY_HOST}/${tagged.repository}:${[...tagged.tags].find((t) => !own(t))}`,
          }
        : e.mode === 'digest' && any
          ? { image: uri(any.repository, any.digest) }
          : { source: { url: 'https://git.example.com/team/app.git' } };
    start(world, fn, record(world, fn, request, 'api'), e, e.course);
  } else if (e.kind === 'rollback' && fn && !world.flights.has(fn.name)) {
    const released = world.deployments.filter(
      (d) => d.functionName === fn.name && d.status === 'SUCCEEDED' && d.release?.digest,
    );
    const live = released.at(-1)?.release?.digest;
    const target = released.reverse().find((d) => d.release?.digest !== live)?.release;
    if (!target?.digest || !target.repository) return;
    const d = record(world, fn, { image: uri(target.repository, target.digest) }, 'rollback');
    start(world, fn, d, { gradual: false, provisioned: false, weight: 0 }, e.course);
  } else if (e.kind === 'resume' && fn) {
    const flight = world.flights.get(fn.name);
    if (flight) steer(world, fn, flight, e.course);
  } else if (e.kind === 'push' && fn) {
    push(world, fn.repository, e.tagged ? [`v${world.counter + 1}`] : []);
  } else if (e.kind === 'tag' || e.kind === 'untag') {
    const image = at(world.images, e.pick);
    if (e.kind === 'tag') image?.tags.add(`hand-${world.counter++}`);
    else for (const t of image?.tags ?? []) if (!own(t)) image?.tags.delete(t);
  } else if (e.kind === 'weights' && fn) {
    const primary = at(fn.versions, e.pick);
    const second = at(fn.versions, e.pick + 1);
    if (primary && second && primary !== second) {
      fn.aliases.set('beta', {
        version: primary.version,
        additional: { version: second.version, weight: e.weight },
      });
    }
  } else if (e.kind === 'provision' && fn) {
    const version = at(fn.versions, e.pick);
    if (version)
      fn.provisioned.add(e.pick % 4 === 0 && fn.aliases.has('beta') ? 'beta' : version.version);
  } else if (e.kind === 'point-live' && fn && !world.flights.has(fn.name)) {
    const version = at(fn.versions, e.pick);
    if (version) fn.aliases.set(LIVE_ALIAS, { version: version.version, additional: null });
  } else if (e.kind === 'latest' && fn) {
    const image = at(world.images, e.pick);
    if (!image || world.flights.has(fn.name)) return;
    fn.latest = { digest: image.digest, repository: image.repository, updatedAt: world.now };
    // A function Ferry does not manage is deployed by another tool, which publishes too.
    if (!fn.managed) publish(world, fn, true);
  }
}
