import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { activate, activateInputSchema } from './core.ts';

/** Lambda entry for the Activate step. */
export const handler = async (event: unknown) =>
  activate(parseInput('Activate', activateInputSchema, event), awsWorkerDeps());
