import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { DeploymentStore, RuleStore, SlackUserLinks, Workflow } from '../core/ports.ts';
import type { Authenticator } from './auth/authenticator.ts';

export type { Authenticator, Caller } from './auth/authenticator.ts';

/** API settings. */
export interface ApiConfig {
  readonly adminTeam: string;
  readonly lockTtlSeconds: number;
  /** @default 65536 */
  readonly maxBodyBytes: number;
  /** How long an idempotency key is remembered. @default 86400 (24 h) */
  readonly idempotencyTtlSeconds?: number;
  /** Absolute base of the `links` in responses (`https://api.example.com`). @default - links are paths */
  readonly publicBaseUrl?: string;
  /** Local mode: sources may be `file://` paths on this machine. @default false */
  readonly allowFileSources?: boolean;
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
  /** Auto-rollout rules (`/v1/rules`); absent, those routes answer 404. */
  readonly rules?: RuleStore;
  /** Local registry push notifications (`/v1/hooks/registry`); absent, the route answers 404. */
  readonly registryHook?: RegistryHookConfig;
  /** The Slack slash command (`/v1/chatops/slack`); absent, the route answers 404. */
  readonly slack?: SlackChatopsConfig;
  /** Slack users linked to teams through `/v1/slack-users`; absent, those routes answer 404. */
  readonly slackUsers?: SlackUserLinks;
}

/** How Slack slash commands are verified, who they act for and where replies may go. */
export interface SlackChatopsConfig {
  /** The Slack app's signing secret (read once per cold start from Secrets Manager on AWS). */
  readonly signingSecret: () => Promise<string>;
  /**
   * Slack user id (`U…`/`W…`) → Ferry team, from the stack's configuration; users may also be
   * linked through `/v1/slack-users`. A user in neither can only read `/ferry help`.
   */
  readonly users: Readonly<Record<string, string>>;
  /** Slack workspace ids (`team_id`) accepted. @default - any workspace the signing secret covers */
  readonly workspaces?: readonly string[];
  /** Origins a `response_url` may have. @default ['https://hooks.slack.com'] */
  readonly replyOrigins?: readonly string[];
}

/** How registry push notifications are verified and turned into image references. */
export interface RegistryHookConfig {
  /** HMAC-SHA256 key for `X-Ferry-Signature: sha256=<hex>` over the raw body. */
  readonly secret: string;
  /** `host:port` of the registry, to build `host:port/repository@digest` references. */
  readonly registryHost: string;
}
