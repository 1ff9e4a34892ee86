import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { DeploymentStore, RuleStore, Workflow, WorkflowCallbacks } from '../core/ports.ts';

export type { Caller } from './caller.ts';

/** The rules' settings every entry point shares. */
export interface AppConfig {
  /** The team that registers functions and may act on every one. */
  readonly adminTeam: string;
  /** How long a function's lock lives: derived once from the workflow's timeout (see lock-lifetime.ts). */
  readonly lockTtlSeconds: number;
  /** How long an idempotency key is remembered. @default 86400 (24 h) */
  readonly idempotencyTtlSeconds?: number;
  /** Local mode: sources may be `file://` paths on this machine. @default false */
  readonly allowFileSources?: boolean;
  /**
   * The repositories whose pushes reach Ferry (on AWS, those the stack's ECR push rule watches).
   * @default - every repository (the local registry notifies Ferry of every push)
   */
  readonly watchedRepositories?: readonly string[];
}

/** What the use cases need: the store, the workflow, time, ids and logs. */
export interface AppDeps {
  readonly store: DeploymentStore;
  readonly workflow: Workflow;
  /** Ends the workflow's release waits (approve, abort). */
  readonly callbacks: WorkflowCallbacks;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
  readonly config: AppConfig;
  /** Auto-rollout rules; absent, no push rolls anything out. */
  readonly rules?: RuleStore;
}
