/**
 * The host's listing and version-deleting routes on the wire, with AWS's own SDK: what the
 * FunctionInventory contract (which runs the Lambda adapter over them) does not ask.
 */
import {
  DeleteFunctionCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { motoClientConfig } from '../../test/support/moto.ts';
import { type RunningFunctionHost, startFunctionHost } from './http-server.ts';

describe('inventory routes', () => {
  let world: LambdaWorld<'good' | 'twin'>;
  let running: RunningFunctionHost;
  let client: LambdaClient;

  beforeAll(async () => {
    world = await startLambdaWorld(['good', 'twin']);
    running = await startFunctionHost({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
    });
    client = new LambdaClient(motoClientConfig(running.url));
    const { functions } = running;
    await functions.createFunction('wire', world.images.good);
    const { revisionId } = await functions.getFunction('wire');
    await functions.updateCode('wire', world.images.twin, revisionId);
    const ready = await functions.waitUntilUpdated('wire', 60);
    await functions.publishVersion('wire', ready.codeSha256);
    await functions.putProvisionedConcurrency('wire', '2', 1);
  }, 180_000);
  afterAll(async () => {
    client?.destroy();
    await running?.close();
    await world?.cleanup();
  });

  it("pages versions with Marker and stamps each with Lambda's LastModified format", async () => {
    const first = await client.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'wire', MaxItems: 2 }),
    );
    expect(first.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    expect(first.Versions?.[1]?.LastModified).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+\+0000$/);
    const second = await client.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'wire', Marker: first.NextMarker }),
    );
    expect(second.Versions?.map((v) => v.Version)).toEqual(['2']);
    expect(second.NextMarker).toBeUndefined();
  });

  it('refuses to delete $LATEST, an alias, or a whole function, and changes nothing', async () => {
    for (const Qualifier of ['$LATEST', 'live', undefined]) {
      await expect(
        client.send(new DeleteFunctionCommand({ FunctionName: 'wire', Qualifier })),
      ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    }
    const { Versions } = await client.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'wire' }),
    );
    expect(Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
  });

  it('refuses a routed or provisioned version with ResourceConflictException', async () => {
    for (const Qualifier of ['1', '2']) {
      await expect(
        client.send(new DeleteFunctionCommand({ FunctionName: 'wire', Qualifier })),
      ).rejects.toMatchObject({ name: 'ResourceConflictException' });
    }
  });

  it('answers 204 for a version that does not exist, and 404 for a missing function', async () => {
    await expect(
      client.send(new DeleteFunctionCommand({ FunctionName: 'wire', Qualifier: '99' })),
    ).resolves.toMatchObject({ $metadata: { httpStatusCode: 204 } });
    await expect(
      client.send(new DeleteFunctionCommand({ FunctionName: 'absent', Qualifier: '1' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
