import { z } from 'zod';
import { ProvisioningFailedError } from '../../core/errors.ts';
import { releasePlanSchema } from '../../core/release-plan.ts';
import { type ProvisioningResult, provisioningResultSchema } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { patchTraffic } from '../traffic-record.ts';

/** ProvisionConcurrency's input: the new version, the plan, and the last poll's result. */
export const provisionConcurrencyInputSchema = z.object({
  deploymentId: z.string().min(1),
  functionName: z.string().min(1),
  version: z.string().min(1),
  release: releasePlanSchema,
  /** Empty on the first call, which asks for the configuration; the last poll's result after. */
  provisioning: provisioningResultSchema.partial().optional(),
});

/** ProvisionConcurrency's input. */
export type ProvisionConcurrencyInput = z.output<typeof provisionConcurrencyInputSchema>;

/** The ports ProvisionConcurrency uses. */
export type ProvisionConcurrencyDeps = Pick<WorkerDeps, 'functions' | 'store' | 'clock' | 'logger'>;

/**
 * Puts the settings' provisioned concurrency on the new version (first call), then reports its
 * status each time the workflow polls; READY lets the smoke run. FAILED, or not READY within the
 * settings' bound, is a ProvisioningFailedError (the workflow rolls back). Before any traffic
 * moves, so the history shows the version READY first.
 */
export async function provisionConcurrency(
  input: ProvisionConcurrencyInput,
  deps: ProvisionConcurrencyDeps,
): Promise<ProvisioningResult> {
  return withStep(
    deps,
    input.deploymentId,
    'ProvisionConcurrency',
    async () => {
      const { deploymentId, functionName, version, release } = input;
      const requested = release.provisionedConcurrency;
      const now = deps.clock.now();
      const requestedAt = input.provisioning?.requestedAt ?? now.toISOString();
      const current = input.provisioning?.requestedAt
        ? await deps.functions.getProvisionedConcurrency(functionName, version)
        : null;
      // First call, or the configuration went missing (removed by hand): ask (again).
      const config =
        current && current.requested === requested
          ? current
          : await deps.functions.putProvisionedConcurrency(functionName, version, requested);
      if (config.status === 'FAILED') {
        throw new ProvisioningFailedError(
          `provisioned concurrency of ${requested} on version ${version} FAILED: ${config.statusReason ?? 'no reason given'}`,
          { kind: 'failed', version },
        );
      }
      const waited = (now.getTime() - Date.parse(requestedAt)) / 1000;
      if (config.status !== 'READY' && waited > release.provisioningTimeoutSeconds) {
        throw new ProvisioningFailedError(
          `provisioned concurrency of ${requested} on version ${version} was not READY within ${release.provisioningTimeoutSeconds} s (${config.available} of ${requested} available)`,
          { kind: 'timeout', version },
        );
      }
      const ready = config.status === 'READY';
      await patchTraffic(deps.store, deploymentId, release, (t) => ({
        ...t,
        phase: 'provisioning',
        provisionedConcurrency: {
          version,
          requested,
          status: config.status,
          requestedAt,
          ...(ready ? { readyAt: now.toISOString() } : {}),
        },
      }));
      if (ready)
        deps.logger.info('provisioned concurrency ready', { deploymentId, version, requested });
      return { version, requested, status: config.status, requestedAt };
    },
    (r) => `${r.requested} provisioned on version ${r.version}: ${r.status}`,
  );
}
