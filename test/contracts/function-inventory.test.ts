/**
 * The FunctionInventory contract against every implementation: the in-memory fake, the local
 * adapter over a real function host (real images in a real registry), the Lambda adapter over
 * that host's Lambda API (the SDK's own wire format and paginators), and the Lambda adapter on
 * moto's Lambda.
 */
import { createHash } from 'node:crypto';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  type RunningFunctionHost,
  startFunctionHost,
} from '../../local/function-host/http-server.ts';
import { routingConfigOf } from '../../services/adapters/aws/lambda-alias-routing.ts';
import { LambdaFunctionInventory } from '../../services/adapters/aws/lambda-function-inventory.ts';
import { LocalFunctionInventory } from '../../services/adapters/local/local-function-inventory.ts';
import { LocalFunctions } from '../../services/adapters/local/local-functions.ts';
import { parseImageRef } from '../../services/core/image-ref.ts';
import type { AliasRouting, FunctionInventory, FunctionState } from '../../services/core/ports.ts';
import { FakeFunctionInventory } from '../fakes/fake-inventory.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { createMotoRole } from '../support/moto-aws.ts';
import { oneLayerManifest } from '../support/one-layer-manifest.ts';
import {
  describeFunctionInventoryContract,
  FUNCTION_PAGE_SIZE,
} from './function-inventory.contract.ts';
import { useLocalHost } from './local-host.ts';

let made = 0;
const freshName = () => `inventory-${++made}`;
const pinned = (c: string) => `registry.test/team/app@sha256:${c.repeat(64)}`;

describe('fake', () => {
  describeFunctionInventoryContract({
    name: 'fake',
    make: async () => {
      const inventory = new FakeFunctionInventory();
      const name = freshName();
      const images = [pinned('a'), pinned('b'), pinned('c')];
      const hex = (image: string) => parseImageRef(image).digest?.slice(7) ?? '';
      const version = (number: string, image: string) => ({
        version: number,
        codeSha256: hex(image),
        repository: 'team/app',
        lastModified: new Date().toISOString(),
      });
      const first = images[0] ?? '';
      inventory.set(name, {
        latest: { resolvedImageUri: first, codeSha256: hex(first) },
        versions: [version('$LATEST', first), version('1', first)],
        aliases: [{ name: 'live', routing: { version: '1', additional: null } }],
        provisionedQualifiers: [],
      });
      const update = (change: (state: FunctionState) => FunctionState) => {
        const state = inventory.functions.get(name);
        if (!state) throw new Error(`no function ${name}`);
        inventory.functions.set(name, change(state));
      };
      let next = 2;
      return {
        inventory,
        name,
        images,
        repository: 'team/app',
        publish: async (image) => {
          const number = String(next++);
          update((s) => ({
            ...s,
            latest: { resolvedImageUri: image, codeSha256: hex(image) },
            versions: [
              version('$LATEST', image),
              ...s.versions.filter((v) => v.version !== '$LATEST'),
              version(number, image),
            ],
          }));
          return number;
        },
        route: async (alias, routing) =>
          update((s) => ({
            ...s,
            aliases: [...s.aliases.filter((a) => a.name !== alias), { name: alias, routing }],
          })),
        provision: async (v) =>
          update((s) => ({ ...s, provisionedQualifiers: [...s.provisionedQualifiers, v] })),
      };
    },
  });
});

describe('local function host', () => {
  const local = useLocalHost(['good', 'twin', 'throws']);
  let running: RunningFunctionHost;
  beforeAll(async () => {
    running = await startFunctionHost({
      stateDir: await local.world.tempDir(),
      registryUrl: local.world.registry.url,
    });
  });
  afterAll(() => running?.close());

  /** A function on `functions`' host and the subject's ways to change it. */
  const subjectOn = async (functions: LocalFunctions, inventory: FunctionInventory) => {
    const name = freshName();
    const { good, twin, throws } = local.world.images;
    await functions.createFunction(name, good);
    return {
      inventory,
      name,
      images: [good, twin, throws],
      repository: parseImageRef(good).repository,
      publish: async (image: string) => {
        const { revisionId } = await functions.getFunction(name);
        await functions.updateCode(name, image, revisionId);
        const ready = await functions.waitUntilUpdated(name, 60);
        return (await functions.publishVersion(name, ready.codeSha256)).version;
      },
      route: (alias: string, routing: AliasRouting) =>
        functions.setAliasRouting(name, alias, routing),
      provision: async (version: string) => {
        await functions.putProvisionedConcurrency(name, version, 1);
      },
    };
  };

  describeFunctionInventoryContract({
    name: 'LambdaFunctionInventory over the local host’s Lambda API',
    make: () =>
      subjectOn(
        running.functions,
        new LambdaFunctionInventory(new LambdaClient(motoClientConfig(running.url)), {
          pageSize: FUNCTION_PAGE_SIZE,
        }),
      ),
    gaps: {
      'version-repository':
        'ListVersionsByFunction has no image URI: the adapter leaves a published version’s repository unknown rather than call GetFunction per version',
    },
  });

  describeFunctionInventoryContract({
    name: 'local',
    make: () => subjectOn(new LocalFunctions(local.host), new LocalFunctionInventory(local.host)),
  });
});

describe('moto', () => {
  let moto: MotoServer;
  let lambda: LambdaClient;
  let ecr: ECRClient;
  let roleArn: string;
  beforeAll(async () => {
    // Lambda takes an image's digest from ECR as CodeSha256: so does moto with its ECR stub off.
    moto = await startMotoServer({ env: { MOTO_LAMBDA_STUB_ECR: 'false' } });
    lambda = new LambdaClient(motoClientConfig(moto.endpoint));
    // moto 5 has no provisioned-concurrency routes (an HTML 404): its list is answered empty here.
    lambda.middlewareStack.add(
      (next, context) => async (args) =>
        context.commandName === 'ListProvisionedConcurrencyConfigsCommand'
          ? { output: { ProvisionedConcurrencyConfigs: [], $metadata: {} }, response: {} }
          : next(args),
      { step: 'initialize', name: 'motoHasNoProvisionedConcurrency' },
    );
    ecr = new ECRClient(motoClientConfig(moto.endpoint));
    roleArn = await createMotoRole(moto.endpoint, 'inventory-contract');
  });
  afterAll(async () => {
    lambda?.destroy();
    ecr?.destroy();
    await moto?.close();
  });
  describeFunctionInventoryContract({
    name: 'LambdaFunctionInventory on moto',
    make: async () => {
      const name = freshName();
      // One path segment: moto looks a Lambda image up by the URI's last segment only.
      const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
      await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
      const push = async (seed: string) => {
        const body = oneLayerManifest(seed);
        const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
        await ecr.send(
          new PutImageCommand({
            repositoryName: name,
            imageTag: seed,
            imageManifest: body,
            imageDigest: digest,
          }),
        );
        return `${registry}/${name}@${digest}`;
      };
      const images = [await push('first'), await push('second'), await push('third')];
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          PackageType: 'Image',
          Code: { ImageUri: images[0] },
          Role: roleArn,
          Publish: true,
        }),
      );
      await lambda.send(
        new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }),
      );
      const aliases = new Set(['live']);
      return {
        inventory: new LambdaFunctionInventory(lambda, { pageSize: FUNCTION_PAGE_SIZE }),
        name,
        images,
        repository: name,
        publish: async (image) => {
          await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ImageUri: image }));
          const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
          return published.Version ?? '';
        },
        route: async (alias, routing) => {
          const input = {
            FunctionName: name,
            Name: alias,
            FunctionVersion: routing.version,
            RoutingConfig: routingConfigOf(routing),
          };
          if (aliases.has(alias)) await lambda.send(new UpdateAliasCommand(input));
          else await lambda.send(new CreateAliasCommand(input));
          aliases.add(alias);
        },
        provision: async () => {
          throw new Error('moto has no provisioned concurrency');
        },
      };
    },
    gaps: {
      'version-repository':
        'ListVersionsByFunction has no image URI: the adapter leaves a published version’s repository unknown rather than call GetFunction per version',
      provisioned: 'moto 5 has no provisioned-concurrency routes',
      'refuses-routed':
        'moto deletes a version an alias routes to (Lambda answers ResourceConflictException; the host-backed run above shows the mapping)',
    },
  });
});
