/**
 * The one map from the ASL's `${Key}` placeholders to values. The CDK stack passes it as
 * `definitionSubstitutions`; the workflow tests and local mode substitute the same keys
 * before running the definition with aws-local-stepfunctions.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lockTtlSeconds } from '../services/core/lock-lifetime.ts';
import { WORKER_STEPS, type WorkerStep } from '../services/core/steps.ts';

/** Absolute path of the deploy workflow definition. */
export const DEPLOY_ASL_PATH = fileURLToPath(new URL('./deploy.asl.json', import.meta.url));

/** What the placeholders are filled from. */
export interface DeploySubstitutionInputs {
  /** Each worker step's Lambda ARN. */
  readonly workerArns: Readonly<Record<WorkerStep, string>>;
  /** CodeBuild project names per architecture. */
  readonly buildProjects: { readonly x86_64: string; readonly arm64: string };
}

/** The placeholder key of a worker step: `SmokeInvoke` → `SmokeInvokeFunctionArn`. */
export function workerArnKey(step: WorkerStep): string {
  return `${step}FunctionArn`;
}

/** Builds the substitution map: one `<Step>FunctionArn` per worker plus the build projects. */
export function deploySubstitutions(inputs: DeploySubstitutionInputs): Record<string, string> {
  const map: Record<string, string> = {
    BuildProjectX86Name: inputs.buildProjects.x86_64,
    BuildProjectArm64Name: inputs.buildProjects.arm64,
  };
  for (const step of WORKER_STEPS) map[workerArnKey(step)] = inputs.workerArns[step];
  return map;
}

/** Placeholder inputs for tests, validation and local mode (no AWS account behind them). */
export function exampleSubstitutionInputs(
  account = '123456789012',
  region = 'us-east-1',
): DeploySubstitutionInputs {
  const workerArns = Object.fromEntries(
    WORKER_STEPS.map((step) => [
      step,
      `arn:aws:lambda:${region}:${account}:function:ferry-${step}`,
    ]),
  ) as Record<WorkerStep, string>;
  return {
    workerArns,
    buildProjects: { x86_64: 'ferry-build-x86_64', arm64: 'ferry-build-arm64' },
  };
}

/** The `${Key}` placeholders a definition text uses. */
export function placeholdersIn(text: string): string[] {
  return [
    ...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string)),
  ].sort();
}

/** Replaces every `${Key}`; throws naming any key the map lacks (as CloudFormation would fail). */
export function substitute(text: string, map: Readonly<Record<string, string>>): string {
  const missing = placeholdersIn(text).filter((key) => typeof map[key] !== 'string');
  if (missing.length > 0) throw new Error(`no substitution for: ${missing.join(', ')}`);
  // Values are inserted into JSON strings: escape them as JSON string contents.
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) =>
    JSON.stringify(map[key]).slice(1, -1),
  );
}

/** The raw definition text, placeholders intact (what the CDK stack embeds). */
export function readDeployDefinitionText(): string {
  return readFileSync(DEPLOY_ASL_PATH, 'utf8');
}

/** The definition with placeholders filled, parsed. */
export function loadDeployDefinition(
  map: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return JSON.parse(substitute(readDeployDefinitionText(), map)) as Record<string, unknown>;
}

/** The deploy workflow's lock lifetime: its TimeoutSeconds plus the margin (computed once per runtime). */
export function deployLockTtlSeconds(definitionText = readDeployDefinitionText()): number {
  const { TimeoutSeconds } = JSON.parse(definitionText) as { TimeoutSeconds?: number };
  return lockTtlSeconds(TimeoutSeconds ?? Number.NaN);
}
