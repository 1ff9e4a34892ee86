/**
 * How long a function's deployment lock lives. Every entry point that takes the lock (the API,
 * the ECR trigger, Prepare, local mode) uses the one value derived here from the workflow's own
 * timeout, so changing the timeout cannot leave one of them holding a lock that expires mid-run.
 */

/** A lock outlives the longest execution (the definition's TimeoutSeconds) by this much. */
export const LOCK_TTL_MARGIN_SECONDS = 600;

/** The lock lifetime for a workflow whose executions time out after `workflowTimeoutSeconds`. */
export function lockTtlSeconds(workflowTimeoutSeconds: number): number {
  if (!Number.isInteger(workflowTimeoutSeconds) || workflowTimeoutSeconds <= 0) {
    throw new Error(
      `the deploy workflow's TimeoutSeconds must be a positive integer, got ${workflowTimeoutSeconds}: set it in statemachine/deploy.asl.json`,
    );
  }
  return workflowTimeoutSeconds + LOCK_TTL_MARGIN_SECONDS;
}

/** The workflow timeout a lock lifetime was derived from (lockTtlSeconds' inverse). */
export function workflowTimeoutSeconds(lockTtl: number): number {
  return lockTtl - LOCK_TTL_MARGIN_SECONDS;
}
