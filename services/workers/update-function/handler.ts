import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { updateFunction, updateFunctionInputSchema } from './core.ts';

/** Lambda entry for the UpdateFunction step. */
export const handler = async (event: unknown) =>
  updateFunction(parseInput('UpdateFunction', updateFunctionInputSchema, event), awsWorkerDeps());
