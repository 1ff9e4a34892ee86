import { BASE_PARTS, functions, options } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { rollback, rollbackInputSchema } from './core.ts';

/** Lambda entry for the Rollback step. */
export const handler = workerHandler(
  (event) => parseInput('Rollback', rollbackInputSchema, event),
  rollback,
  { ...BASE_PARTS, functions, options },
);
