/**
 * Ports: the small interfaces workers' cores talk to. Adapters implement them for AWS
 * (services/adapters/aws) and for local mode (services/adapters/local); tests use the
 * in-memory fakes in test/fakes. Every method throws only Ferry's named errors (errors.ts).
 */
import type { ColdStartVerdict } from './cold-start-verdict.ts';
import type { Deployment, DeploymentPatch, DeploymentStatus, StepRecord } from './deployment.ts';
import type { FunctionSnapshot, RegistryImage } from './gc-snapshot.ts';
import type { LiveRelease } from './live.ts';
import type { QueuedRollout, SettledOutcome } from './queued-rollout.ts';
import type { ReportLine } from './report-line.ts';
import type { RolloutRule } from './rules.ts';
import type { FunctionSettings } from './settings.ts';
import type { SlackUserLink } from './slack-user-link.ts';

export type { Clock } from './clock.ts';
export type { Logger } from './logger.ts';
export type { Metrics } from './metrics.ts';
export type { SlackUserLink } from './slack-user-link.ts';

// ---------------------------------------------------------------- Registry

/** A manifest exactly as the registry holds it: re-putting `body` with `mediaType` retags without blob transfer. */
export interface ManifestRecord {
  readonly repository: string;
  readonly digest: string;
  readonly mediaType: string;
  /** The manifest's exact bytes (as text). */
  readonly body: string;
}

/** The parts of an OCI/Docker image config blob Ferry reads. */
export interface ImageConfig {
  readonly architecture?: string;
  readonly os?: string;
  readonly config?: {
    readonly Entrypoint?: readonly string[] | null;
    readonly Cmd?: readonly string[] | null;
    readonly Env?: readonly string[] | null;
    readonly WorkingDir?: string;
  };
  readonly history?: ReadonlyArray<{
    readonly created_by?: string;
    readonly empty_layer?: boolean;
    readonly comment?: string;
  }>;
}

/** An image registry (ECR; a local OCI distribution registry). */
export interface Registry {
  /** The manifest a tag or digest points at. NotFoundError when absent. */
  getManifest(repository: string, reference: string): Promise<ManifestRecord>;
  /** The config blob of an image. NotFoundError when absent. */
  getConfig(repository: string, configDigest: string): Promise<ImageConfig>;
  /** True when the digest exists in the repository. */
  hasImage(repository: string, digest: string): Promise<boolean>;
  /** Points `tag` at the manifest (re-put, no blob transfer). Idempotent. */
  putTag(repository: string, tag: string, manifest: ManifestRecord): Promise<void>;
  /** Removes `tag` (not the image other tags keep). Idempotent: a missing tag is fine. */
  deleteTag(repository: string, tag: string): Promise<void>;
}

// ---------------------------------------------------------------- Functions

/** Lambda instruction-set architectures. */
export type Architecture = 'x86_64' | 'arm64';

/** A function's configuration at one qualifier ($LATEST or a version). */
export interface FunctionConfig {
  readonly functionName: string;
  readonly functionArn: string;
  readonly version: string;
  readonly packageType: 'Image' | 'Zip';
  readonly architecture: Architecture;
  /** `repo@sha256:…` the code resolved to (Lambda's `ResolvedImageUri`), null for Zip. */
  readonly resolvedImageUri: string | null;
  /** The image URI as configured (may be a tag). */
  readonly imageUri: string | null;
  readonly codeSha256: string;
  readonly revisionId: string;
  readonly state: string;
  readonly lastUpdateStatus: string;
}

/** The outcome of one invocation. */
export interface InvokeResult {
  readonly statusCode: number;
  /** `Unhandled` / `Handled` when the function failed. */
  readonly functionError?: string;
  /** The response payload as text. */
  readonly payload: string;
  /** The decoded log tail (last 4 KB), when asked for. */
  readonly logTail: string;
  readonly report: ReportLine | null;
  readonly executedVersion?: string;
}

/** An alias's second version and the share of the alias's invocations it gets, in [0, 1). */
export interface AdditionalVersion {
  readonly version: string;
  readonly weight: number;
}

/**
 * Where an alias sends invocations (Lambda's FunctionVersion + RoutingConfig): the primary
 * `version` gets every invocation the additional version does not. 100% on one version is
 * `additional: null`; see alias-routing.ts for what may be written.
 */
export interface AliasRouting {
  readonly version: string;
  readonly additional: AdditionalVersion | null;
}

/** An alias's routing as read, with the revision a conditional write names. */
export interface AliasState extends AliasRouting {
  readonly revisionId: string;
}

/**
 * A version's provisioned concurrency (Lambda's ProvisionedConcurrencyConfig): `requested`
 * execution environments kept initialized, READY once all are.
 */
export interface ProvisionedConcurrency {
  readonly requested: number;
  readonly allocated: number;
  readonly available: number;
  readonly status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  /** Why it FAILED (Lambda's StatusReason), when it did. */
  readonly statusReason?: string;
}

/** Cold starts of a version and of a baseline version, measured in pairs started together. */
export interface PairedColdStarts {
  readonly version: readonly InvokeResult[];
  readonly baseline: readonly InvokeResult[];
}

/** The Lambda functions Ferry deploys to. */
export interface Functions {
  /** The configuration at `qualifier` (default $LATEST). NotFoundError when absent. */
  getFunction(name: string, qualifier?: string): Promise<FunctionConfig>;
  /** The version an alias points at, or null when the alias does not exist. */
  getAlias(name: string, alias: string): Promise<string | null>;
  /** Points $LATEST at `imageUri` if the function is still at `revisionId` (ConflictError otherwise). */
  updateCode(name: string, imageUri: string, revisionId?: string): Promise<FunctionConfig>;
  /** Waits until the last update is Successful (FunctionUpdateFailedError / FunctionUpdateTimeoutError). */
  waitUntilUpdated(name: string, maxWaitSeconds: number): Promise<FunctionConfig>;
  /**
   * Publishes $LATEST as a version if it still has `codeSha256` and `revisionId`; resolves once
   * the version is Active and may be invoked (FunctionUpdateFailedError when it fails instead).
   */
  publishVersion(name: string, codeSha256: string, revisionId?: string): Promise<FunctionConfig>;
  /**
   * Points `alias` at `version` alone, creating the alias when missing. It always clears any
   * additional version's weight: after it, 100% of the alias's invocations run `version`.
   */
  setAlias(name: string, alias: string, version: string): Promise<void>;
  /** The alias's routing and revision, or null when the alias does not exist. */
  getAliasRouting(name: string, alias: string): Promise<AliasState | null>;
  /**
   * Sets the alias's routing (checkAliasRouting's rules, else InvalidRequestError; a version
   * that does not exist is NotFoundError). Without `revisionId` it creates a missing alias; with
   * it, it writes only while the alias is still at that revision (ConflictError otherwise) and
   * never creates one.
   */
  setAliasRouting(
    name: string,
    alias: string,
    routing: AliasRouting,
    revisionId?: string,
  ): Promise<void>;
  /**
   * Asks for `count` initialized execution environments of `version` (a published version, never
   * $LATEST: InvalidRequestError). Replaces an earlier count; returns the status right after.
   */
  putProvisionedConcurrency(
    name: string,
    version: string,
    count: number,
  ): Promise<ProvisionedConcurrency>;
  /** The version's provisioned concurrency, or null when none is configured. */
  getProvisionedConcurrency(name: string, version: string): Promise<ProvisionedConcurrency | null>;
  /** Removes the version's provisioned concurrency. Idempotent: none configured is fine. */
  deleteProvisionedConcurrency(name: string, version: string): Promise<void>;
  /** Invokes `qualifier` synchronously with `LogType: Tail`. */
  invoke(name: string, qualifier: string, payload: string): Promise<InvokeResult>;
  /**
   * Invokes `qualifier` `count` times at once. On a version no execution environment runs yet,
   * each invoke starts its own: a cold start, with Init Duration reported; environments already
   * warm answer warm (no Init Duration). Invokes that failed to run (throttled, say) are left
   * out: it throws only when none ran.
   */
  invokeConcurrently(
    name: string,
    qualifier: string,
    payload: string,
    count: number,
  ): Promise<InvokeResult[]>;
  /**
   * Where new execution environments can be started on demand (the local function host; Lambda
   * cannot, so its adapter has no such method): `count` cold starts of `version` and of
   * `baseline`, each pair started together so that both see the same load. Optional: the cold-
   * start gate compares with the live release's recorded figures without it.
   */
  pairedColdStarts?(
    name: string,
    version: string,
    baseline: string,
    payload: string,
    count: number,
  ): Promise<PairedColdStarts>;
}

// ---------------------------------------------------------------- TargetReads

/**
 * What `ferry doctor` reads of the target account beyond the Functions port (Lambda's ListTags,
 * ECR's GetRepositoryPolicy). Local mode has no tags or repository policies: it has none.
 */
export interface TargetReads {
  /** The function's tags. NotFoundError when absent; AccessDeniedError when Ferry may not read it. */
  tagsOf(functionArn: string): Promise<Readonly<Record<string, string>>>;
  /** The repository's policy document (JSON text), null when it has none. NotFoundError when absent. */
  repositoryPolicy(repository: string): Promise<string | null>;
}

// ---------------------------------------------------------------- FunctionLogs

/** One line of a function's log: its own output, or the platform's START/END/REPORT lines. */
export interface FunctionLogEvent {
  /** When the line was written (ISO 8601). */
  readonly timestamp: string;
  /** The version that wrote it: a published version or `$LATEST`. */
  readonly version: string;
  /** The invocation it belongs to, when known (init output has none). */
  readonly requestId?: string;
  /** The line, without its line break. */
  readonly message: string;
}

/** Which events of one function to read. */
export interface FunctionLogQuery {
  /** Only this version's events. @default - every version's */
  readonly version?: string;
  /** Events written at or after this time (ignored with a cursor). */
  readonly since: Date;
  /** Continue after the page that returned it; malformed is InvalidRequestError. */
  readonly cursor?: string;
  /** At most this many events (1–1000). */
  readonly limit: number;
}

/** Events oldest first, and where the next read continues. */
export interface FunctionLogPage {
  readonly events: readonly FunctionLogEvent[];
  /** Always given: a follower polls with it and gets only events it has not seen. */
  readonly cursor: string;
}

/** What functions printed (CloudWatch Logs; the local function host's log store). */
export interface FunctionLogs {
  /**
   * Without a cursor: the newest `limit` events since `since` (a tail). With one: the next
   * `limit` events after it, so a follower skips nothing. A function that never logged (no log
   * group yet) has an empty page, not an error.
   */
  read(functionName: string, query: FunctionLogQuery): Promise<FunctionLogPage>;
}

// ---------------------------------------------------------------- BuildLogs

/** Which lines of one build's log to read. */
export type BuildLogQuery =
  /** The last `tail` lines (1–1000); the page's cursor continues after them. */
  | { readonly tail: number }
  /** The next lines after a page's cursor (from the start without one), at most `limit` (1–1000). */
  | { readonly cursor?: string; readonly limit: number };

/** Lines of a build's log and where to read the rest. */
export interface BuildLogPage {
  /** The lines, oldest first, without line breaks. */
  readonly lines: readonly string[];
  /** Reads the lines written after these (the same cursor again while none are). */
  readonly cursor: string;
  /** The log's console (AWS) or file (local) link, when there is one. */
  readonly link: string | null;
}

/** A source build's log (CodeBuild's CloudWatch stream; local mode's builds/<id>.log). */
export interface BuildLogs {
  /** null when there is no such build; a build that has logged nothing yet has no lines. A malformed cursor is InvalidRequestError. */
  read(buildId: string, query: BuildLogQuery): Promise<BuildLogPage | null>;
}

// ---------------------------------------------------------------- VersionHealth

/** How one version did behind an alias over a window, as the platform counted it. */
export interface VersionSample {
  /** Invocations that ran the version's code (throttled calls are not invocations). */
  readonly invocations: number;
  /** Invocations that ended in a function error (handled, unhandled, timeout, crash). */
  readonly errors: number;
  /** Calls through the alias refused for want of capacity while routed to the version. */
  readonly throttles: number;
  /** The 90th percentile of Duration, or null when nothing ran. */
  readonly durationP90Ms: number | null;
}

/** Per-version health behind an alias: what a gradual release judges the new version by. */
export interface VersionHealth {
  /** `version`'s figures for calls through `alias` in [from, to). */
  sample(
    name: string,
    alias: string,
    version: string,
    from: Date,
    to: Date,
  ): Promise<VersionSample>;
}

// ---------------------------------------------------------------- Alarms

/** A CloudWatch alarm's state as read. */
export interface AlarmState {
  readonly name: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** The alarm's own StateReason. */
  readonly reason: string;
  /** When it entered the state (ISO 8601). */
  readonly since: string;
}

/** The alarms a function's settings name for its releases. */
export interface Alarms {
  /**
   * The states of the named alarms, in the order asked; a name no alarm has is NotFoundError
   * (a setting naming a missing alarm must not pass silently).
   */
  states(names: readonly string[]): Promise<AlarmState[]>;
}

// ---------------------------------------------------------------- WorkflowCallbacks

/** How a wait of the workflow (a step's hold, an approval) ends early. */
export interface HoldDecision {
  readonly action: 'approve' | 'abort';
  /** Who decided: principal, team member, Slack user. */
  readonly by: string;
}

/**
 * Ends a workflow task that waits for a callback (Step Functions' `.waitForTaskToken`; the local
 * runner's own waits) with a decision as its output.
 */
export interface WorkflowCallbacks {
  /** Resumes the task holding `token`; false when that task has already ended (timed out, done). */
  resume(token: string, decision: HoldDecision): Promise<boolean>;
}

// ---------------------------------------------------------------- DeploymentStore

/** A per-function deployment lock. */
export interface FunctionLock {
  readonly functionName: string;
  readonly owner: string;
  /** Epoch seconds after which the lock is free (also the table's TTL attribute). */
  readonly expiresAt: number;
}

/** A stored idempotency key. */
export interface IdempotencyRecord {
  readonly key: string;
  /** Hash of the request body the key was first used with. */
  readonly requestHash: string;
  readonly deploymentId: string;
  readonly expiresAt: number;
}

/** One page of a function's history. */
export interface DeploymentPage {
  readonly items: readonly Deployment[];
  /** Opaque; absent on the last page. */
  readonly cursor?: string;
}

/** A function registered with Ferry (its settings are stored). */
export interface RegisteredFunction {
  readonly name: string;
  readonly settings: FunctionSettings;
}

/** Deployment records and each function's history. */
export interface DeploymentRecords {
  /** Writes a new record. ConflictError when the id exists. */
  create(deployment: Deployment): Promise<void>;
  get(id: string): Promise<Deployment | null>;
  /** Applies `patch`; when `expectStatus` is given the write is conditional on it (ConflictError). */
  update(id: string, patch: DeploymentPatch, expectStatus?: DeploymentStatus): Promise<Deployment>;
  /** Upserts a step by name (a retried step keeps its first `startedAt` and counts attempts). */
  recordStep(id: string, step: StepRecord): Promise<void>;
  /** A function's deployments, newest first. */
  listByFunction(
    functionName: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<DeploymentPage>;
}

/** Per-function deployment locks: at most one deployment of a function runs at a time. */
export interface FunctionLocks {
  /** Takes the lock, or re-takes it for the same owner; ConflictError when another owner holds a live one. */
  acquireLock(
    functionName: string,
    owner: string,
    nowSeconds: number,
    ttlSeconds: number,
  ): Promise<FunctionLock>;
  /** Releases the lock if `owner` holds it; a no-op otherwise. */
  releaseLock(functionName: string, owner: string): Promise<void>;
  getLock(functionName: string): Promise<FunctionLock | null>;
}

/** Idempotency keys of deployment requests (scoped by the caller's team). */
export interface IdempotencyKeys {
  /** Stores the key; ConflictError when it exists (read it with getIdempotencyKey). */
  putIdempotencyKey(record: IdempotencyRecord): Promise<void>;
  getIdempotencyKey(key: string): Promise<IdempotencyRecord | null>;
}

/** Function settings: which functions are registered with Ferry, and how they deploy. */
export interface SettingsStore {
  getSettings(functionName: string): Promise<FunctionSettings | null>;
  putSettings(functionName: string, settings: FunctionSettings): Promise<void>;
  /** Every registered function, by name (the web page's index). */
  listFunctions(): Promise<RegisteredFunction[]>;
}

/** Where each deployment's progress goes (a Slack `response_url`). */
export interface ReplyUrls {
  /**
   * Remembers where to post a deployment's progress (a Slack `response_url`) until `expiresAt`.
   * Kept apart from the deployment record: the URL lets its holder post to a channel, so the API
   * never returns it.
   */
  putReplyUrl(deploymentId: string, url: string, expiresAt: number): Promise<void>;
  /** The reply URL of a deployment, or null when none or expired. */
  getReplyUrl(deploymentId: string): Promise<string | null>;
}

/** What is live per function: one record each, written when a deployment ends SUCCEEDED. */
export interface LiveReleases {
  /** The function's live record, or null when Ferry has released nothing to it yet. */
  getLive(functionName: string): Promise<LiveRelease | null>;
  /** Records what is live (replacing the function's previous record). Idempotent. */
  putLive(release: LiveRelease): Promise<void>;
}

/**
 * Cold-start verdicts, one per function and digest, in a key space of their own: a digest judged
 * once keeps its verdict (cold-start-verdict.ts).
 */
export interface ColdStartVerdicts {
  /** The function's verdict for `digest`, or null when the digest was never judged. */
  getVerdict(functionName: string, digest: string): Promise<ColdStartVerdict | null>;
  /** Records the verdict (replacing an earlier one for the same function and digest). Idempotent. */
  putVerdict(verdict: ColdStartVerdict): Promise<void>;
}

/** A workflow task waiting on a deployment: its callback token, kept apart from the record. */
export interface ReleaseHold {
  readonly deploymentId: string;
  /** `step`: a traffic step's hold (abort ends it); `approval`: waiting for approve or abort. */
  readonly kind: 'step' | 'approval';
  /** The task's callback token: whoever holds it can end the task, so the API never returns it. */
  readonly token: string;
  readonly since: string;
  /** Epoch seconds after which the hold is gone (the table's TTL attribute). */
  readonly expiresAt: number;
}

/** The current wait of each deployment, one at most. */
export interface ReleaseHolds {
  /** Records the deployment's current wait, replacing an earlier one. */
  putHold(hold: ReleaseHold): Promise<void>;
  /** The deployment's current wait, or null when none or expired. */
  getHold(deploymentId: string): Promise<ReleaseHold | null>;
  /** Removes the hold if it still has `token`. Idempotent. */
  clearHold(deploymentId: string, token: string): Promise<void>;
}

/** The store table's ports in one object (each adapter implements them on one DynamoDB table). */
export interface DeploymentStore
  extends DeploymentRecords,
    FunctionLocks,
    IdempotencyKeys,
    SettingsStore,
    ReplyUrls,
    LiveReleases,
    ColdStartVerdicts,
    ReleaseHolds {}

// ---------------------------------------------------------------- Notifier

/** A deployment status change worth telling people about. */
export interface DeploymentNotification {
  readonly deployment: Deployment;
  readonly status: DeploymentStatus;
  /** True for ROLLBACK_FAILED: someone must look now. */
  readonly critical: boolean;
}

/** Sends notifications (Slack webhook, EventBridge; a log line when unset). */
export interface Notifier {
  notify(notification: DeploymentNotification): Promise<void>;
}

// ---------------------------------------------------------------- MessageClaims

/**
 * What a claim stands for: a channel's message about one status of one deployment. Channels:
 * `notify` (a function's Slack channel), `reply` (a slash command's reply URL), `event`
 * (EventBridge), `log` (the log notifier) and `finalized` (Finalize's metric line).
 */
export type ClaimChannel = 'notify' | 'reply' | 'event' | 'log' | 'finalized';

/** One message that should go out at most once. */
export interface MessageClaim {
  readonly channel: ClaimChannel;
  readonly deploymentId: string;
  readonly status: DeploymentStatus;
}

/**
 * Once-only claims on messages, so a retried step or a redelivered event sends each message once.
 * Kept in a key space of their own: nothing a caller names (a team, an Idempotency-Key) can
 * spell a claim. Claims expire, and an expired claim is free again.
 */
export interface MessageClaims {
  /** Claims the message (a conditional write); true when newly claimed, false when a live claim holds it. */
  claim(claim: MessageClaim): Promise<boolean>;
  /** Gives a claim back (its send failed), so a later attempt can send. Idempotent. */
  release(claim: MessageClaim): Promise<void>;
}

// ---------------------------------------------------------------- RuleStore

/** Auto-rollout rules, one per repository (`/v1/rules/{repository}`). */
export interface RuleStore {
  getRule(repository: string): Promise<RolloutRule | null>;
  putRule(rule: RolloutRule): Promise<void>;
  /** Idempotent: deleting a missing rule is fine. */
  deleteRule(repository: string): Promise<void>;
  listRules(): Promise<RolloutRule[]>;
}

// ---------------------------------------------------------------- RolloutQueue

/**
 * Registry pushes waiting to roll out, one per (function, event id), in a key space of their own.
 * A settled rollout stays recorded, so a redelivery of its event is still recognized.
 */
export interface RolloutQueue {
  /** Records the rollout (a conditional write): true when new, false when its event is already recorded. */
  enqueue(rollout: QueuedRollout): Promise<boolean>;
  /** The rollouts not yet settled, each function's oldest first; only `functionName`'s when given. */
  pending(functionName?: string): Promise<QueuedRollout[]>;
  /** Takes a rollout out of the queue for good, noting how. Idempotent; unknown ones are ignored. */
  settle(functionName: string, eventId: string, outcome: SettledOutcome): Promise<void>;
}

// ---------------------------------------------------------------- SlackUserLinks

/** Slack users → teams, managed by the admin team without a redeploy. */
export interface SlackUserLinks {
  /** The linked team, or null when the user is not linked. */
  teamOf(userId: string): Promise<string | null>;
  /** Links (or relinks) a user. */
  link(link: SlackUserLink): Promise<void>;
  /** Idempotent: unlinking a user that is not linked is fine. */
  unlink(userId: string): Promise<void>;
  list(): Promise<SlackUserLink[]>;
}

// ---------------------------------------------------------------- Workflow

/** The deploy workflow (Step Functions on AWS; the same ASL in-process locally). */
export interface Workflow {
  /** Starts the execution named after the deployment. Idempotent: already started is success. */
  start(deploymentId: string): Promise<void>;
}

// ---------------------------------------------------------------- TokenStore

/** Who made a token, and when. */
export interface TokenMade {
  readonly createdAt: string;
  /** The principal that asked for it (`token:platform:1a2b3c4d5e6f`), or `local mode` at start. */
  readonly createdBy: string;
}

/** A token as listed: its id (the first 12 hex of its hash), never the token nor its whole hash. */
export interface TokenInfo extends TokenMade {
  readonly id: string;
  readonly team: string;
}

/** Local mode's bearer tokens, kept only as SHA-256 hashes (a leaked table leaks no token). */
export interface TokenStore {
  /** The team a token hash belongs to, or null when unknown (or revoked). */
  teamOf(tokenHash: string): Promise<string | null>;
  /** Stores (or replaces) the team of a token hash, with who made it and when. */
  putToken(tokenHash: string, team: string, made: TokenMade): Promise<void>;
  /** Every token stored with its facts, oldest first. */
  list(): Promise<TokenInfo[]>;
  /** Removes the token with this id at once; false when there is none. */
  revoke(id: string): Promise<boolean>;
}

// ---------------------------------------------------------------- Collection (ferry gc)

/**
 * What removing one image or version came to. `kept`: the service refused because it is in use;
 * `archived`: the image moved to the registry's archive tier (restorable) instead of going.
 */
export type RemovalOutcome = 'deleted' | 'archived' | 'gone' | 'kept';

/** The images of the repositories Ferry collects from, and their removal. */
export interface ImageInventory {
  /**
   * Every image of `repository` — digest, all its tags, push time, compressed size — paging
   * through the registry to the end; [] for a repository that does not exist.
   */
  listImages(repository: string): Promise<RegistryImage[]>;
  /** Removes the image `digest` (with every tag on it). `gone` when it was not there. */
  deleteImage(repository: string, digest: string): Promise<RemovalOutcome>;
  /**
   * Where the registry has a cheaper, restorable storage class (ECR's archive): moves the image
   * there instead of deleting it (`deleted` = no longer listed or pullable until restored).
   * Absent where there is none (local mode).
   */
  archiveImage?(repository: string, digest: string): Promise<RemovalOutcome>;
}

/** A function's state as its host reports it, for the in-use set. */
export type FunctionState = Pick<
  FunctionSnapshot,
  'latest' | 'versions' | 'aliases' | 'provisionedQualifiers'
>;

/** Lambda's side of collection: what a function runs and has published, and removing versions. */
export interface FunctionInventory {
  /**
   * `$LATEST`, every published version (with its image's repository where the host says it),
   * every alias with its weighted routing and every provisioned-concurrency qualifier, paging
   * through each list to the end. NotFoundError for a missing function.
   */
  readState(functionName: string): Promise<FunctionState>;
  /** Deletes a published version (never `$LATEST`). `kept` when the host refuses: in use. */
  deleteVersion(functionName: string, version: string): Promise<RemovalOutcome>;
}

/** Gives the disk back after images were removed (local mode: registry GC, unpacked roots). */
export interface StorageReclaimer {
  /** Bytes freed, measured on disk before and after. */
  reclaim(): Promise<{ readonly reclaimedBytes: number }>;
}
