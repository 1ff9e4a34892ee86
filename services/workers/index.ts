/**
 * Every worker step's entry, bound the same way a handler binds it: parse the event with the
 * step's schema, run the core with the deps. The local workflow runner and the workflow tests
 * use this table, so they run exactly the code the Lambdas run.
 */
import type { WorkerStep } from '../core/steps.ts';
import { activate, activateInputSchema } from './activate/core.ts';
import { awaitApproval, awaitApprovalInputSchema } from './await-approval/core.ts';
import type { WorkerDeps } from './deps.ts';
import { finalize, finalizeInputSchema } from './finalize/core.ts';
import { hold, holdInputSchema } from './hold/core.ts';
import { judgeStep, judgeStepInputSchema } from './judge-step/core.ts';
import { parseInput } from './parse-input.ts';
import { prepare, prepareInputSchema } from './prepare/core.ts';
import { promote, promoteInputSchema } from './promote/core.ts';
import {
  provisionConcurrency,
  provisionConcurrencyInputSchema,
} from './provision-concurrency/core.ts';
import { resolveImage, resolveImageInputSchema } from './resolve-image/core.ts';
import { rollback, rollbackInputSchema } from './rollback/core.ts';
import { scanImage, scanImageInputSchema } from './scan-image/core.ts';
import { shiftTraffic, shiftTrafficInputSchema } from './shift-traffic/core.ts';
import { smokeInvoke, smokeInvokeInputSchema } from './smoke-invoke/core.ts';
import { updateFunction, updateFunctionInputSchema } from './update-function/core.ts';

/** A worker as the workflow sees it: event in, JSON out. */
export type WorkerEntry = (event: unknown, deps: WorkerDeps) => Promise<unknown>;

/** The worker entry of each step. */
export const workerEntries: Readonly<Record<WorkerStep, WorkerEntry>> = {
  Prepare: (e, d) => prepare(parseInput('Prepare', prepareInputSchema, e), d),
  ResolveImage: (e, d) => resolveImage(parseInput('ResolveImage', resolveImageInputSchema, e), d),
  ScanImage: (e, d) => scanImage(parseInput('ScanImage', scanImageInputSchema, e), d),
  Promote: (e, d) => promote(parseInput('Promote', promoteInputSchema, e), d),
  UpdateFunction: (e, d) =>
    updateFunction(parseInput('UpdateFunction', updateFunctionInputSchema, e), d),
  ProvisionConcurrency: (e, d) =>
    provisionConcurrency(parseInput('ProvisionConcurrency', provisionConcurrencyInputSchema, e), d),
  SmokeInvoke: (e, d) => smokeInvoke(parseInput('SmokeInvoke', smokeInvokeInputSchema, e), d),
  ShiftTraffic: (e, d) => shiftTraffic(parseInput('ShiftTraffic', shiftTrafficInputSchema, e), d),
  Hold: (e, d) => hold(parseInput('Hold', holdInputSchema, e), d),
  JudgeStep: (e, d) => judgeStep(parseInput('JudgeStep', judgeStepInputSchema, e), d),
  AwaitApproval: (e, d) =>
    awaitApproval(parseInput('AwaitApproval', awaitApprovalInputSchema, e), d),
  Activate: (e, d) => activate(parseInput('Activate', activateInputSchema, e), d),
  Rollback: (e, d) => rollback(parseInput('Rollback', rollbackInputSchema, e), d),
  Finalize: (e, d) => finalize(parseInput('Finalize', finalizeInputSchema, e), d),
};
