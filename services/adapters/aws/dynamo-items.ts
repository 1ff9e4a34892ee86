/**
 * Read schemas of the store table's items: what DeploymentStore gets back from DynamoDB, parsed
 * (never cast) and with older shapes brought up to date here, in one place. Built from the core
 * schemas; each differs only where the stored shape does.
 */
import { z } from 'zod';
import type { Deployment } from '../../core/deployment.ts';
import { deploymentSchema, stepRecordSchema } from '../../core/deployment-schema.ts';
import type {
  FunctionLock,
  IdempotencyRecord,
  RegisteredFunction,
  ReleaseHold,
} from '../../core/ports.ts';
import type { Assert, SameShape } from '../../core/same-shape.ts';
import {
  coldStartSettingsSchema,
  DEFAULT_COLD_START,
  type FunctionSettings,
  functionSettingsSchema,
} from '../../core/settings.ts';
import type { Item } from './dynamo-table.ts';
import { parseStored } from './stored-item.ts';

/** Steps are stored as a map by name (a retry overwrites its own entry); read back by start time. */
const storedDeploymentSchema = deploymentSchema.extend({
  steps: z
    .record(z.string(), stepRecordSchema)
    // The reader before this one tolerated a record without its steps map; so does this one.
    .default({})
    .transform((steps) =>
      Object.values(steps).sort(
        (a, b) => a.startedAt.localeCompare(b.startedAt) || a.name.localeCompare(b.name),
      ),
    ),
});

/**
 * Settings stored before the cold-start gate was on by default have no `maxInitGrowthRatio` (or
 * no `coldStart` at all): they keep the gate off until their next write. Any other absent field
 * takes today's default.
 */
const storedColdStartSchema = z
  .object({
    ...coldStartSettingsSchema.shape,
    maxInitGrowthRatio: coldStartSettingsSchema.shape.maxInitGrowthRatio.unwrap().default(null),
  })
  .default({
    maxInitGrowthRatio: null,
    minInitDeltaMs: DEFAULT_COLD_START.minInitDeltaMs,
    samples: DEFAULT_COLD_START.samples,
    inconclusiveBlocks: DEFAULT_COLD_START.inconclusiveBlocks,
  });

/** A function's settings as stored; unknown fields are dropped (a newer Ferry may have written them). */
export const storedSettingsSchema = z.object({
  ...functionSettingsSchema.shape,
  coldStart: storedColdStartSchema,
});

const lockSchema = z.object({
  functionName: z.string(),
  owner: z.string(),
  expiresAt: z.number(),
});

const idempotencySchema = z.object({
  key: z.string(),
  requestHash: z.string(),
  deploymentId: z.string(),
  expiresAt: z.number(),
});

const replySchema = z.object({ url: z.string(), expiresAt: z.number() });

const holdSchema = z.object({
  deploymentId: z.string(),
  kind: z.enum(['step', 'approval']),
  token: z.string().min(1),
  since: z.string(),
  expiresAt: z.number(),
});

/** Proof that the read schemas give exactly the port's types. */
export type ReadSchemasMatch = [
  Assert<SameShape<z.output<typeof storedDeploymentSchema>, Deployment>>,
  Assert<SameShape<z.output<typeof storedSettingsSchema>, FunctionSettings>>,
  Assert<SameShape<z.output<typeof lockSchema>, FunctionLock>>,
  Assert<SameShape<z.output<typeof idempotencySchema>, IdempotencyRecord>>,
  Assert<SameShape<z.output<typeof holdSchema>, ReleaseHold>>,
];

/** A deployment item as a Deployment (internal keys dropped, steps as an array by start time). */
export function readDeployment(item: Item): Deployment {
  return parseStored(storedDeploymentSchema, item, 'deployment');
}

/** The settings in a function's settings item. */
export function readSettings(item: Item): FunctionSettings {
  return parseStored(storedSettingsSchema, item, 'settings', 'settings');
}

/** A settings item as a registered function (name and settings). */
export function readRegisteredFunction(item: Item): RegisteredFunction {
  return {
    name: parseStored(z.string(), item, 'settings', 'functionName'),
    settings: readSettings(item),
  };
}

/** A lock item as a FunctionLock. */
export function readLock(item: Item): FunctionLock {
  return parseStored(lockSchema, item, 'lock');
}

/** An idempotency item as an IdempotencyRecord. */
export function readIdempotencyRecord(item: Item): IdempotencyRecord {
  return parseStored(idempotencySchema, item, 'idempotency');
}

/** A reply item: the URL and when it expires. */
export function readReply(item: Item): z.output<typeof replySchema> {
  return parseStored(replySchema, item, 'reply');
}

/** A hold item as a ReleaseHold (keys and the TTL attribute dropped). */
export function readHold(item: Item): ReleaseHold {
  return parseStored(holdSchema, item, 'hold');
}
