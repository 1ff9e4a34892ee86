import type { Trigger } from '../core/deployment.ts';
import { describeError, isFerryError } from '../core/errors.ts';
import { liveOf } from '../core/live.ts';
import { rolloutKey, rolloutTargets } from '../core/rules.ts';
import type { Caller } from './caller.ts';
import { createDeployment } from './create-deployment.ts';
import type { AppDeps } from './deps.ts';

/** Errors that refuse one function's rollout for good (a redelivery would be refused again). */
const REFUSALS = ['InvalidRequestError', 'NotFoundError', 'AccessDeniedError'] as const;

/** A pushed image: where it is and what tag moved. */
export interface PushedImage {
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string;
  /** `registry/repository@digest`: what the rollout deploys. */
  readonly imageRef: string;
  readonly trigger: Trigger;
}

/** What happened for one function. */
export interface RolloutResult {
  readonly functionName: string;
  readonly outcome: 'started' | 'already-deployed' | 'already-live' | 'busy' | 'refused';
  readonly deploymentId?: string;
  readonly detail?: string;
}

/** The functions a push rolls out to, per its repository's rule. */
export async function rolloutTargetsOf(deps: AppDeps, image: PushedImage): Promise<string[]> {
  const rule = deps.rules ? await deps.rules.getRule(image.repository) : null;
  return rolloutTargets(rule, image.tag);
}

/**
 * Rolls a pushed image out to the functions its repository's rule names (the ECR trigger's path:
 * a `busy` function makes EventBridge redeliver the event later).
 */
export async function rollOut(deps: AppDeps, image: PushedImage): Promise<RolloutResult[]> {
  const results: RolloutResult[] = [];
  for (const functionName of await rolloutTargetsOf(deps, image))
    results.push(await rollOutTo(deps, image, functionName));
  deps.logger.info('rollout', {
    repository: image.repository,
    tag: image.tag,
    digest: image.digest,
    results,
  });
  return results;
}

/**
 * Rolls a pushed image out to one function, exactly once per (function, digest): the idempotency
 * key is derived from both, so a duplicate or concurrent event replays the same deployment, and a
 * digest the function already serves is not deployed again. A function busy with another
 * deployment is reported `busy`; its caller decides when to try again.
 */
export async function rollOutTo(
  deps: AppDeps,
  image: PushedImage,
  functionName: string,
): Promise<RolloutResult> {
  // Rules are an admin's decision, so the rollout acts with the admin team's rights.
  const system: Caller = {
    principal: `${image.trigger.kind}:${image.trigger.eventId ?? 'event'}`,
    team: deps.config.adminTeam,
    admin: true,
  };
  try {
    const live = await liveOf(deps.store, functionName);
    if (live?.digest === image.digest)
      return { functionName, outcome: 'already-live', deploymentId: live.deploymentId };
    const { replayed, deployment } = await createDeployment(
      deps,
      system,
      { functionName, image: image.imageRef, reason: `${image.repository}:${image.tag} pushed` },
      image.trigger,
      rolloutKey(functionName, image.digest),
    );
    return {
      functionName,
      outcome: replayed ? 'already-deployed' : 'started',
      deploymentId: deployment.id,
    };
  } catch (error) {
    // Busy: another deployment holds the lock (or this push's own request is being recorded).
    const busy =
      isFerryError(error, 'ConflictError') &&
      (error.kind === 'function-locked' || error.kind === 'request-in-flight');
    const refused =
      REFUSALS.some((name) => isFerryError(error, name)) || isFerryError(error, 'ConflictError');
    if (!busy && !refused) throw error;
    return {
      functionName,
      outcome: busy ? 'busy' : 'refused',
      detail: describeError(error).message,
    };
  }
}
