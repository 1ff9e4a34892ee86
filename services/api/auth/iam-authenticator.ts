import type { Context } from 'hono';
import type { Authenticator, Caller } from '../deps.ts';

/** A principal ARN glob (`*` any run of characters) and the team it belongs to. */
export interface PrincipalTeam {
  readonly pattern: string;
  readonly team: string;
}

const globRegex = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/**
 * API Gateway IAM auth (HTTP API payload v2): API Gateway has verified the SigV4 signature; the
 * caller's principal ARN is in the request context. The first matching pattern names the team.
 * Assumed roles arrive as `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
 */
export function iamAuthenticator(
  patterns: readonly PrincipalTeam[],
  adminTeam: string,
): Authenticator {
  const compiled = patterns.map((p) => ({ regex: globRegex(p.pattern), team: p.team }));
  return {
    async authenticate(c: Context): Promise<Caller | null> {
      const env = c.env as
        | { event?: { requestContext?: { authorizer?: { iam?: { userArn?: string } } } } }
        | undefined;
      const principal = env?.event?.requestContext?.authorizer?.iam?.userArn;
      if (!principal) return null;
      const team = compiled.find((p) => p.regex.test(principal))?.team;
      if (!team) return null;
      return { principal, team, admin: team === adminTeam };
    },
  };
}
