import { BASE_PARTS, functions } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { shiftTraffic, shiftTrafficInputSchema } from './core.ts';

/** Lambda entry for the ShiftTraffic step. */
export const handler = workerHandler(
  (event) => parseInput('ShiftTraffic', shiftTrafficInputSchema, event),
  shiftTraffic,
  { ...BASE_PARTS, functions },
);
