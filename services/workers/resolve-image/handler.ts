import { BASE_PARTS, registry } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { resolveImage, resolveImageInputSchema } from './core.ts';

/** Lambda entry for the ResolveImage step. */
export const handler = workerHandler(
  (event) => parseInput('ResolveImage', resolveImageInputSchema, event),
  resolveImage,
  { ...BASE_PARTS, registry },
);
