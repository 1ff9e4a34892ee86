/** The ECR trigger Lambda's Powertools Logger, one per process. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaTelemetry } from '../adapters/powertools/invocation.ts';
import { PowertoolsLogging } from '../adapters/powertools/powertools-logging.ts';

/** The trigger's telemetry: JSON log lines (it emits no metrics). */
export const triggerTelemetry = {
  logging: new PowertoolsLogging(new Logger({ serviceName: 'ferry-ecr-trigger' })),
} satisfies LambdaTelemetry;

/** EventBridge's id of the event, the trigger's correlation id. */
export function eventIdOf(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}
