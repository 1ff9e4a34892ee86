import { Hono } from 'hono';
import { acceptPushes } from '../../app/rollout-queue.ts';
import { pushedImagesOf, verifyHookSignature } from '../../triggers/registry-event.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';

/**
 * `POST /v1/hooks/registry`: the local registry's push notifications (the local twin of ECR push
 * events), authenticated by an HMAC of the raw body instead of a bearer token. Each manifest push
 * with a tag is recorded per the repository's rule in the rollout queue and answered 202: a busy
 * function's rollout waits there (never a 5xx, which would stall the registry's in-order queue),
 * and a redelivered event is recorded once.
 */
export function registryHookRoutes(deps: ApiDeps) {
  return new Hono().post('/', async (c) => {
    const hook = deps.registryHook;
    if (!hook)
      throw new ApiProblem(
        404,
        'not-found',
        'registry notifications are not enabled on this Ferry',
      );
    const body = await c.req.text();
    if (body.length > deps.config.maxBodyBytes)
      throw new ApiProblem(
        413,
        'payload-too-large',
        `request bodies are limited to ${deps.config.maxBodyBytes} bytes`,
      );
    if (!verifyHookSignature(hook.secret, body, c.req.header('x-ferry-signature'))) {
      throw new ApiProblem(
        401,
        'unauthenticated',
        'missing or wrong X-Ferry-Signature (sha256=HMAC-SHA256 of the body with the hook secret)',
      );
    }
    const images = pushedImagesOf(body, hook.registryHost);
    const results = await acceptPushes(deps, hook.queue, images);
    return c.json({ results }, 202);
  });
}
