import type { Context } from 'hono';
import type { Caller } from '../app/caller.ts';

export type { Caller } from '../app/caller.ts';

/**
 * Finds the caller of a request. Returns null when the request carries no valid credentials
 * (401); may throw an AccessDeniedError when the credentials are valid but map to no team.
 */
export interface Authenticator {
  authenticate(c: Context): Promise<Caller | null>;
  /** The `WWW-Authenticate` challenge sent with a 401. @default - `Bearer realm="ferry"` */
  readonly challenge?: string;
  /**
   * The caller a bare token stands for, or null: the web page's login form and session cookie
   * use it. Only token-based auth (local mode) has it; with IAM auth there is no login form.
   * @default - no token login
   */
  verifyToken?(token: string): Promise<Caller | null>;
}
