import { z } from 'zod';
import type { StepRecord } from '../../core/deployment.ts';
import { ConflictError, isFerryError, NotFoundError } from '../../core/errors.ts';
import { parseImageRef, pinnedUri } from '../../core/image-ref.ts';
import type { ManifestRecord } from '../../core/ports.ts';
import {
  type BuildResult,
  buildResultSchema,
  prepareResultSchema,
  type ResolvedImage,
} from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';

/** ResolveImage's input: the whole workflow state, of which it reads the plan and the build. */
export const resolveImageInputSchema = z.object({
  deploymentId: z.string().min(1),
  prepare: prepareResultSchema.pick({ imageRef: true, mode: true }),
  build: buildResultSchema.nullish(),
});

/** ResolveImage's input. */
export type ResolveImageInput = z.output<typeof resolveImageInputSchema>;

/** The ports ResolveImage uses. */
export type ResolveImageDeps = Pick<WorkerDeps, 'registry' | 'store' | 'clock' | 'logger'>;

/**
 * Resolves the requested image (or the build's candidate tag) to a digest and records it as the
 * deployment's release: from here on everything is by digest, so a tag moved later never changes
 * what this deployment releases. Records the Build step first when the image was built.
 */
export async function resolveImage(
  input: ResolveImageInput,
  deps: ResolveImageDeps,
): Promise<ResolvedImage> {
  const { deploymentId, build } = input;
  // Build ran before this step: recording it first keeps steps in the order they started.
  if (build) await deps.store.recordStep(deploymentId, buildStep(build, deps));
  return withStep(
    deps,
    deploymentId,
    'ResolveImage',
    async () => {
      const ref = parseImageRef(input.prepare.imageRef);
      const manifest = await fetchManifest(input.prepare.imageRef, deps);
      if (ref.digest && manifest.digest !== ref.digest) {
        throw new ConflictError(
          `registry returned digest ${manifest.digest} for ${input.prepare.imageRef}: the registry's content does not match the digest asked for; check the registry, then deploy again`,
        );
      }
      const image: ResolvedImage = {
        ...(ref.registry ? { registry: ref.registry } : {}),
        repository: ref.repository,
        digest: manifest.digest,
        uri: pinnedUri(ref, manifest.digest),
        mediaType: manifest.mediaType,
      };
      const buildLogsUrl = build ? logsLink(build) : undefined;
      await deps.store.update(deploymentId, {
        release: {
          version: null,
          digest: image.digest,
          imageUri: image.uri,
          repository: image.repository,
        },
        ...(buildLogsUrl ? { buildLogsUrl } : {}),
        ...(build ? { buildId: build.id } : {}),
      });
      deps.logger.info('image resolved', {
        deploymentId,
        ref: input.prepare.imageRef,
        uri: image.uri,
      });
      return image;
    },
    (image) => image.uri,
  );
}

/** The manifest a reference names; a missing image is a NotFoundError that says what to do. */
async function fetchManifest(imageRef: string, deps: ResolveImageDeps): Promise<ManifestRecord> {
  const ref = parseImageRef(imageRef);
  const reference = ref.digest ?? ref.tag ?? 'latest';
  try {
    return await deps.registry.getManifest(ref.repository, reference);
  } catch (error) {
    if (!isFerryError(error, 'NotFoundError')) throw error;
    throw new NotFoundError(
      `image ${imageRef} is not in repository ${ref.repository} (no ${ref.digest ? 'manifest with that digest' : `tag ${reference}`}): push it first, or check the reference`,
      { cause: error },
    );
  }
}

/** The Build step as CodeBuild reported it (times are epoch milliseconds or ISO strings). */
function buildStep(build: BuildResult, deps: ResolveImageDeps): StepRecord {
  const now = deps.clock.now().toISOString();
  const endedAt = toIso(build.endTime) ?? now;
  return {
    name: 'Build',
    startedAt: toIso(build.startTime) ?? endedAt,
    endedAt,
    outcome: 'succeeded',
    attempts: 1,
    detail: build.id,
  };
}

/** The build log link: CodeBuild's API says `deepLink`; Step Functions' output says `DeepLink`. */
function logsLink(build: BuildResult): string | undefined {
  const logs: Record<string, unknown> = build.logs ?? {};
  const link = logs.deepLink ?? logs.DeepLink;
  return typeof link === 'string' && link ? link : undefined;
}

function toIso(time: string | number | undefined): string | undefined {
  if (time === undefined) return undefined;
  // Step Functions serialises CodeBuild's dates as epoch numbers (ms, or s with a fraction).
  if (typeof time === 'string' && !/^\d+(\.\d+)?$/.test(time))
    return isoOrUndefined(Date.parse(time));
  const epoch = Number(time);
  return isoOrUndefined(epoch < 1e11 ? epoch * 1000 : epoch);
}

function isoOrUndefined(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
