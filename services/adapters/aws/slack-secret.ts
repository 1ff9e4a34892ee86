import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { InvalidRequestError } from '../../core/errors.ts';
import { cachedSecret } from './cached-secret.ts';

/**
 * What the operator stores in the Slack secret: the app's signing secret and one incoming-webhook
 * URL per notify channel (a function's `notifyChannel` names a key of `webhooks`).
 */
export const slackSecretSchema = z.object({
  signingSecret: z.string().min(1).optional(),
  webhooks: z.record(z.string().min(1), z.url({ protocol: /^https$/ })).default({}),
});

/** The Slack secret's value. */
export type SlackSecretValue = z.output<typeof slackSecretSchema>;

/** The shape documented for operators (values elided). */
export const SLACK_SECRET_EXAMPLE =
  '{"signingSecret":"…","webhooks":{"payments-deploys":"https://hooks.slack.com/services/…"}}';

/**
 * Reads the Slack secret from Secrets Manager (cached: see cachedSecret). An empty secret
 * (the stack creates it empty) reads as no signing secret and no webhooks.
 */
export function slackSecretReader(
  client: SecretsManagerClient,
  secretId: string,
  ttlMs = 5 * 60_000,
  now: () => number = Date.now,
): () => Promise<SlackSecretValue> {
  return cachedSecret(client, secretId, parseSlackSecret, ttlMs, now);
}

/** The secret's text as its value; InvalidRequestError saying what to store otherwise. */
function parseSlackSecret(text: string | undefined): SlackSecretValue {
  let json: unknown = {};
  try {
    json = text?.trim() ? JSON.parse(text) : {};
  } catch {
    throw new InvalidRequestError(`the Slack secret is not JSON: store ${SLACK_SECRET_EXAMPLE}`);
  }
  const parsed = slackSecretSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidRequestError(
      `the Slack secret does not have the expected shape ${SLACK_SECRET_EXAMPLE}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
