import type { AppConfig, AppDeps } from '../app/deps.ts';
import type { DoctorTarget } from '../app/doctor.ts';
import type { GcRunner } from '../app/gc-deps.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { SlackChatopsConfig } from '../chatops/config.ts';
import type {
  BuildLogs,
  FunctionLogs,
  RolloutQueue,
  SlackUserLinks,
  TokenStore,
} from '../core/ports.ts';

export type { Authenticator, Caller } from '../auth/authenticator.ts';
export type { SlackChatopsConfig } from '../chatops/config.ts';

/** API settings: the use cases' and the HTTP layer's own. */
export interface ApiConfig extends AppConfig {
  /** @default 65536 */
  readonly maxBodyBytes: number;
  /** Absolute base of the `links` in responses (`https://api.example.com`). @default - links are paths */
  readonly publicBaseUrl?: string;
}

/** Everything the API needs: the use cases' deps, how callers authenticate, and optional routes. */
export interface ApiDeps extends AppDeps {
  readonly authenticator: Authenticator;
  readonly config: ApiConfig;
  /** What the functions printed (`/v1/functions/{name}/logs`). */
  readonly functionLogs: FunctionLogs;
  /** Source builds' logs (`/v1/deployments/{id}/build-log`). */
  readonly buildLogs: BuildLogs;
  /** What `GET /v1/doctor` reads of the target: its functions and, on AWS, tags and policies. */
  readonly doctor: DoctorTarget;
  /** Local registry push notifications (`/v1/hooks/registry`); absent, the route answers 404. */
  readonly registryHook?: RegistryHookConfig;
  /** The Slack slash command (`/v1/chatops/slack`); absent, the route answers 404. */
  readonly slack?: SlackChatopsConfig;
  /** Slack users linked to teams through `/v1/slack-users`; absent, those routes answer 404. */
  readonly slackUsers?: SlackUserLinks;
  /** Local mode's bearer tokens (`/v1/tokens`); absent (AWS: IAM callers), those routes answer 404. */
  readonly tokens?: TokenStore;
  /** How `POST /v1/gc` runs gc; absent, the route answers 404. */
  readonly gc?: GcRunner;
}

/** How registry push notifications are verified and turned into image references. */
export interface RegistryHookConfig {
  /** HMAC-SHA256 key for `X-Ferry-Signature: sha256=<hex>` over the raw body. */
  readonly secret: string;
  /** `host:port` of the registry, to build `host:port/repository@digest` references. */
  readonly registryHost: string;
  /** Where accepted pushes wait for their functions (a dispatcher starts them as each comes free). */
  readonly queue: RolloutQueue;
}
