import { BASE_PARTS, registry } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { promote, promoteInputSchema } from './core.ts';

/** Lambda entry for the Promote step. */
export const handler = workerHandler(
  (event) => parseInput('Promote', promoteInputSchema, event),
  promote,
  { ...BASE_PARTS, registry },
);
