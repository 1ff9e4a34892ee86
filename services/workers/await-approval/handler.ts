import { BASE_PARTS, callbacks } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { awaitApproval, awaitApprovalInputSchema } from './core.ts';

/** Lambda entry for the AwaitApproval step (invoked with `.waitForTaskToken`). */
export const handler = workerHandler(
  (event) => parseInput('AwaitApproval', awaitApprovalInputSchema, event),
  awaitApproval,
  { ...BASE_PARTS, callbacks },
);
