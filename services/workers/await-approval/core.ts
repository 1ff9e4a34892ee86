import { type HoldDeps, type HoldInput, type HoldResult, holdRelease } from '../hold/core.ts';
import { withStep } from '../step-recorder.ts';

export { holdInputSchema as awaitApprovalInputSchema } from '../hold/core.ts';

/**
 * The AwaitApproval step: waits for approve (all traffic moves) or abort (rollback) before the
 * last step; its wait timing out rolls back. The same hold as a step's, of kind `approval`.
 */
export function awaitApproval(input: HoldInput, deps: HoldDeps): Promise<HoldResult> {
  return withStep(
    deps,
    input.deploymentId,
    'AwaitApproval',
    () => holdRelease('approval', input, deps),
    (r) =>
      r.aborted
        ? 'aborted before the approval'
        : `awaiting approval up to ${input.timeoutSeconds} s`,
  );
}
