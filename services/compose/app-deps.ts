/**
 * The shape of the use cases' and the API's deps, built the same way by every runtime's
 * composition root (AWS and local), so a setting cannot be wired on one and forgotten on the other.
 */
import type {
  ApiDeps,
  Authenticator,
  RegistryHookConfig,
  SlackChatopsConfig,
} from '../api/deps.ts';
import type { AppDeps } from '../app/deps.ts';
import type { DoctorTarget } from '../app/doctor.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type {
  BuildLogs,
  DeploymentStore,
  FunctionLogs,
  RuleStore,
  SlackUserLinks,
  TokenStore,
  Workflow,
  WorkflowCallbacks,
} from '../core/ports.ts';

/** The largest request body the API reads, on every runtime. */
export const MAX_BODY_BYTES = 65536;

/** What a runtime's use-case deps are made of. */
export interface AppParts {
  readonly store: DeploymentStore;
  readonly workflow: Workflow;
  /** The same workflow's callbacks: how approve and abort end its waits. */
  readonly callbacks: WorkflowCallbacks;
  readonly rules: RuleStore;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly adminTeam: string;
  readonly lockTtlSeconds: number;
  /** Local mode only: `file://` sources. @default false */
  readonly allowFileSources?: boolean;
}

/** The use cases' deps from a runtime's parts. */
export function appDeps(parts: AppParts): AppDeps {
  return {
    store: parts.store,
    workflow: parts.workflow,
    callbacks: parts.callbacks,
    rules: parts.rules,
    clock: parts.clock,
    newId: parts.newId,
    logger: parts.logger,
    config: {
      adminTeam: parts.adminTeam,
      lockTtlSeconds: parts.lockTtlSeconds,
      ...(parts.allowFileSources ? { allowFileSources: true } : {}),
    },
  };
}

/** What the HTTP API adds to the use cases' deps. */
export interface ApiParts {
  readonly authenticator: Authenticator;
  readonly slackUsers: SlackUserLinks;
  /** Where the functions' logs are read (CloudWatch Logs; the local host's log store). */
  readonly functionLogs: FunctionLogs;
  /** Where source builds' logs are read (CodeBuild's CloudWatch streams; local build log files). */
  readonly buildLogs: BuildLogs;
  /** What `ferry doctor` reads of the target (the local host's functions; Lambda, tags and ECR). */
  readonly doctor: DoctorTarget;
  /** Absolute base of response links. @default - links are paths */
  readonly publicBaseUrl?: string;
  /** The slash command. @default - off */
  readonly slack?: SlackChatopsConfig;
  /** Local registry push notifications. @default - off */
  readonly registryHook?: RegistryHookConfig;
  /** Bearer tokens managed through `/v1/tokens` (local mode). @default - none: IAM callers */
  readonly tokens?: TokenStore;
}

/** The API's deps: the use cases' plus how callers authenticate and the optional routes. */
export function apiDeps(app: AppDeps, parts: ApiParts): ApiDeps {
  return {
    ...app,
    authenticator: parts.authenticator,
    slackUsers: parts.slackUsers,
    functionLogs: parts.functionLogs,
    buildLogs: parts.buildLogs,
    doctor: parts.doctor,
    ...(parts.slack ? { slack: parts.slack } : {}),
    ...(parts.registryHook ? { registryHook: parts.registryHook } : {}),
    ...(parts.tokens ? { tokens: parts.tokens } : {}),
    config: {
      ...app.config,
      maxBodyBytes: MAX_BODY_BYTES,
      ...(parts.publicBaseUrl ? { publicBaseUrl: parts.publicBaseUrl } : {}),
    },
  };
}
