import type { Context } from 'hono';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { DeploymentStore, Workflow } from '../core/ports.ts';

/** Who is calling, once authenticated. */
export interface Caller {
  /** Principal ARN (AWS) or `token:<team>` (local). */
  readonly principal: string;
  readonly team: string;
  /** The admin team manages settings and may act on every function. */
  readonly admin: boolean;
}

/** Finds the caller of a request; null when unauthenticated. */
export interface Authenticator {
  authenticate(c: Context): Promise<Caller | null>;
}

/** API settings. */
export interface ApiConfig {
  readonly adminTeam: string;
  readonly lockTtlSeconds: number;
  /** @default 65536 */
  readonly maxBodyBytes: number;
  /** How long an idempotency key is remembered. @default 24 h */
  readonly idempotencyTtlSeconds: number;
}

/** Everything the API needs. */
export interface ApiDeps {
  readonly store: DeploymentStore;
  readonly workflow: Workflow;
  readonly authenticator: Authenticator;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
  readonly config: ApiConfig;
}
