import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { rollback, rollbackInputSchema } from './core.ts';

/** Lambda entry for the Rollback step. */
export const handler = async (event: unknown) =>
  rollback(parseInput('Rollback', rollbackInputSchema, event), awsWorkerDeps());
