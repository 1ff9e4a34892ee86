import { z } from 'zod';
import type { Release, ScanReport } from '../../core/deployment.ts';
import { InvalidRequestError, isFerryError } from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import type { ManifestRecord } from '../../core/ports.ts';
import { prepareResultSchema, resolvedImageSchema } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { imageHints } from './hints.ts';
import { attributeLayers, baseImageOf, largestLayers } from './layers.ts';
import { evaluateScanPolicy, lambdaArchitecture, mib } from './policy.ts';

/** ScanImage's input: the pinned image, the function's architecture and policy, the live release. */
export const scanImageInputSchema = z.object({
  deploymentId: z.string().min(1),
  image: resolvedImageSchema,
  architecture: prepareResultSchema.shape.architecture,
  policy: prepareResultSchema.shape.policy,
  live: prepareResultSchema.shape.live.default(null),
});

/** ScanImage's input. */
export type ScanImageInput = z.output<typeof scanImageInputSchema>;

/** The ports ScanImage uses. */
export type ScanImageDeps = Pick<WorkerDeps, 'registry' | 'store' | 'clock' | 'logger' | 'metrics'>;

/** Media types of multi-architecture indexes (Lambda needs a single-architecture manifest). */
const INDEX_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/** How many of the largest layers a report lists. */
const LARGEST_LAYERS = 5;

const descriptor = z.object({ digest: z.string(), size: z.number().nonnegative() });
const manifestSchema = z.object({
  mediaType: z.string().optional(),
  config: descriptor.optional(),
  layers: z.array(descriptor).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  manifests: z
    .array(
      z.object({
        digest: z.string(),
        platform: z
          .object({
            os: z.string().optional(),
            architecture: z.string().optional(),
            variant: z.string().optional(),
          })
          .optional(),
      }),
    )
    .optional(),
});
type Manifest = z.output<typeof manifestSchema>;

/**
 * Scans the image from its manifest and config alone (no layer download): sizes, layers and the
 * history lines that made them, architecture, growth vs the live release. Applies the function's
 * size policy; a failed gate is a `reject` verdict (a normal outcome), stored on the deployment.
 */
export async function scanImage(input: ScanImageInput, deps: ScanImageDeps): Promise<ScanReport> {
  return withStep(
    deps,
    input.deploymentId,
    'ScanImage',
    async () => {
      const { image, policy } = input;
      const record = await deps.registry.getManifest(image.repository, image.digest);
      const manifest = parseManifest(record);
      const isIndex = INDEX_MEDIA_TYPES.has(record.mediaType) || manifest.manifests !== undefined;
      const layers = isIndex ? [] : (manifest.layers ?? []);
      const config =
        !isIndex && manifest.config
          ? await deps.registry.getConfig(image.repository, manifest.config.digest)
          : null;
      const architecture = config?.architecture ? lambdaArchitecture(config.architecture) : null;
      const compressedBytes = layers.reduce((sum, l) => sum + l.size, 0);
      const liveCompressedBytes = isIndex ? null : await liveSize(input.live, deps);
      const decision = evaluateScanPolicy(
        {
          mediaType: record.mediaType,
          indexManifests: isIndex ? indexChildren(manifest) : null,
          architecture,
          functionArchitecture: input.architecture,
          compressedBytes,
          liveCompressedBytes,
        },
        policy,
      );
      const history = config?.history ?? [];
      const attributed = attributeLayers(layers, history);
      const baseImage = isIndex ? null : baseImageOf(manifest.annotations, history);
      const report: ScanReport = {
        verdict: decision.verdict,
        reasons: decision.reasons,
        mediaType: record.mediaType,
        architecture,
        compressedBytes,
        uncompressedBytes: null,
        layerCount: layers.length,
        largestLayers: largestLayers(attributed, LARGEST_LAYERS),
        budgetBytes: policy.sizeBudgetBytes,
        liveCompressedBytes,
        growthRatio: decision.growthRatio,
        maxGrowthRatio: policy.maxGrowthRatio,
        baseImage,
        gates: decision.gates,
        hints: imageHints({ layers: attributed, compressedBytes, baseImage }),
      };
      await deps.store.update(input.deploymentId, { scan: report });
      deps.logger.info('image scanned', {
        deploymentId: input.deploymentId,
        verdict: report.verdict,
        compressedBytes,
        layerCount: report.layerCount,
        hints: report.hints?.length ?? 0,
      });
      deps.metrics.add('ImageCompressedBytes', compressedBytes, {});
      return report;
    },
    (r) =>
      r.verdict === 'pass'
        ? `pass: ${mib(r.compressedBytes)} in ${r.layerCount} layers`
        : `reject: ${r.reasons.join('; ')}`,
  );
}

function parseManifest(record: ManifestRecord): Manifest {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (error) {
    throw new InvalidRequestError(
      `manifest ${record.repository}@${record.digest} is not JSON: the registry holds something that is not an image`,
      { cause: error },
    );
  }
  const parsed = manifestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError(
    `manifest ${record.repository}@${record.digest} (${record.mediaType}) is not an OCI or Docker v2 image manifest: push the image with a current builder`,
  );
}

function indexChildren(manifest: Manifest): Array<{ digest: string; platform?: string }> {
  return (manifest.manifests ?? []).map((m) => {
    const p = m.platform;
    const platform = p?.architecture
      ? [p.os ?? 'linux', p.architecture, p.variant].filter(Boolean).join('/')
      : undefined;
    return { digest: m.digest, ...(platform ? { platform } : {}) };
  });
}

/** The live release's compressed size; null when there is none or its manifest is gone. */
async function liveSize(live: Release | null, deps: ScanImageDeps): Promise<number | null> {
  if (!live?.digest || !live.imageUri) return null;
  const repository = parseImageRef(live.imageUri).repository;
  let record: ManifestRecord;
  try {
    record = await deps.registry.getManifest(repository, live.digest);
  } catch (error) {
    // Without the live manifest there is nothing to compare with: skip the growth rule.
    if (isFerryError(error, 'NotFoundError')) return null;
    throw error;
  }
  const size = (parseManifest(record).layers ?? []).reduce((sum, l) => sum + l.size, 0);
  return size > 0 ? size : null;
}
