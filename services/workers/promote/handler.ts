import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { promote, promoteInputSchema } from './core.ts';

/** Lambda entry for the Promote step. */
export const handler = async (event: unknown) =>
  promote(parseInput('Promote', promoteInputSchema, event), awsWorkerDeps());
