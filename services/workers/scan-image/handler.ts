import { BASE_PARTS, metrics, registry } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { scanImage, scanImageInputSchema } from './core.ts';

/** Lambda entry for the ScanImage step. */
export const handler = workerHandler(
  (event) => parseInput('ScanImage', scanImageInputSchema, event),
  scanImage,
  { ...BASE_PARTS, registry, metrics },
);
