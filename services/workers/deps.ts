import type {
  Alarms,
  BuildLogs,
  Clock,
  DeploymentStore,
  Functions,
  Logger,
  MessageClaims,
  Metrics,
  Notifier,
  Registry,
  VersionHealth,
  WorkflowCallbacks,
} from '../core/ports.ts';

/** Settings workers take from their environment (loaded once by the handler, never by a core). */
export interface WorkerOptions {
  /** How long a function lock lives if Finalize never runs (state-machine timeout + margin). */
  readonly lockTtlSeconds: number;
  /** Bound on waiting for a Lambda code update to become Successful. */
  readonly updateMaxWaitSeconds: number;
  /** `registry/repository` that source builds push candidate tags to. */
  readonly buildRepositoryUri: string;
  /**
   * How long after a window ends its metrics are complete (CloudWatch publishes Lambda's a minute
   * or two late; the local host at once): each step of a release holds this much longer.
   */
  readonly metricsSettleSeconds: number;
  /** Seconds between checks of provisioned concurrency becoming READY. */
  readonly provisioningPollSeconds: number;
}

/** Everything any worker may need; each worker's core declares the Pick it uses. */
export interface WorkerDeps {
  readonly store: DeploymentStore;
  readonly registry: Registry;
  readonly functions: Functions;
  readonly notifier: Notifier;
  /** Once-only claims (Finalize's metric line; the notifiers hold their own). */
  readonly claims: MessageClaims;
  /** Per-version health behind the alias: what each step of a gradual release is judged by. */
  readonly versionHealth: VersionHealth;
  /** The alarms settings name for releases. */
  readonly alarms: Alarms;
  /** Ends a workflow wait early (a hold that sees an abort already recorded ends itself). */
  readonly callbacks: WorkflowCallbacks;
  /** A source build's log: Finalize quotes a failed build's last lines. */
  readonly buildLogs: BuildLogs;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly options: WorkerOptions;
}
