import { BASE_PARTS, functions, options } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { updateFunction, updateFunctionInputSchema } from './core.ts';

/** Lambda entry for the UpdateFunction step. */
export const handler = workerHandler(
  (event) => parseInput('UpdateFunction', updateFunctionInputSchema, event),
  updateFunction,
  { ...BASE_PARTS, functions, options },
);
