/**
 * The shape of a local function, as persisted: Lambda's model for image functions (no Zip).
 */
import { InvalidRequestError } from '../../services/core/errors.ts';
import { parseImageRef } from '../../services/core/image-ref.ts';
import type { AliasState, Architecture } from '../../services/core/ports.ts';
import type { ConfigurationChange, FunctionConfiguration } from './function-config.ts';

/** Code an image function runs: a pinned image and its digest's hex (Lambda's CodeSha256). */
export interface CodeRecord {
  readonly imageUri: string;
  readonly codeSha256: string;
}

/** $LATEST: code plus the state of its last update. */
export interface LatestRecord extends CodeRecord {
  readonly revisionId: string;
  readonly lastUpdateStatus: 'InProgress' | 'Successful' | 'Failed';
  readonly lastUpdateStatusReason?: string;
}

/** A published (immutable) version: its code and the configuration $LATEST had at publish. */
export interface VersionRecord extends CodeRecord {
  readonly revisionId: string;
  readonly configuration: FunctionConfiguration;
  /** When it was published (ISO 8601; Lambda's LastModified of a version). Absent in older state. */
  readonly publishedAt?: string;
}

/** An alias as persisted: its routing, and a revision id that every write of it changes. */
export type AliasRecord = AliasState;

/** One local function as persisted; the configuration fields are $LATEST's. */
export interface LocalFunctionRecord extends FunctionConfiguration {
  readonly name: string;
  readonly packageType: 'Image';
  readonly latest: LatestRecord;
  readonly versions: Readonly<Record<string, VersionRecord>>;
  readonly aliases: Readonly<Record<string, AliasRecord>>;
  readonly nextVersion: number;
  /** When it was created or its code last updated (ISO 8601; Lambda's LastModified). */
  readonly lastModified?: string;
  /** Provisioned concurrency asked for, by version: a restarted host starts those instances again. */
  readonly provisionedConcurrency?: Readonly<Record<string, number>>;
}

/** Settings a new function may choose; the rest take Lambda's defaults (function-config.ts). */
export interface CreateFunctionOptions extends ConfigurationChange {
  readonly architecture?: Architecture;
  /** Alias pointing at version 1; null for none. @default 'live' */
  readonly alias?: string | null;
}

/** The code a qualifier resolves to. */
export interface Resolved {
  readonly fn: LocalFunctionRecord;
  /** `$LATEST` or a version number (an alias is resolved to its version). */
  readonly version: string;
  readonly code: CodeRecord;
  /** What that version runs with: $LATEST's current configuration, or a version's frozen one. */
  readonly configuration: FunctionConfiguration;
  /** The alias the qualifier named, when it named one. */
  readonly alias?: string;
}

/** CodeSha256 of a pinned image URI; InvalidRequestError when it is not pinned by digest. */
export function codeOf(imageUri: string): CodeRecord {
  const digest = parseImageRef(imageUri).digest;
  if (!digest) {
    throw new InvalidRequestError(
      `image "${imageUri}" is not pinned by digest: local functions run repository@sha256:… only`,
    );
  }
  return { imageUri, codeSha256: digest.slice('sha256:'.length) };
}
