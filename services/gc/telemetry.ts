/** The gc Lambda's Powertools Logger, one per process. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaTelemetry } from '../adapters/powertools/invocation.ts';
import { PowertoolsLogging } from '../adapters/powertools/powertools-logging.ts';

/** gc's telemetry: JSON log lines (it emits no metrics). */
export const gcTelemetry = {
  logging: new PowertoolsLogging(new Logger({ serviceName: 'ferry-gc' })),
} satisfies LambdaTelemetry;
