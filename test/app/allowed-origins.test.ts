/**
 * The API's answer and Prepare's must agree for every allowed-repositories setting: a request the
 * API accepts may not end FAILED with AccessDeniedError in the workflow, and one it refuses may
 * not have been runnable. Both go through the real use case and the real Prepare core.
 */

import { describe, expect, it } from 'vitest';
import { createDeployment } from '../../services/app/create-deployment.ts';
import type { AppDeps } from '../../services/app/deps.ts';
import type { SourceSpec } from '../../services/core/deployment.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { prepare } from '../../services/workers/prepare/core.ts';
import { FakeAlarms } from '../fakes/fake-alarms.ts';
import { FakeFunctions } from '../fakes/fake-functions.ts';
import { FakeRegistry } from '../fakes/fake-registry.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { MemoryStore } from '../fakes/memory-store.ts';
import { RecordingCallbacks } from '../fakes/recording-callbacks.ts';
import { RecordingNotifier } from '../fakes/recording-notifier.ts';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const admin = { principal: 'admin', team: 'platform', admin: true };

interface Case {
  readonly allowed: readonly string[];
  readonly image?: string;
  readonly source?: SourceSpec;
  readonly accepted: boolean;
}

const CASES: readonly Case[] = [
  { allowed: ['team/*'], image: `${REGISTRY}/team/app:v2`, accepted: true },
  { allowed: [`${REGISTRY}/team/*`], image: `${REGISTRY}/team/app:v2`, accepted: true },
  { allowed: ['team/app'], image: `${REGISTRY}/team/app:v2`, accepted: true },
  { allowed: ['other/*'], image: `${REGISTRY}/team/app:v2`, accepted: false },
  {
    allowed: ['github.com/acme/*'],
    source: { url: 'https://github.com/acme/app.git' },
    accepted: true,
  },
  {
    allowed: ['github.com/acme/app'],
    source: { url: 'https://github.com/acme/app' },
    accepted: true,
  },
  {
    allowed: ['github.com/other/*'],
    source: { url: 'https://github.com/acme/app.git' },
    accepted: false,
  },
  // The build repository is where Ferry pushes a source build, not where the code comes from.
  {
    allowed: ['ferry-builds'],
    source: { url: 'https://github.com/acme/app.git' },
    accepted: false,
  },
];

async function world(allowed: readonly string[]) {
  const store = new MemoryStore();
  const registry = new FakeRegistry();
  const functions = new FakeFunctions();
  const clock = new ManualClock();
  const live = registry.pushImage('team/app', 'v1', { label: 'v1' });
  registry.pushImage('team/app', 'v2', { label: 'v2' });
  functions.createFunction('app', `${REGISTRY}/team/app@${live}`, { alias: 'live' });
  await store.putSettings(
    'app',
    parseFunctionSettings({ team: 'payments', allowedRepositories: [...allowed] }),
  );
  let n = 0;
  const app: AppDeps = {
    store,
    workflow: { start: async () => {} },
    callbacks: new RecordingCallbacks(),
    clock,
    logger: silentLogger,
    newId: () => `d-01JDQ4Z9X8M2N3P4Q5R6S7T8V${n++}`,
    config: { adminTeam: 'platform', lockTtlSeconds: 600 },
  };
  const workers = {
    store,
    registry,
    functions,
    notifier: new RecordingNotifier(),
    alarms: new FakeAlarms(),
    clock,
    logger: silentLogger,
    options: {
      lockTtlSeconds: 600,
      updateMaxWaitSeconds: 60,
      metricsSettleSeconds: 0,
      provisioningPollSeconds: 1,
      buildRepositoryUri: `${REGISTRY}/ferry-builds`,
    },
  };
  return { app, workers };
}

describe('Rule: allowed repositories, at the API and in Prepare', () => {
  for (const c of CASES) {
    const what = c.image ?? c.source?.url;
    it(`${c.accepted ? 'accepts' : 'refuses'} ${what} with ${c.allowed.join(', ')} at both`, async () => {
      // Prepare
      const { app, workers } = await world(c.allowed);
      const request = {
        functionName: 'app',
        ...(c.image ? { image: c.image } : {}),
        ...(c.source ? { source: c.source } : {}),
      };

      // Act
      const api = await createDeployment(app, admin, request, { kind: 'api', actor: 'admin' }).then(
        (created) => created.deployment.id,
        (error: Error) => error,
      );

      // Assess
      if (!c.accepted) {
        expect(api).toMatchObject({ name: 'AccessDeniedError', allowedRepositories: c.allowed });
        // Prepare, given the same request recorded behind the API's back, refuses it too.
        const sneaked = { ...request, functionName: 'app' };
        const id = 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8VZ';
        await workers.store.create({
          id,
          functionName: 'app',
          status: 'PENDING',
          createdAt: '2026-12-01T00:00:00.000Z',
          updatedAt: '2026-12-01T00:00:00.000Z',
          trigger: { kind: 'api', actor: 'x' },
          request: {
            ...(sneaked.image ? { image: sneaked.image } : {}),
            ...(sneaked.source ? { source: sneaked.source } : {}),
          },
          steps: [],
        });
        await expect(prepare({ deploymentId: id }, workers)).rejects.toMatchObject({
          name: 'AccessDeniedError',
        });
        return;
      }
      expect(typeof api).toBe('string');
      await expect(prepare({ deploymentId: api as string }, workers)).resolves.toMatchObject({
        mode: c.image ? 'image' : 'source',
      });
    });
  }
});
