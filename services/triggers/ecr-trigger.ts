import type { AppDeps } from '../app/deps.ts';
import { type RolloutResult, rollOut } from '../app/roll-out.ts';
import { InvalidRequestError, TransientError } from '../core/errors.ts';
import { pushedImageOf } from './ecr-event.ts';

/**
 * Turns an ECR push event into rollouts per the repository's rule: exactly one deployment per
 * (function, digest) however often EventBridge delivers the event. A function busy with another
 * deployment makes this throw TransientError, so EventBridge retries the event later.
 */
export async function handleEcrEvent(event: unknown, deps: AppDeps): Promise<RolloutResult[]> {
  let image: ReturnType<typeof pushedImageOf>;
  try {
    image = pushedImageOf(event);
  } catch (error) {
    throw new InvalidRequestError(`not an ECR Image Action event: ${(error as Error).message}`);
  }
  if (!image) return [];
  const results = await rollOut(deps, image);
  const busy = results.filter((r) => r.outcome === 'busy').map((r) => r.functionName);
  if (busy.length > 0) {
    throw new TransientError(
      `functions busy with another deployment: ${busy.join(', ')}; EventBridge will retry`,
    );
  }
  return results;
}
