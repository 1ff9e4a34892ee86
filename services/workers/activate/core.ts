import { z } from 'zod';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';

/** Activate's input: which alias to move to which (smoked) version. */
export const activateInputSchema = z.object({
  deploymentId: z.string().min(1),
  functionName: z.string().min(1),
  alias: z.string().min(1),
  version: z.string().min(1),
});

/** Activate's input. */
export type ActivateInput = z.output<typeof activateInputSchema>;

/** What Activate returns (`$.activate`). */
export interface ActivateResult {
  readonly alias: string;
  readonly version: string;
}

/** The ports Activate uses. */
export type ActivateDeps = Pick<WorkerDeps, 'functions' | 'store' | 'clock' | 'logger'>;

/**
 * Points the alias at the smoked version (creating the alias when missing): the one place
 * traffic moves. Idempotent: setting the alias to the version it already has is a no-op.
 */
export async function activate(input: ActivateInput, deps: ActivateDeps): Promise<ActivateResult> {
  return withStep(
    deps,
    input.deploymentId,
    'Activate',
    async () => {
      const { deploymentId, functionName, alias, version } = input;
      await deps.functions.setAlias(functionName, alias, version);
      deps.logger.info('alias moved', { deploymentId, functionName, alias, version });
      return { alias, version };
    },
    (result) => `${result.alias} → version ${result.version}`,
  );
}
