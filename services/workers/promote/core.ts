import { z } from 'zod';
import { ConflictError } from '../../core/errors.ts';
import { isTag } from '../../core/image-ref.ts';
import { resolvedImageSchema } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';

/** Promote's input: the pinned image and the release tags to give it. */
export const promoteInputSchema = z.object({
  deploymentId: z.string().min(1),
  image: resolvedImageSchema,
  tags: z.array(z.string().refine(isTag, 'must be a valid image tag')),
});

/** Promote's input. */
export type PromoteInput = z.output<typeof promoteInputSchema>;

/** What Promote returns (`$.promote`). */
export interface PromoteResult {
  readonly tags: string[];
}

/** The ports Promote uses. */
export type PromoteDeps = Pick<WorkerDeps, 'registry' | 'store' | 'clock' | 'logger'>;

/**
 * Gives the digest its release tags by re-putting its manifest (no blob transfer). Idempotent:
 * re-tagging the same manifest with the same tag changes nothing.
 */
export async function promote(input: PromoteInput, deps: PromoteDeps): Promise<PromoteResult> {
  return withStep(
    deps,
    input.deploymentId,
    'Promote',
    async () => {
      const { deploymentId, image, tags } = input;
      const manifest = await deps.registry.getManifest(image.repository, image.digest);
      if (manifest.digest !== image.digest) {
        throw new ConflictError(
          `registry returned digest ${manifest.digest} for ${image.uri}: the registry's content does not match the digest that was scanned; check the registry, then deploy again`,
        );
      }
      for (const tag of tags) await deps.registry.putTag(image.repository, tag, manifest);
      deps.logger.info('image promoted', { deploymentId, uri: image.uri, tags });
      return { tags: [...tags] };
    },
    (result) => `tagged ${result.tags.join(', ') || 'nothing'}`,
  );
}
