import { alarms, BASE_PARTS, functions, notifier, options, registry } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { prepare, prepareInputSchema } from './core.ts';

/** Lambda entry for the Prepare step. */
export const handler = workerHandler(
  (event) => parseInput('Prepare', prepareInputSchema, event),
  prepare,
  { ...BASE_PARTS, registry, functions, notifier, alarms, options },
);
