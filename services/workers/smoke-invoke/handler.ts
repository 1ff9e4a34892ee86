import { BASE_PARTS, functions, metrics } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { smokeInvoke, smokeInvokeInputSchema } from './core.ts';

/** Lambda entry for the SmokeInvoke step. */
export const handler = workerHandler(
  (event) => parseInput('SmokeInvoke', smokeInvokeInputSchema, event),
  smokeInvoke,
  { ...BASE_PARTS, functions, metrics },
);
