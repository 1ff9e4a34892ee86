/** The API Lambda's Powertools Logger (one per process) and how a request names itself on its lines. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaTelemetry } from '../adapters/powertools/invocation.ts';
import { PowertoolsLogging } from '../adapters/powertools/powertools-logging.ts';

/** The API's service name on its log lines. */
export const API_SERVICE = 'ferry-api';

/** The API's telemetry: JSON log lines (it emits no metrics). */
export const apiTelemetry = {
  logging: new PowertoolsLogging(new Logger({ serviceName: API_SERVICE })),
} satisfies LambdaTelemetry;

/** API Gateway's id of the request (`apigw-requestid` in the response), when the event has one. */
export function apiGatewayRequestId(event: unknown): string | undefined {
  const id = (event as { requestContext?: { requestId?: unknown } } | null)?.requestContext
    ?.requestId;
  return typeof id === 'string' ? id : undefined;
}
