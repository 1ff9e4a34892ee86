/** The gc Lambda's event: the API's run options, or the schedule's (empty, or anything else). */
import { z } from 'zod';
import type { GcOptions } from '../app/collect-garbage.ts';
import { InvalidRequestError } from '../core/errors.ts';

const eventSchema = z.object({
  dryRun: z.boolean().optional(),
  policy: z
    .object({
      rollbackDepth: z.number().optional(),
      minimumAgeSeconds: z.number().optional(),
    })
    .optional(),
});

/** The options of a run; the policy's bounds are checked by the use case. */
export function gcOptionsOf(event: unknown): GcOptions {
  if (event === null || typeof event !== 'object') return {};
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success)
    throw new InvalidRequestError(`gc event: ${parsed.error.issues[0]?.message}`);
  const { dryRun, policy } = parsed.data;
  return {
    ...(dryRun ? { dryRun } : {}),
    ...(policy
      ? {
          policy: {
            ...(policy.rollbackDepth !== undefined ? { rollbackDepth: policy.rollbackDepth } : {}),
            ...(policy.minimumAgeSeconds !== undefined
              ? { minimumAgeSeconds: policy.minimumAgeSeconds }
              : {}),
          },
        }
      : {}),
  };
}
