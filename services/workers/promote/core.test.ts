import { describe, expect, it } from 'vitest';
import { FakeRegistry, OCI_MANIFEST } from '../../../test/fakes/fake-registry.ts';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import { MemoryStore } from '../../../test/fakes/memory-store.ts';
import { InvalidRequestError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import type { ManifestRecord } from '../../core/ports.ts';
import { parseInput } from '../parse-input.ts';
import { type PromoteDeps, promote, promoteInputSchema } from './core.ts';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ID = 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9';
const TAG = `ferry-release-${ID}`;

async function setup(registry = new FakeRegistry()) {
  const store = new MemoryStore();
  await store.create({
    id: ID,
    functionName: 'api',
    status: 'RUNNING',
    createdAt: '2026-11-28T11:59:00.000Z',
    updatedAt: '2026-11-28T11:59:00.000Z',
    trigger: { kind: 'api' },
    request: { image: `${REGISTRY}/team/api:v2` },
    steps: [],
  });
  const deps: PromoteDeps = { store, registry, clock: new ManualClock(), logger: silentLogger };
  const digest = registry.pushImage('team/api', 'v2');
  const input = parseInput('Promote', promoteInputSchema, {
    deploymentId: ID,
    image: {
      registry: REGISTRY,
      repository: 'team/api',
      digest,
      uri: `${REGISTRY}/team/api@${digest}`,
      mediaType: OCI_MANIFEST,
    },
    tags: [TAG],
  });
  return { store, registry, deps, digest, input };
}

describe('promote', () => {
  it('tags the digest with the release tags and records the step', async () => {
    // Prepare
    const { deps, registry, store, digest, input } = await setup();

    // Act
    const result = await promote(input, deps);

    // Assess
    expect(result).toEqual({ tags: [TAG] });
    expect(registry.tagsOf('team/api', digest).sort()).toEqual([TAG, 'v2'].sort());
    expect((await store.get(ID))?.steps[0]).toMatchObject({
      name: 'Promote',
      outcome: 'succeeded',
      attempts: 1,
      detail: `tagged ${TAG}`,
    });
  });

  it('re-puts the exact manifest bytes (no new digest)', async () => {
    // Prepare
    const puts: ManifestRecord[] = [];
    class RecordingRegistry extends FakeRegistry {
      override async putTag(repository: string, tag: string, manifest: ManifestRecord) {
        puts.push(manifest);
        return super.putTag(repository, tag, manifest);
      }
    }
    const { deps, registry, digest, input } = await setup(new RecordingRegistry());
    const original = await registry.getManifest('team/api', digest);

    // Act
    await promote(input, deps);

    // Assess
    expect(puts).toEqual([original]);
    expect((await registry.getManifest('team/api', TAG)).digest).toBe(digest);
  });

  it('is idempotent when run a second time', async () => {
    // Prepare
    const { deps, registry, store, digest, input } = await setup();
    await promote(input, deps);

    // Act
    const again = await promote(input, deps);

    // Assess
    expect(again).toEqual({ tags: [TAG] });
    expect(registry.tagsOf('team/api', digest).filter((t) => t === TAG)).toHaveLength(1);
    expect((await store.get(ID))?.steps[0]).toMatchObject({ outcome: 'succeeded', attempts: 2 });
  });

  it('throws NotFoundError when the digest is gone from the registry', async () => {
    // Prepare
    const { deps, registry, digest, input } = await setup();
    registry.deleteImage('team/api', digest);

    // Act & Assess
    await expect(promote(input, deps)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses an invalid tag at the input', () => {
    expect(() =>
      parseInput('Promote', promoteInputSchema, {
        deploymentId: ID,
        image: { repository: 'r', digest: 'sha256:x', uri: 'r@sha256:x', mediaType: OCI_MANIFEST },
        tags: ['not a tag'],
      }),
    ).toThrow(InvalidRequestError);
  });
});
