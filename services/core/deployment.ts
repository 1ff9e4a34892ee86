import type { GateResult } from './gates.ts';
import type { StepName } from './steps.ts';

/** Every status a deployment can have; the last five are terminal. */
export const DEPLOYMENT_STATUSES = [
  'PENDING',
  'RUNNING',
  'SUCCEEDED',
  'REJECTED',
  'FAILED',
  'ROLLED_BACK',
  'ROLLBACK_FAILED',
] as const;

/** A deployment's status. */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** The statuses a workflow ends in. */
export type TerminalStatus = Exclude<DeploymentStatus, 'PENDING' | 'RUNNING'>;

/** True when the deployment has ended. */
export function isTerminal(status: DeploymentStatus): status is TerminalStatus {
  return status !== 'PENDING' && status !== 'RUNNING';
}

/** Source to build from: an https git URL or an s3:// archive. */
export interface SourceSpec {
  readonly url: string;
  /** Git ref (branch, tag or commit) for git sources. */
  readonly ref?: string;
  /** Dockerfile path relative to the context. @default 'Dockerfile' */
  readonly dockerfile?: string;
  /** Build context path relative to the source root. @default '.' */
  readonly context?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
}

/** What asked for the deployment. */
export interface Trigger {
  readonly kind: 'api' | 'cli' | 'slack' | 'ecr' | 'registry' | 'rollback';
  /** Principal ARN, token's team member, Slack user… */
  readonly actor?: string;
  /** The event id for ecr/registry triggers. */
  readonly eventId?: string;
}

/** One step of a deployment, with its timings. */
export interface StepRecord {
  readonly name: StepName;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly outcome: 'running' | 'succeeded' | 'failed';
  /** How many times the step started (retries included). */
  readonly attempts: number;
  /** One line: the error for a failed step, a summary otherwise. */
  readonly detail?: string;
}

/** A largest-layer line of a scan report. */
export interface LayerSummary {
  readonly digest: string;
  readonly sizeBytes: number;
  /** 1-based position in the image (1 is the bottom layer, usually the base image's). */
  readonly index?: number;
  /** The config history line that created the layer (`RUN apt-get install …`), when known. */
  readonly createdBy?: string;
  /** True when the layer came with the base image (`FROM`); absent when that is unknown. */
  readonly fromBase?: boolean;
}

/** What ScanImage found and decided. */
export interface ScanReport {
  readonly verdict: 'pass' | 'reject';
  /** Why the gate failed, one line per broken rule (empty when passed). */
  readonly reasons: readonly string[];
  readonly mediaType: string;
  readonly architecture: string | null;
  readonly compressedBytes: number;
  /** Unknown from a manifest-only scan; null then. */
  readonly uncompressedBytes: number | null;
  readonly layerCount: number;
  readonly largestLayers: readonly LayerSummary[];
  readonly budgetBytes: number;
  readonly liveCompressedBytes: number | null;
  readonly growthRatio: number | null;
  readonly maxGrowthRatio: number | null;
  /** The base image (`FROM`), from the manifest's annotations or the build history; null when unknown. */
  readonly baseImage?: string | null;
  /** Size gates with their figures side by side (absent on records written before they existed). */
  readonly gates?: readonly GateResult[];
  /** Why the image may be big: suggestions naming a layer and its size (heuristics). */
  readonly hints?: readonly string[];
}

/** What the smoke invoke of the new version showed. */
export interface SmokeReport {
  readonly passed: boolean;
  /**
   * `pass`; `fail` when the new version misbehaved (→ ROLLED_BACK); `reject` when it works but a
   * gate failed (cold start grew → REJECTED). Absent on records written before gates existed.
   */
  readonly verdict?: 'pass' | 'fail' | 'reject';
  /** The version invoked (its first invoke, a cold start). */
  readonly version?: string;
  /** Why it failed (FunctionError, status, assertion, gate), absent when passed. */
  readonly reason?: string;
  readonly statusCode: number;
  readonly functionError?: string;
  /** The first bytes of the response payload. */
  readonly responseExcerpt: string;
  /** From the REPORT line; null when the runtime gave none (never invented). */
  readonly initDurationMs: number | null;
  readonly durationMs: number | null;
  readonly maxMemoryUsedMb: number | null;
  /** The cold-start gate with its figures side by side (absent on older records). */
  readonly gates?: readonly GateResult[];
}

/** The release a deployment replaces or produces. */
export interface Release {
  readonly version: string | null;
  readonly digest: string | null;
  readonly imageUri: string | null;
}

/** A deployment record as stored and served. */
export interface Deployment {
  readonly id: string;
  readonly functionName: string;
  readonly status: DeploymentStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly team?: string;
  readonly trigger: Trigger;
  readonly request: {
    readonly image?: string;
    readonly source?: SourceSpec;
    readonly reason?: string;
  };
  /** Steps in the order they started. */
  readonly steps: readonly StepRecord[];
  /** What was live before (set by Prepare). */
  readonly previous?: Release;
  /** What this deployment releases (digest from ResolveImage, version from UpdateFunction). */
  readonly release?: Release & { readonly repository?: string };
  readonly scan?: ScanReport;
  readonly smoke?: SmokeReport;
  readonly buildLogsUrl?: string;
  /** Why it did not succeed, one sentence a person can act on. */
  readonly reason?: string;
  readonly error?: { readonly name: string; readonly message: string };
  readonly endedAt?: string;
}

/** Fields a worker may change on a deployment record. */
export type DeploymentPatch = Partial<
  Pick<
    Deployment,
    | 'status'
    | 'team'
    | 'previous'
    | 'release'
    | 'scan'
    | 'smoke'
    | 'buildLogsUrl'
    | 'reason'
    | 'error'
    | 'endedAt'
  >
>;
