/**
 * The deployment model. Its types are inferred from the zod schemas in deployment-schema.ts (and
 * reports.ts, gates.ts), the one source the store reads and the API documents with.
 */
import type { z } from 'zod';
import type {
  DEPLOYMENT_PATCH_FIELDS,
  deploymentSchema,
  releaseSchema,
  sourceSpecSchema,
  stepRecordSchema,
  triggerSchema,
} from './deployment-schema.ts';

export type { LayerSummary, ScanReport, SmokeReport } from './reports.ts';

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
export type SourceSpec = z.output<typeof sourceSpecSchema>;

/** What asked for the deployment. */
export type Trigger = z.output<typeof triggerSchema>;

/** One step of a deployment, with its timings. */
export type StepRecord = z.output<typeof stepRecordSchema>;

/** The release a deployment replaces or produces. */
export type Release = z.output<typeof releaseSchema>;

/** A deployment record as stored and served. */
export type Deployment = z.output<typeof deploymentSchema>;

/** Fields a worker may change on a deployment record. */
export type DeploymentPatch = Partial<Pick<Deployment, (typeof DEPLOYMENT_PATCH_FIELDS)[number]>>;
