import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: requests whose timestamp is further than this from now are refused. */
export const SLACK_MAX_SKEW_SECONDS = 300;

/** Why a request failed verification (for logs; the caller only ever sees 401). */
export type SlackVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'missing headers' | 'bad timestamp' | 'stale' | 'future' | 'bad signature';
    };

/**
 * Verifies a Slack request per Slack's signing spec: `v0=` + hex HMAC-SHA256(signing secret,
 * `v0:<timestamp>:<raw body>`), compared in constant time, and the timestamp within 300 s of now
 * either way (a replayed or pre-dated request fails). `rawBody` must be the exact bytes received.
 */
export function verifySlackRequest(
  signingSecret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSeconds: number,
): SlackVerdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: 'missing headers' };
  if (!/^[0-9]{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad timestamp' };
  const skew = nowSeconds - Number(timestamp);
  if (skew > SLACK_MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  if (skew < -SLACK_MAX_SKEW_SECONDS) return { ok: false, reason: 'future' };
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad signature' };
  return { ok: true };
}
