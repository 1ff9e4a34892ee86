import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { finalize, finalizeInputSchema } from './core.ts';

/** Lambda entry for the Finalize step. */
export const handler = async (event: unknown) =>
  finalize(parseInput('Finalize', finalizeInputSchema, event), awsWorkerDeps());
