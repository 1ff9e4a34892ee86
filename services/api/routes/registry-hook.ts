import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { rollOut } from '../rollout.ts';

const MANIFEST_TYPES = /manifest|image\.index/;

// The distribution registry's notification envelope (the parts Ferry reads).
const envelopeSchema = z.object({
  events: z.array(
    z
      .object({
        id: z.string(),
        action: z.string(),
        target: z
          .object({
            mediaType: z.string().optional(),
            digest: z.string(),
            repository: z.string(),
            tag: z.string().optional(),
          })
          .passthrough(),
      })
      .passthrough(),
  ),
});

/** True when `signature` is `sha256=<hex>` of HMAC-SHA256(secret, body); constant-time. */
export function verifyHookSignature(
  secret: string,
  body: string,
  signature: string | undefined,
): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `POST /v1/hooks/registry`: the local registry's push notifications (the local twin of ECR push
 * events), authenticated by an HMAC of the raw body instead of a bearer token. Each manifest push
 * with a tag rolls out per the repository's rule; a busy function answers 503 so the registry
 * redelivers later, and the (function, digest) idempotency key keeps redeliveries to one deployment.
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
    let envelope: z.infer<typeof envelopeSchema>;
    try {
      envelope = envelopeSchema.parse(JSON.parse(body));
    } catch {
      throw new ApiProblem(
        400,
        'validation',
        'the body is not a registry notification envelope ({ events: [...] })',
      );
    }
    const results = [];
    for (const event of envelope.events) {
      const { target } = event;
      if (
        event.action !== 'push' ||
        !target.tag ||
        !MANIFEST_TYPES.test(target.mediaType ?? 'manifest')
      )
        continue;
      results.push(
        ...(await rollOut(deps, {
          repository: target.repository,
          tag: target.tag,
          digest: target.digest,
          imageRef: `${hook.registryHost}/${target.repository}@${target.digest}`,
          trigger: { kind: 'registry', eventId: event.id },
        })),
      );
    }
    const busy = results.some((r) => r.outcome === 'busy');
    return c.json({ results }, busy ? 503 : 200);
  });
}
