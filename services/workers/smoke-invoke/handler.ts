import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { smokeInvoke, smokeInvokeInputSchema } from './core.ts';

/** Lambda entry for the SmokeInvoke step. */
export const handler = async (event: unknown) =>
  smokeInvoke(parseInput('SmokeInvoke', smokeInvokeInputSchema, event), awsWorkerDeps());
