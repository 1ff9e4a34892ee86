import { awsWorkerDeps } from '../aws-deps.ts';
import { parseInput } from '../parse-input.ts';
import { scanImage, scanImageInputSchema } from './core.ts';

/** Lambda entry for the ScanImage step. */
export const handler = async (event: unknown) =>
  scanImage(parseInput('ScanImage', scanImageInputSchema, event), awsWorkerDeps());
