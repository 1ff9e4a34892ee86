import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { resolveImage, resolveImageInputSchema } from './core.ts';

/** Lambda entry for the ResolveImage step. */
export const handler = async (event: unknown) =>
  resolveImage(parseInput('ResolveImage', resolveImageInputSchema, event), awsWorkerDeps());
