/** What the response cases run against: one API world, seeded, and a way to call it as anyone. */
import { createApp } from '../../../services/api/app.ts';
import { parseFunctionSettings } from '../../../services/core/settings.ts';
import { type ApiWorld, createApiWorld } from '../api-world.ts';
import type { ActualResponse } from '../openapi-contract.ts';
import { send } from '../send.ts';
import { AWAITING_ID, FLAKY_ID, HOLDING_ID, inRelease, live, rich, richSteps } from './fixtures.ts';

/** A team of the world, or an anonymous caller. */
export type Who = 'payments' | 'search' | 'platform' | null;

/**
 * How a case sends: a JSON (or string) body, headers, `bare` for the app without collections and
 * `watched` for the app whose pushes come only from `team/orders` (AWS's ECR push rule).
 */
export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  app?: 'bare' | 'watched';
}

/** The world the cases share. */
export interface CaseContext {
  readonly world: ApiWorld;
  call(as: Who, method: string, path: string, options?: CallOptions): Promise<ActualResponse>;
  /** Frees a function's lock, as a finished workflow would. */
  freeLock(functionName: string): Promise<void>;
  /** Makes the workflow's start fail (or work again). */
  failWorkflow(fail: boolean): void;
  /** Makes the workflow's next callback (approve, abort) fail with a TransientError. */
  failNextCallback(): void;
}

/** One request and the status it must get, for one operation of the document. */
export interface ResponseCase {
  /** The document's operation, `get /v1/deployments/{id}`. */
  readonly op: string;
  readonly status: number;
  /** What the case shows, for the test's name. */
  readonly what: string;
  send(t: CaseContext): Promise<ActualResponse>;
  before?(t: CaseContext): Promise<void> | void;
  after?(t: CaseContext): Promise<void> | void;
}

/**
 * A world where `orders` (payments) has an older release (`rich`) and a newer one live, and
 * `ledger` (payments) was never deployed; plus the same app without rules, Slack user links or
 * tokens (as on AWS).
 */
export async function createCaseContext(): Promise<CaseContext> {
  const world = await createApiWorld();
  const { rules: _rules, slackUsers: _links, tokens: _tokens, ...withoutCollections } = world.deps;
  const bare = createApp(withoutCollections);
  const watched = createApp({
    ...world.deps,
    config: { ...world.deps.config, watchedRepositories: ['team/orders'] },
  });
  await world.store.create(rich);
  for (const step of richSteps) await world.store.recordStep(rich.id, step);
  await world.store.putLive(live);
  await world.store.putSettings('ledger', parseFunctionSettings({ team: 'payments' }));
  // Deployments in a canary's waits, each with the hold its workflow task keeps.
  const holds = [
    [AWAITING_ID, 'awaiting-approval', 'approval'],
    [HOLDING_ID, 'holding', 'step'],
    [FLAKY_ID, 'awaiting-approval', 'approval'],
  ] as const;
  for (const [id, phase, kind] of holds) {
    await world.store.create(inRelease(id, phase));
    await world.store.putHold({
      deploymentId: id,
      kind,
      token: `token-${id}`,
      since: '2026-11-29T10:02:00.000Z',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
  }
  return {
    world,
    call: (as, method, path, options = {}) =>
      send(
        options.app === 'bare' ? bare : options.app === 'watched' ? watched : world.app,
        method,
        path,
        {
          ...(options.body === undefined ? {} : { body: options.body }),
          headers: {
            ...(as ? { authorization: `Bearer ${world.token[as]}` } : {}),
            ...options.headers,
          },
        },
      ),
    freeLock: async (functionName) => {
      const lock = await world.store.getLock(functionName);
      if (lock) await world.store.releaseLock(functionName, lock.owner);
    },
    failWorkflow: (fail) => {
      world.workflow.fail = fail;
    },
    failNextCallback: () => {
      world.callbacks.failNext = Object.assign(new Error('Step Functions throttled'), {
        name: 'TransientError',
      });
    },
  };
}
