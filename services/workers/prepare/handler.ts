import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { prepare, prepareInputSchema } from './core.ts';

/** Lambda entry for the Prepare step. */
export const handler = async (event: unknown) =>
  prepare(parseInput('Prepare', prepareInputSchema, event), awsWorkerDeps());
