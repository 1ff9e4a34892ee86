/**
 * The workflow's steps. One name per step everywhere: the ASL state, the worker folder
 * (kebab-case), the `${<Step>FunctionArn}` substitution and the step record.
 */
export const WORKER_STEPS = [
  'Prepare',
  'ResolveImage',
  'ScanImage',
  'Promote',
  'UpdateFunction',
  'ProvisionConcurrency',
  'SmokeInvoke',
  'ShiftTraffic',
  'Hold',
  'JudgeStep',
  'AwaitApproval',
  'Activate',
  'Rollback',
  'Finalize',
] as const;

/** A step run by a Ferry worker Lambda. */
export type WorkerStep = (typeof WORKER_STEPS)[number];

/** Every step a deployment records: the workers plus Build (CodeBuild, no worker of ours). */
export type StepName = WorkerStep | 'Build';

/** The worker folder name of a step: `SmokeInvoke` → `smoke-invoke`. */
export function workerFolder(step: WorkerStep): string {
  return step.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}
