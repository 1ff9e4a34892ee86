/**
 * `npm run bench` (gc part): planning a collection over 10,000 images and 500 functions through
 * the AWS adapters (EcrImageInventory, LambdaFunctionInventory) and planCollection, counting the
 * SDK calls by command. The answers come from an in-process stand-in (gc-stand-in.ts), not moto:
 * moto answers DescribeImages and the Lambda lists in one page whatever the page size, so it
 * could not show the paging, and pushing 10,000 images and creating 500 functions there takes
 * minutes. Time is the adapters' and the plan's own (no network).
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { EcrImageInventory } from '../services/adapters/aws/ecr-image-inventory.ts';
import { LambdaFunctionInventory } from '../services/adapters/aws/lambda-function-inventory.ts';
import { gcPolicySchema, planCollection } from '../services/core/collection-plan.ts';
import type { FunctionSnapshot, RegistryImage } from '../services/core/gc-snapshot.ts';
import { standIn, standInWorld } from './gc-stand-in.ts';

const IMAGES = 10_000;
const REPOSITORIES = 10;
const FUNCTIONS = 500;

const config = {
  region: 'eu-west-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
};

/** Reads the account through the adapters and plans; returns the printed lines. */
export async function benchGc(): Promise<string[]> {
  const world = standInWorld(IMAGES, REPOSITORIES, FUNCTIONS);
  const ecr = new ECRClient(config);
  const lambda = new LambdaClient(config);
  standIn(ecr, world, 'ecr');
  standIn(lambda, world, 'lambda');
  const images = new EcrImageInventory(ecr);
  const functions = new LambdaFunctionInventory(lambda);

  const started = performance.now();
  const takenAt = new Date().toISOString();
  const states: FunctionSnapshot[] = [];
  for (const name of world.functions) {
    const state = await functions.readState(name);
    states.push({
      functionName: name,
      managed: true,
      ...state,
      deployments: world.deploymentsOf(name),
    });
  }
  const listed: RegistryImage[] = [];
  for (const repository of world.repositories)
    listed.push(...(await images.listImages(repository)));
  const read = performance.now();
  const plan = planCollection(
    { takenAt, functions: states, images: listed },
    gcPolicySchema.parse({}),
  );
  const planned = performance.now();
  ecr.destroy();
  lambda.destroy();

  const calls = [...world.calls].sort(([a], [b]) => a.localeCompare(b));
  const total = calls.reduce((sum, [, n]) => sum + n, 0);
  const describe = world.calls.get('DescribeImagesCommand') ?? 0;
  const lambdaCalls = total - describe;
  return [
    `gc plan: ${listed.length} images in ${REPOSITORIES} repositories, ${FUNCTIONS} functions (${states.reduce((s, f) => s + f.versions.length, 0)} versions), in-process stand-in`,
    ...calls.map(([command, n]) => `  ${command.replace(/Command$/, '')}: ${n}`),
    `  calls: ${total} — DescribeImages ${(describe / listed.length).toFixed(4)}/image, Lambda ${(lambdaCalls / FUNCTIONS).toFixed(2)}/function`,
    `  read ${(read - started).toFixed(0)} ms, plan ${(planned - read).toFixed(0)} ms; plan removes ${plan.images.length} images, ${plan.versions.length} versions`,
  ];
}
