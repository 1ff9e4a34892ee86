import { BASE_PARTS, functions } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { activate, activateInputSchema } from './core.ts';

/** Lambda entry for the Activate step. */
export const handler = workerHandler(
  (event) => parseInput('Activate', activateInputSchema, event),
  activate,
  { ...BASE_PARTS, functions },
);
