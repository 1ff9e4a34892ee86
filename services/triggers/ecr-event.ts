import { z } from 'zod';
import type { PushedImage } from '../app/roll-out.ts';

// AWS's documented sample carries a 60-hex-digit digest: accept any sha256 hex here; the workflow
// resolves the image by digest and fails with a reason if the registry does not know it.
const ecrImageActionSchema = z.object({
  id: z.string().min(1),
  'detail-type': z.literal('ECR Image Action'),
  source: z.literal('aws.ecr'),
  account: z.string().regex(/^[0-9]{12}$/),
  region: z.string().regex(/^[a-z0-9-]+$/),
  detail: z.object({
    result: z.string(),
    'action-type': z.string(),
    'repository-name': z.string().min(1).max(256),
    'image-digest': z.string().regex(/^sha256:[a-f0-9]{32,64}$/),
    'image-tag': z.string().max(128).optional(),
  }),
});

/** An EventBridge `ECR Image Action` event. */
export type EcrImageAction = z.infer<typeof ecrImageActionSchema>;

/**
 * The pushed image an ECR event describes, or null for events that deploy nothing (not a
 * successful PUSH, or an untagged push). Throws (InvalidRequest-style) on a malformed event.
 */
export function pushedImageOf(event: unknown): PushedImage | null {
  const e = ecrImageActionSchema.parse(event);
  if (e.detail.result !== 'SUCCESS' || e.detail['action-type'] !== 'PUSH') return null;
  const repository = e.detail['repository-name'];
  const digest = e.detail['image-digest'];
  return {
    repository,
    tag: e.detail['image-tag'],
    digest,
    imageRef: `${e.account}.dkr.ecr.${e.region}.amazonaws.com/${repository}@${digest}`,
    trigger: { kind: 'ecr', eventId: e.id },
  };
}
