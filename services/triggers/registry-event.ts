/**
 * The local registry's push notifications (Docker distribution's envelope), the local twin of
 * ECR push events: verified by an HMAC of the raw body, then read as the images they push.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { PushedImage } from '../app/roll-out.ts';
import { InvalidRequestError } from '../core/errors.ts';

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
 * The tagged manifest pushes in a notification body, as images on `registryHost`. Pulls,
 * deletes, blob pushes and untagged pushes deploy nothing. InvalidRequestError for a body that
 * is not an envelope.
 */
export function pushedImagesOf(body: string, registryHost: string): PushedImage[] {
  let envelope: z.infer<typeof envelopeSchema>;
  try {
    envelope = envelopeSchema.parse(JSON.parse(body));
  } catch {
    throw new InvalidRequestError(
      'the body is not a registry notification envelope ({ events: [...] })',
    );
  }
  return envelope.events.flatMap(({ id, action, target }) =>
    action === 'push' && target.tag && MANIFEST_TYPES.test(target.mediaType ?? 'manifest')
      ? [
          {
            repository: target.repository,
            tag: target.tag,
            digest: target.digest,
            imageRef: `${registryHost}/${target.repository}@${target.digest}`,
            trigger: { kind: 'registry' as const, eventId: id },
          },
        ]
      : [],
  );
}
