import type { StepRecord } from '../core/deployment.ts';
import { describeError } from '../core/errors.ts';
import type { Clock, DeploymentStore, Logger } from '../core/ports.ts';
import type { StepName } from '../core/steps.ts';

/** What every worker's deps bag holds for step recording. */
export interface StepDeps {
  readonly store: DeploymentStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Runs `body` as step `name` of deployment `deploymentId`, recording its start, end, outcome
 * and attempt count. A retried step keeps its first `startedAt`. Errors are recorded, then rethrown
 * unchanged so the ASL can match their names.
 */
export async function withStep<T>(
  deps: StepDeps,
  deploymentId: string,
  name: StepName,
  body: () => Promise<T>,
  summarize?: (result: T) => string | undefined,
): Promise<T> {
  const existing = (await deps.store.get(deploymentId))?.steps.find((s) => s.name === name);
  const started: StepRecord = {
    name,
    startedAt: existing?.startedAt ?? deps.clock.now().toISOString(),
    outcome: 'running',
    attempts: (existing?.attempts ?? 0) + 1,
  };
  await deps.store.recordStep(deploymentId, started);
  let result: T;
  try {
    result = await body();
  } catch (error) {
    const { name: errorName, message } = describeError(error);
    deps.logger.warn('step failed', { deploymentId, step: name, error: errorName, message });
    await deps.store
      .recordStep(deploymentId, {
        ...started,
        endedAt: deps.clock.now().toISOString(),
        outcome: 'failed',
        detail: `${errorName}: ${message}`,
      })
      .catch((recordError: unknown) =>
        // The original error matters more than the record of it: keep it, log this one.
        deps.logger.error('step record failed', {
          deploymentId,
          step: name,
          ...describeError(recordError),
        }),
      );
    throw error;
  }
  const detail = summarize?.(result);
  await deps.store.recordStep(deploymentId, {
    ...started,
    endedAt: deps.clock.now().toISOString(),
    outcome: 'succeeded',
    ...(detail ? { detail } : {}),
  });
  return result;
}
