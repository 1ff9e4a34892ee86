import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld } from '../../test/api/api-world.ts';
import { parseFunctionSettings } from '../core/settings.ts';
import { pushedImageOf } from './ecr-event.ts';
import { handleEcrEvent } from './ecr-trigger.ts';

const sample = JSON.parse(
  readFileSync(new URL('../../test/fixtures/ecr-image-action-push.json', import.meta.url), 'utf8'),
);
const DIGEST = `sha256:${'d'.repeat(64)}`;
const event = (detail: Record<string, unknown> = {}, id = 'evt-1') => ({
  ...sample,
  id,
  detail: {
    ...sample.detail,
    'repository-name': 'team/orders',
    'image-digest': DIGEST,
    'image-tag': 'release-1',
    ...detail,
  },
});

let w: ApiWorld;
beforeEach(async () => {
  await w?.close();
  w = await createApiWorld();
  await w.store.putSettings('orders-eu', parseFunctionSettings({ team: 'payments' }));
  await w.deps.rules?.putRule({
    repository: 'team/orders',
    tagPattern: 'release-*',
    functions: ['orders', 'orders-eu'],
    enabled: true,
  });
});
afterAll(() => w.close());

describe('Trigger: ECR push events', () => {
  it("reads AWS's sample event, 60-digit digest and all", () => {
    expect(pushedImageOf(sample)).toMatchObject({
      repository: 'my-repository-name',
      tag: 'latest',
      imageRef: `123456789012.dkr.ecr.us-west-2.amazonaws.com/my-repository-name@${sample.detail['image-digest']}`,
      trigger: { kind: 'ecr', eventId: sample.id },
    });
  });

  it('starts one deployment per function of the rule, recording the event id', async () => {
    const results = await handleEcrEvent(event(), w.deps);
    expect(results.map((r) => [r.functionName, r.outcome])).toEqual([
      ['orders', 'started'],
      ['orders-eu', 'started'],
    ]);
    const d = await w.store.get(results[0]?.deploymentId as string);
    expect(d).toMatchObject({
      trigger: { kind: 'ecr', eventId: 'evt-1' },
      request: { image: expect.stringContaining(`team/orders@${DIGEST}`) },
    });
  });

  it('deploys a digest once when the event arrives twice or concurrently', async () => {
    await Promise.all([
      handleEcrEvent(event(), w.deps),
      handleEcrEvent(event(), w.deps).catch(() => []),
    ]);
    await handleEcrEvent(event({}, 'evt-2'), w.deps).catch(() => []);
    expect((await w.store.listByFunction('orders')).items).toHaveLength(1);
    expect(w.workflow.started).toHaveLength(2);
  });

  it('ignores failures, deletes, unmatched tags and candidate tags', async () => {
    for (const detail of [
      { result: 'FAILURE' },
      { 'action-type': 'DELETE' },
      { 'image-tag': 'dev-1' },
      { 'image-tag': 'ferry-candidate-d-1' },
    ]) {
      expect(await handleEcrEvent(event(detail), w.deps)).toEqual([]);
    }
    expect(w.workflow.started).toEqual([]);
  });

  it('throws TransientError while a target is busy, so EventBridge retries', async () => {
    await w.store.acquireLock('orders', 'd-BUSY', Math.floor(Date.now() / 1000), 600);
    await expect(handleEcrEvent(event(), w.deps)).rejects.toMatchObject({ name: 'TransientError' });
  });

  it('refuses a malformed event with InvalidRequestError', async () => {
    await expect(handleEcrEvent({ hello: 'world' }, w.deps)).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
  });
});
