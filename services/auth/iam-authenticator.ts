import type { Context } from 'hono';
import { AccessDeniedError } from '../core/errors.ts';
import type { Authenticator, Caller } from './authenticator.ts';

/** A principal ARN glob (`*` = any run of characters) and the team it belongs to. */
export interface PrincipalTeam {
  readonly pattern: string;
  readonly team: string;
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[^*]*\/)?([^/*]+)$/;

/**
 * The regexes a pattern matches principals with. A role ARN without wildcards also matches its
 * sessions (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`), which is what a caller that
 * assumed the role presents; the path is dropped there, and role names are unique per account.
 */
function compile(pattern: string): RegExp[] {
  const role = ROLE_ARN.exec(pattern);
  if (!role) return [glob(pattern)];
  const [, partition, account, name] = role;
  return [glob(pattern), glob(`arn:${partition}:sts::${account}:assumed-role/${name}/*`)];
}

type LambdaEnv = { event?: { requestContext?: { authorizer?: { iam?: { userArn?: string } } } } };

/**
 * API Gateway IAM auth (HTTP API, payload v2): API Gateway has verified the SigV4 signature and
 * hono/aws-lambda puts the event at `c.env.event`; the caller's principal ARN is in its request
 * context. The first matching pattern names the team. A signed caller no pattern maps is a 403
 * (it is authenticated, just not allowed), not a 401 that would send it to fix its credentials.
 */
export function iamAuthenticator(
  patterns: readonly PrincipalTeam[],
  adminTeam: string,
): Authenticator {
  const compiled = patterns.map((p) => ({ regexes: compile(p.pattern), team: p.team }));
  return {
    challenge: 'AWS4-HMAC-SHA256 realm="ferry"',
    async authenticate(c: Context): Promise<Caller | null> {
      const principal = (c.env as LambdaEnv | undefined)?.event?.requestContext?.authorizer?.iam
        ?.userArn;
      if (!principal) return null;
      const team = compiled.find((p) => p.regexes.some((r) => r.test(principal)))?.team;
      if (!team) {
        throw new AccessDeniedError(
          `${principal} is not mapped to a Ferry team: add a pattern for it to ferry:principalTeams`,
        );
      }
      return { principal, team, admin: team === adminTeam };
    },
  };
}
