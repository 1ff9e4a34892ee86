import { z } from 'zod';
import { releasePlanSchema } from '../../core/release-plan.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { patchTraffic } from '../traffic-record.ts';

/** Activate's input: which alias to move to which (smoked) version. */
export const activateInputSchema = z.object({
  deploymentId: z.string().min(1),
  functionName: z.string().min(1),
  alias: z.string().min(1),
  version: z.string().min(1),
  /** The release plan (absent in states from before plans). */
  release: releasePlanSchema.optional(),
});

/** Activate's input. */
export type ActivateInput = z.output<typeof activateInputSchema>;

/** What Activate returns (`$.activate`). */
export interface ActivateResult {
  readonly alias: string;
  readonly version: string;
  /** True when an abort was recorded: the alias did not move and the workflow rolls back. */
  readonly aborted: boolean;
}

/** The ports Activate uses. */
export type ActivateDeps = Pick<WorkerDeps, 'functions' | 'store' | 'clock' | 'logger'>;

/**
 * Points the alias at the smoked version alone (creating the alias when missing, clearing a
 * release's weighted split): the one place all traffic moves. An abort recorded before it wins:
 * nothing moves. Idempotent: setting the alias to the version it already has is a no-op. (The
 * old version's provisioned concurrency goes in Finalize, once the release has ended SUCCEEDED:
 * an error here still rolls back, onto an old version that must still have it.)
 */
export async function activate(input: ActivateInput, deps: ActivateDeps): Promise<ActivateResult> {
  return withStep(
    deps,
    input.deploymentId,
    'Activate',
    async () => {
      const { deploymentId, functionName, alias, version, release } = input;
      const record = await deps.store.get(deploymentId);
      if (record?.abort) {
        deps.logger.info('abort recorded: alias not moved', { deploymentId, by: record.abort.by });
        return { alias, version, aborted: true };
      }
      await deps.functions.setAlias(functionName, alias, version);
      deps.logger.info('alias moved', { deploymentId, functionName, alias, version });
      if (release && (release.gradual || release.approval || release.provisionedConcurrency > 0)) {
        await patchTraffic(deps.store, deploymentId, release, (t) => ({
          ...t,
          step: release.steps.length - 1,
          weight: 1,
          phase: 'complete',
        }));
      }
      return { alias, version, aborted: false };
    },
    (result) =>
      result.aborted ? 'aborted: alias not moved' : `${result.alias} → version ${result.version}`,
  );
}
