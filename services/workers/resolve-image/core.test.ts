import { describe, expect, it } from 'vitest';
import { FakeRegistry, OCI_MANIFEST } from '../../../test/fakes/fake-registry.ts';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import { MemoryStore } from '../../../test/fakes/memory-store.ts';
import type { Deployment } from '../../core/deployment.ts';
import { silentLogger } from '../../core/logger.ts';
import type { ManifestRecord } from '../../core/ports.ts';
import { parseInput } from '../parse-input.ts';
import { type ResolveImageDeps, resolveImage, resolveImageInputSchema } from './core.ts';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ID = 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9';

function aDeployment(): Deployment {
  return {
    id: ID,
    functionName: 'api',
    status: 'RUNNING',
    createdAt: '2026-11-28T11:59:00.000Z',
    updatedAt: '2026-11-28T11:59:00.000Z',
    trigger: { kind: 'api' },
    request: { image: `${REGISTRY}/team/api:v2` },
    steps: [
      {
        name: 'Prepare',
        startedAt: '2026-11-28T12:00:00.000Z',
        endedAt: '2026-11-28T12:00:01.000Z',
        outcome: 'succeeded',
        attempts: 1,
      },
    ],
  };
}

async function setup(registry = new FakeRegistry()) {
  const store = new MemoryStore();
  await store.create(aDeployment());
  const deps: ResolveImageDeps = {
    store,
    registry,
    clock: new ManualClock(Date.parse('2026-11-28T12:10:00.000Z')),
    logger: silentLogger,
  };
  return { store, registry, deps };
}

/** The workflow state as the ASL passes it (more than ResolveImage reads). */
function state(imageRef: string, extra: Record<string, unknown> = {}) {
  return parseInput('ResolveImage', resolveImageInputSchema, {
    deploymentId: ID,
    prepare: { imageRef, mode: 'image', functionName: 'api', releaseTags: [] },
    ...extra,
  });
}

describe('resolveImage', () => {
  it('resolves a tag to a digest and records the release on the deployment', async () => {
    // Prepare
    const { deps, registry, store } = await setup();
    const digest = registry.pushImage('team/api', 'v2');

    // Act
    const image = await resolveImage(state(`${REGISTRY}/team/api:v2`), deps);

    // Assess
    expect(image).toEqual({
      registry: REGISTRY,
      repository: 'team/api',
      digest,
      uri: `${REGISTRY}/team/api@${digest}`,
      mediaType: OCI_MANIFEST,
    });
    const deployment = await store.get(ID);
    expect(deployment?.release).toEqual({
      version: null,
      digest,
      imageUri: `${REGISTRY}/team/api@${digest}`,
      repository: 'team/api',
    });
    expect(deployment?.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['Prepare', 'succeeded'],
      ['ResolveImage', 'succeeded'],
    ]);
  });

  it('resolves an untagged reference as latest', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const digest = registry.pushImage('team/api', 'latest');

    // Act
    const image = await resolveImage(state('team/api'), deps);

    // Assess
    expect(image).toMatchObject({ repository: 'team/api', digest, uri: `team/api@${digest}` });
    expect(image).not.toHaveProperty('registry');
  });

  it('verifies a digest reference and drops its tag from the pinned URI', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const digest = registry.pushImage('team/api', 'v2');

    // Act
    const image = await resolveImage(state(`${REGISTRY}/team/api:moved@${digest}`), deps);

    // Assess
    expect(image.digest).toBe(digest);
    expect(image.uri).toBe(`${REGISTRY}/team/api@${digest}`);
  });

  it('throws ConflictError when the registry returns another digest than the one asked for', async () => {
    // Prepare
    class LyingRegistry extends FakeRegistry {
      // Answers every reference with the manifest tagged v2.
      override async getManifest(repository: string): Promise<ManifestRecord> {
        return super.getManifest(repository, 'v2');
      }
    }
    const { deps, registry } = await setup(new LyingRegistry());
    registry.pushImage('team/api', 'v2');
    const asked = `sha256:${'a'.repeat(64)}`;

    // Act & Assess
    await expect(resolveImage(state(`team/api@${asked}`), deps)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(asked),
    });
  });

  it('throws NotFoundError naming the tag when the tag is missing', async () => {
    // Prepare
    const { deps, registry, store } = await setup();
    registry.pushImage('team/api', 'v1');

    // Act & Assess
    await expect(resolveImage(state(`${REGISTRY}/team/api:v9`), deps)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('tag v9'),
    });
    expect((await store.get(ID))?.steps.at(-1)).toMatchObject({
      name: 'ResolveImage',
      outcome: 'failed',
    });
  });

  it('throws NotFoundError when the digest is not in the repository', async () => {
    // Prepare
    const { deps } = await setup();

    // Act & Assess
    await expect(
      resolveImage(state(`team/api@sha256:${'b'.repeat(64)}`), deps),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('records the Build step from epoch-millisecond build times, and the build log link', async () => {
    // Prepare
    const { deps, registry, store } = await setup();
    registry.pushImage('ferry-builds', `ferry-candidate-${ID}`);
    const build = {
      id: 'ferry-build-x86:0b1c',
      startTime: Date.parse('2026-11-28T12:00:02.000Z'),
      endTime: Date.parse('2026-11-28T12:04:30.500Z'),
      logs: { deepLink: 'https://console.aws.amazon.com/cloudwatch/home#logsV2:log-groups' },
    };

    // Act
    await resolveImage(state(`${REGISTRY}/ferry-builds:ferry-candidate-${ID}`, { build }), deps);

    // Assess
    const deployment = await store.get(ID);
    expect(deployment?.steps.map((s) => s.name)).toEqual(['Prepare', 'Build', 'ResolveImage']);
    expect(deployment?.steps[1]).toEqual({
      name: 'Build',
      startedAt: '2026-11-28T12:00:02.000Z',
      endedAt: '2026-11-28T12:04:30.500Z',
      outcome: 'succeeded',
      attempts: 1,
      detail: 'ferry-build-x86:0b1c',
    });
    expect(deployment?.buildLogsUrl).toBe(build.logs.deepLink);
  });

  it('records the Build step from ISO build times, and a DeepLink log link', async () => {
    // Prepare
    const { deps, registry, store } = await setup();
    registry.pushImage('ferry-builds', `ferry-candidate-${ID}`);
    const build = {
      id: 'ferry-build-arm:9f',
      startTime: '2026-11-28T12:00:02.000Z',
      endTime: '2026-11-28T12:03:00.000Z',
      // Step Functions' CodeBuild output spells it DeepLink.
      logs: { DeepLink: 'https://console.aws.amazon.com/codebuild/logs/1', GroupName: 'g' },
    };

    // Act
    await resolveImage(state(`${REGISTRY}/ferry-builds:ferry-candidate-${ID}`, { build }), deps);

    // Assess
    const deployment = await store.get(ID);
    expect(deployment?.steps.find((s) => s.name === 'Build')).toMatchObject({
      startedAt: '2026-11-28T12:00:02.000Z',
      endedAt: '2026-11-28T12:03:00.000Z',
      outcome: 'succeeded',
      detail: 'ferry-build-arm:9f',
    });
    expect(deployment?.buildLogsUrl).toBe('https://console.aws.amazon.com/codebuild/logs/1');
  });

  it('gives the same result and one Build step when retried', async () => {
    // Prepare
    const { deps, registry, store } = await setup();
    registry.pushImage('ferry-builds', 'c1');
    const input = state('ferry-builds:c1', {
      build: { id: 'b:1', startTime: 1_795_000_000_000, endTime: 1_795_000_100_000 },
    });
    const first = await resolveImage(input, deps);

    // Act
    const second = await resolveImage(input, deps);

    // Assess
    expect(second).toEqual(first);
    const steps = (await store.get(ID))?.steps ?? [];
    expect(steps.filter((s) => s.name === 'Build')).toHaveLength(1);
    expect(steps.find((s) => s.name === 'ResolveImage')?.attempts).toBe(2);
  });
});
