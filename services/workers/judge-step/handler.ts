import { alarms, BASE_PARTS, versionHealth } from '../aws-parts.ts';
import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { judgeStep, judgeStepInputSchema } from './core.ts';

/** Lambda entry for the JudgeStep step. */
export const handler = workerHandler(
  (event) => parseInput('JudgeStep', judgeStepInputSchema, event),
  judgeStep,
  { ...BASE_PARTS, versionHealth, alarms },
);
