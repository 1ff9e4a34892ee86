import { BASE_PARTS, callbacks } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { hold, holdInputSchema } from './core.ts';

/** Lambda entry for the Hold step (invoked with `.waitForTaskToken`). */
export const handler = workerHandler((event) => parseInput('Hold', holdInputSchema, event), hold, {
  ...BASE_PARTS,
  callbacks,
});
