import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { finalize, finalizeInputSchema } from './core.ts';

/** Lambda entry for the Finalize step. */
export const handler = workerHandler(
  (event) => parseInput('Finalize', finalizeInputSchema, event),
  finalize,
);
