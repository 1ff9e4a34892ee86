import { z } from 'zod';
import { InvalidRequestError } from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import type { FunctionConfig } from '../../core/ports.ts';
import type { UpdateResult } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';

/** UpdateFunction's input: the function, the pinned image and the revision Prepare saw. */
export const updateFunctionInputSchema = z.object({
  deploymentId: z.string().min(1),
  functionName: z.string().min(1),
  /** `registry/repository@sha256:…` from ResolveImage. */
  imageUri: z.string().min(1),
  /** $LATEST's RevisionId as Prepare found it: the update is conditional on it. */
  revisionId: z.string().min(1),
});

/** UpdateFunction's input. */
export type UpdateFunctionInput = z.output<typeof updateFunctionInputSchema>;

/** The ports UpdateFunction uses. */
export type UpdateFunctionDeps = Pick<
  WorkerDeps,
  'functions' | 'store' | 'clock' | 'logger' | 'options'
>;

/** The digest an image URI names, or null. */
function digestOfUri(uri: string | null | undefined): string | null {
  const at = uri ? uri.lastIndexOf('@') : -1;
  return uri && at >= 0 ? uri.slice(at + 1) : null;
}

/**
 * Points $LATEST at the image (conditional on Prepare's revision), waits until the update is
 * Successful, and publishes it as a new version. Traffic does not move: the alias stays put.
 * Idempotent: a re-run that finds $LATEST already on the image does not update it again.
 */
export async function updateFunction(
  input: UpdateFunctionInput,
  deps: UpdateFunctionDeps,
): Promise<UpdateResult> {
  return withStep(
    deps,
    input.deploymentId,
    'UpdateFunction',
    async () => {
      const { deploymentId, functionName, imageUri } = input;
      const digest = parseImageRef(imageUri).digest;
      if (!digest) {
        throw new InvalidRequestError(
          `UpdateFunction got image "${imageUri}", which is not pinned by digest: ResolveImage must pass repository@sha256:…`,
        );
      }
      const ready = await codeAt(input, digest, deps);
      const published = await deps.functions.publishVersion(
        functionName,
        ready.codeSha256,
        ready.revisionId,
      );
      deps.logger.info('function version published', {
        deploymentId,
        functionName,
        version: published.version,
        digest,
      });
      await recordVersion(deps, deploymentId, published.version, digest, imageUri);
      return { version: published.version, codeSha256: published.codeSha256, imageUri };
    },
    (result) => `published version ${result.version}`,
  );
}

/** $LATEST's configuration once it runs `digest` and its update is Successful. */
async function codeAt(
  input: UpdateFunctionInput,
  digest: string,
  deps: UpdateFunctionDeps,
): Promise<FunctionConfig> {
  const { deploymentId, functionName, imageUri, revisionId } = input;
  const { functions, options, logger } = deps;
  const current = await functions.getFunction(functionName);
  const ours =
    digestOfUri(current.resolvedImageUri) === digest || digestOfUri(current.imageUri) === digest;
  if (ours && current.lastUpdateStatus === 'Successful') {
    // A retry after the first run updated the code: updating again would lose the revision check.
    logger.info('function already on image', { deploymentId, functionName, digest });
    return current;
  }
  if (!ours) {
    // ConflictError from here means someone changed the function since Prepare: do not overwrite.
    await functions.updateCode(functionName, imageUri, revisionId);
    logger.info('function code update started', { deploymentId, functionName, digest });
  }
  // Ours but InProgress or Failed (an earlier attempt): wait for, or report, that update.
  return functions.waitUntilUpdated(functionName, options.updateMaxWaitSeconds);
}

/** Records the published version on the deployment's release. */
async function recordVersion(
  deps: UpdateFunctionDeps,
  deploymentId: string,
  version: string,
  digest: string,
  imageUri: string,
): Promise<void> {
  const deployment = await deps.store.get(deploymentId);
  const release = deployment?.release ?? {
    digest,
    imageUri,
    repository: parseImageRef(imageUri).repository,
  };
  await deps.store.update(deploymentId, { release: { ...release, version } });
}
