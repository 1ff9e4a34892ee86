import { BASE_PARTS, functions } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { provisionConcurrency, provisionConcurrencyInputSchema } from './core.ts';

/** Lambda entry for the ProvisionConcurrency step. */
export const handler = workerHandler(
  (event) => parseInput('ProvisionConcurrency', provisionConcurrencyInputSchema, event),
  provisionConcurrency,
  { ...BASE_PARTS, functions },
);
