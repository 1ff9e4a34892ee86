import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { iamAuthenticator } from './iam-authenticator.ts';

/** A request context as hono/aws-lambda builds it from an HTTP API (payload v2) IAM-auth event. */
const signedBy = (userArn?: string) =>
  ({
    env: { event: { requestContext: { authorizer: userArn ? { iam: { userArn } } : undefined } } },
  }) as unknown as Context;

const auth = iamAuthenticator(
  [
    { pattern: 'arn:aws:sts::111111111111:assumed-role/payments-ci/*', team: 'payments' },
    { pattern: 'arn:aws:iam::111111111111:role/teams/search-deployer', team: 'search' },
    { pattern: 'arn:aws:iam::111111111111:user/*', team: 'platform' },
    { pattern: 'arn:aws:sts::111111111111:assumed-role/*', team: 'catch-all' },
  ],
  'platform',
);

describe('Function: iamAuthenticator', () => {
  it('maps an assumed-role session to the team of the first matching pattern', async () => {
    const arn = 'arn:aws:sts::111111111111:assumed-role/payments-ci/gha-run-42';
    expect(await auth.authenticate(signedBy(arn))).toEqual({
      principal: arn,
      team: 'payments',
      admin: false,
    });
  });

  it("matches a role ARN pattern against the role's sessions, whatever its path", async () => {
    const arn = 'arn:aws:sts::111111111111:assumed-role/search-deployer/alice';
    expect(await auth.authenticate(signedBy(arn))).toMatchObject({ team: 'search' });
  });

  it('marks callers of the admin team as admins', async () => {
    const arn = 'arn:aws:iam::111111111111:user/alice';
    expect(await auth.authenticate(signedBy(arn))).toMatchObject({ team: 'platform', admin: true });
  });

  it('lets the first match win over later, wider patterns', async () => {
    const arn = 'arn:aws:sts::111111111111:assumed-role/other/session';
    expect(await auth.authenticate(signedBy(arn))).toMatchObject({ team: 'catch-all' });
  });

  it('treats * as a wildcard and everything else literally', async () => {
    const a = iamAuthenticator([{ pattern: 'arn:aws:iam::1.1:user/x', team: 't' }], 'p');
    await expect(a.authenticate(signedBy('arn:aws:iam::111:user/x'))).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
  });

  it('answers null (401) when the request carries no IAM principal', async () => {
    expect(await auth.authenticate(signedBy())).toBeNull();
    expect(await auth.authenticate({ env: undefined } as unknown as Context)).toBeNull();
  });

  it('refuses (403) a signed principal that no pattern maps, saying how to map it', async () => {
    const other = iamAuthenticator([], 'platform');
    await expect(
      other.authenticate(signedBy('arn:aws:iam::222222222222:user/mallory')),
    ).rejects.toMatchObject({
      name: 'AccessDeniedError',
      message: expect.stringMatching(/ferry:principalTeams/),
    });
  });

  it('does not widen a role pattern with a wildcard to every session', async () => {
    const a = iamAuthenticator(
      [{ pattern: 'arn:aws:iam::111111111111:role/ci/*', team: 'ci' }],
      'p',
    );
    await expect(
      a.authenticate(signedBy('arn:aws:sts::111111111111:assumed-role/anything/s')),
    ).rejects.toMatchObject({ name: 'AccessDeniedError' });
  });
});
