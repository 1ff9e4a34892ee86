import {
  BASE_PARTS,
  buildLogs,
  claims,
  functions,
  metrics,
  notifier,
  registry,
} from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { finalize, finalizeInputSchema } from './core.ts';

/** Lambda entry for the Finalize step. */
export const handler = workerHandler(
  (event) => parseInput('Finalize', finalizeInputSchema, event),
  finalize,
  { ...BASE_PARTS, registry, functions, notifier, claims, metrics, buildLogs },
);
