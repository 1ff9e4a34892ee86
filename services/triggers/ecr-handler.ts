/** The ECR push trigger Lambda (EventBridge `ECR Image Action` → rollouts). */
import { withInvocation } from '../adapters/powertools/invocation.ts';
import type { LambdaContext } from '../adapters/powertools/powertools-logging.ts';
import type { AppDeps } from '../app/deps.ts';
import { awsTriggerDeps } from './aws-deps.ts';
import { handleEcrEvent } from './ecr-trigger.ts';
import { eventIdOf, triggerTelemetry } from './telemetry.ts';

// Built on the first event, once per cold start: importing the module needs no environment.
let deps: AppDeps | undefined;

/** Lambda entry: one EventBridge event per invocation; its lines carry the event's id. */
export const handler = (event: unknown, context: LambdaContext) =>
  withInvocation(triggerTelemetry, context, { correlationId: eventIdOf(event) }, async () => {
    deps ??= awsTriggerDeps(process.env);
    return handleEcrEvent(event, deps);
  });
