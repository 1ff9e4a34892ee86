/**
 * The Functions contract against every implementation: the in-memory fake, the local adapter
 * over a real function host (real images in a real registry, real instances), and the Lambda
 * adapter on moto's Lambda.
 */

import { createHash } from 'node:crypto';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateAliasCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe } from 'vitest';
import { LambdaFunctions } from '../../services/adapters/aws/lambda-functions.ts';
import { LocalFunctions } from '../../services/adapters/local/local-functions.ts';
import { parseImageRef } from '../../services/core/image-ref.ts';
import { FakeFunctions } from '../fakes/fake-functions.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { createMotoRole } from '../support/moto-aws.ts';
import { oneLayerManifest } from '../support/one-layer-manifest.ts';
import { describeFunctionsContract, type SubjectImages } from './functions.contract.ts';
import { useLocalHost } from './local-host.ts';

let made = 0;
const freshName = () => `functions-${++made}`;
const pinned = (c: string) => `repo/app@sha256:${c.repeat(64)}`;

describe('fake', () => {
  const images: SubjectImages = {
    first: pinned('a'),
    second: pinned('b'),
    failing: pinned('c'),
    broken: pinned('d'),
  };
  describeFunctionsContract({
    name: 'fake',
    make: async () => {
      const functions = new FakeFunctions();
      const name = freshName();
      functions.createFunction(name, images.first);
      functions.behaviors.set(`sha256:${'c'.repeat(64)}`, () => ({
        functionError: 'Unhandled',
        payload: { errorType: 'Error', errorMessage: 'boom from handler' },
      }));
      functions.updateStatus.set(`sha256:${'d'.repeat(64)}`, 'Failed');
      return { functions, name, images };
    },
  });
});

describe('local function host', () => {
  const local = useLocalHost(['good', 'twin', 'throws']);
  describeFunctionsContract({
    name: 'local',
    make: async () => {
      const functions = new LocalFunctions(local.host);
      const name = freshName();
      const { registry, repository } = parseImageRef(local.world.images.good);
      const images: SubjectImages = {
        first: local.world.images.good,
        second: local.world.images.twin,
        failing: local.world.images.throws,
        // A digest the registry never had: the host cannot pull it.
        broken: `${registry}/${repository}@sha256:${'0'.repeat(64)}`,
      };
      await functions.createFunction(name, images.first);
      return { functions, name, images };
    },
  });
});

describe('moto', () => {
  let moto: MotoServer;
  let lambda: LambdaClient;
  let ecr: ECRClient;
  let roleArn: string;
  beforeAll(async () => {
    // Lambda checks an image exists in ECR and takes its digest as CodeSha256: so does moto
    // with its ECR stub off, against the images pushed to its own ECR below.
    moto = await startMotoServer({ env: { MOTO_LAMBDA_STUB_ECR: 'false' } });
    lambda = new LambdaClient(motoClientConfig(moto.endpoint));
    ecr = new ECRClient(motoClientConfig(moto.endpoint));
    roleArn = await createMotoRole(moto.endpoint, 'functions-contract');
  });
  afterAll(async () => {
    lambda?.destroy();
    ecr?.destroy();
    await moto?.close();
  });
  describeFunctionsContract({
    name: 'moto',
    make: async () => {
      const name = freshName();
      // One path segment: moto looks a Lambda image up by the URI's last segment only.
      const repository = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}`;
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
        return `${repository}@${digest}`;
      };
      const images: SubjectImages = {
        first: await push('first'),
        second: await push('second'),
        failing: await push('failing'),
        broken: `${repository}@sha256:${'0'.repeat(64)}`,
      };
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          PackageType: 'Image',
          Code: { ImageUri: images.first },
          Role: roleArn,
          Publish: true,
        }),
      );
      await lambda.send(
        new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }),
      );
      return { functions: new LambdaFunctions(lambda, { pollDelaySeconds: 0.1 }), name, images };
    },
    // What moto 5.2 cannot show (lambda-functions.test.ts keeps a mock test for each):
    gaps: {
      revision:
        'moto gives functions no RevisionId and ignores it on UpdateFunctionCode and PublishVersion (Lambda answers PreconditionFailedException)',
      'code-check': "moto ignores PublishVersion's CodeSha256 and publishes whatever $LATEST has",
      'resolved-image-uri': 'moto answers ResolvedImageUri as `<repository>@sha256@sha256:<hex>`',
      'version-image-uri':
        "moto's published versions share $LATEST's code location, so their ImageUri follows later updates (their CodeSha256 does not)",
      'update-failure':
        'moto refuses an image missing from its ECR at UpdateFunctionCode itself and pulls nothing, so no update ever ends Failed',
      invoke: 'moto invokes image functions only in Docker, which this machine does not have',
    },
  });
});
