import { workerHandler } from '../lambda-handler.ts';
import { parseInput } from '../parse-input.ts';
import { judgeStep, judgeStepInputSchema } from './core.ts';

/** Lambda entry for the JudgeStep step. */
export const handler = workerHandler(
  (event) => parseInput('JudgeStep', judgeStepInputSchema, event),
  judgeStep,
);
