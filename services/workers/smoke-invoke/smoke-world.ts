/** Test support for SmokeInvoke's tests: the new image published, and the input as the ASL builds it. */
import type { InvokeBehavior } from '../../../test/fakes/fake-functions.ts';
import {
  createWorkerWorld,
  FN,
  planDeployment,
  publishNewVersion,
  seedDeployment,
} from '../../../test/support/workflow-state.ts';
import { parseInput } from '../parse-input.ts';
import { type SmokeInvokeInput, smokeInvokeInputSchema } from './core.ts';

/** A world with the new image published as version 2, and SmokeInvoke's input for it. */
export async function smokeWorld(
  options: {
    behavior?: InvokeBehavior;
    smoke?: Partial<SmokeInvokeInput['smoke']> & Record<string, unknown>;
    pairedColdStarts?: boolean;
  } = {},
) {
  const world = createWorkerWorld({ pairedColdStarts: options.pairedColdStarts ?? false });
  await seedDeployment(world);
  const plan = await planDeployment(world);
  if (options.behavior) world.functions.behaviors.set(world.newDigest, options.behavior);
  const version = await publishNewVersion(world);
  const input = parseInput('SmokeInvoke', smokeInvokeInputSchema, {
    deploymentId: world.id,
    functionName: FN,
    version,
    digest: world.newDigest,
    smoke: { ...plan.smoke, ...options.smoke },
  });
  return { world, input, version };
}
