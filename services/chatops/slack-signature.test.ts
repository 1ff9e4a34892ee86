import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifySlackRequest } from './slack-signature.ts';

const vector = JSON.parse(
  readFileSync(new URL('../../test/fixtures/slack-signing.json', import.meta.url), 'utf8'),
) as {
  signingSecret: string;
  timestamp: string;
  body: string;
  expectedSignature: string;
};
const now = Number(vector.timestamp) + 10;
const headers = { timestamp: vector.timestamp, signature: vector.expectedSignature };

describe('Function: verifySlackRequest', () => {
  it("accepts Slack's published signing example (clock injected near its timestamp)", () => {
    expect(verifySlackRequest(vector.signingSecret, headers, vector.body, now)).toEqual({
      ok: true,
    });
  });

  it.each([
    ['a wrong secret', { secret: 'not-the-secret' }, 'bad signature'],
    ['a body changed by one byte', { body: `${vector.body.slice(0, -1)}d` }, 'bad signature'],
    ['a stale timestamp (replay)', { now: Number(vector.timestamp) + 301 }, 'stale'],
    ['a timestamp from the future', { now: Number(vector.timestamp) - 301 }, 'future'],
    [
      'no signature header',
      { headers: { timestamp: vector.timestamp, signature: undefined } },
      'missing headers',
    ],
    [
      'no timestamp header',
      { headers: { timestamp: undefined, signature: vector.expectedSignature } },
      'missing headers',
    ],
    [
      'a non-numeric timestamp',
      { headers: { timestamp: '15314206l8', signature: vector.expectedSignature } },
      'bad timestamp',
    ],
    [
      'a truncated signature',
      {
        headers: { timestamp: vector.timestamp, signature: vector.expectedSignature.slice(0, -1) },
      },
      'bad signature',
    ],
    [
      'a signature of another timestamp',
      {
        headers: {
          timestamp: String(Number(vector.timestamp) + 1),
          signature: vector.expectedSignature,
        },
      },
      'bad signature',
    ],
  ] as const)('refuses %s', (_, change, reason) => {
    const c = change as {
      secret?: string;
      body?: string;
      now?: number;
      headers?: { timestamp: string | undefined; signature: string | undefined };
    };
    const verdict = verifySlackRequest(
      c.secret ?? vector.signingSecret,
      c.headers ?? headers,
      c.body ?? vector.body,
      c.now ?? now,
    );
    expect(verdict).toEqual({ ok: false, reason });
  });

  it('accepts the edges of the 300 s window and nothing beyond', () => {
    expect(
      verifySlackRequest(vector.signingSecret, headers, vector.body, Number(vector.timestamp) + 300)
        .ok,
    ).toBe(true);
    expect(
      verifySlackRequest(vector.signingSecret, headers, vector.body, Number(vector.timestamp) - 300)
        .ok,
    ).toBe(true);
  });
});
