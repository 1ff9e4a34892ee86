import type {
  Clock,
  DeploymentStore,
  Functions,
  Logger,
  MessageClaims,
  Metrics,
  Notifier,
  Registry,
} from '../core/ports.ts';

/** Settings workers take from their environment (loaded once by the handler, never by a core). */
export interface WorkerOptions {
  /** How long a function lock lives if Finalize never runs (state-machine timeout + margin). */
  readonly lockTtlSeconds: number;
  /** Bound on waiting for a Lambda code update to become Successful. */
  readonly updateMaxWaitSeconds: number;
  /** `registry/repository` that source builds push candidate tags to. */
  readonly buildRepositoryUri: string;
}

/** Everything any worker may need; each worker's core declares the Pick it uses. */
export interface WorkerDeps {
  readonly store: DeploymentStore;
  readonly registry: Registry;
  readonly functions: Functions;
  readonly notifier: Notifier;
  /** Once-only claims (Finalize's metric line; the notifiers hold their own). */
  readonly claims: MessageClaims;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly options: WorkerOptions;
}
