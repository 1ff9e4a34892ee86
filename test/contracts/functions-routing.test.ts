/**
 * The alias routing contract against every Functions implementation: the in-memory fake, the
 * local adapter over a real function host (real images, real instances), and the Lambda
 * adapter against moto's Lambda.
 */

import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe } from 'vitest';
import { LambdaFunctions } from '../../services/adapters/aws/lambda-functions.ts';
import { LocalFunctions } from '../../services/adapters/local/local-functions.ts';
import { FakeFunctions } from '../fakes/fake-functions.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { createMotoImageFunction, createMotoRole } from '../support/moto-aws.ts';
import { describeAliasRoutingContract } from './alias-routing.contract.ts';
import { useLocalHost } from './local-host.ts';
import { publishAll } from './publish-versions.ts';

let made = 0;
const freshName = () => `routing-${++made}`;

describe('fake', () => {
  const images = ['a', 'b', 'c'].map((c) => `repo/app@sha256:${c.repeat(64)}`);
  describeAliasRoutingContract({
    name: 'fake',
    make: async () => {
      const functions = new FakeFunctions();
      const name = freshName();
      functions.createFunction(name, images[0] ?? '');
      await publishAll(functions, name, images);
      return { functions, name };
    },
  });
});

describe('local function host', () => {
  const local = useLocalHost(['throws', 'good', 'slow']);
  describeAliasRoutingContract({
    name: 'local',
    make: async () => {
      const functions = new LocalFunctions(local.host);
      const name = freshName();
      // Versions 2 and 3 both answer, so the statistics check runs healthy code on both.
      const images = [local.world.images.throws, local.world.images.good, local.world.images.slow];
      await functions.createFunction(name, images[0] ?? '');
      await publishAll(functions, name, images);
      return { functions, name };
    },
  });
});

describe('moto', () => {
  let moto: MotoServer;
  let client: LambdaClient;
  let roleArn: string;
  beforeAll(async () => {
    moto = await startMotoServer();
    client = new LambdaClient(motoClientConfig(moto.endpoint));
    roleArn = await createMotoRole(moto.endpoint, 'routing-contract');
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.close();
  });
  describeAliasRoutingContract({
    name: 'moto',
    make: async () => {
      const name = freshName();
      await createMotoImageFunction(client, { name, roleArn, versions: 3, alias: 'live' });
      return { functions: new LambdaFunctions(client), name };
    },
    // moto 5 stores RoutingConfig exactly as given and returns it from GetAlias (so the split
    // itself, its clearing by an empty weight map and CreateAlias with one are checked against
    // it), but it is no stand-in for Lambda's checks and traffic:
    gaps: {
      revision:
        "moto gives an alias one RevisionId at creation that no update changes, and ignores UpdateAlias's RevisionId",
      'additional-version-exists':
        'moto checks the primary version but stores any additional version (missing, the primary itself, weights outside [0, 1], several entries); Ferry checks all but existence before calling',
      invoke: 'moto cannot invoke image functions, so it routes no traffic',
    },
  });
});
