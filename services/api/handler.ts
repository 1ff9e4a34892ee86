import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { withInvocation } from '../adapters/powertools/invocation.ts';
import { createApp } from './app.ts';
import { awsApiDeps } from './aws-deps.ts';
import { apiGatewayRequestId, apiTelemetry } from './telemetry.ts';

const app = handle(createApp(awsApiDeps()));

/**
 * The API Lambda behind API Gateway (HTTP API, payload v2, IAM auth). Every line of a request
 * carries API Gateway's request id (`correlation_id`) and Lambda's (`function_request_id`).
 */
export const handler = (event: LambdaEvent, context: LambdaContext) =>
  withInvocation(apiTelemetry, context, { correlationId: apiGatewayRequestId(event) }, () =>
    app(event, context),
  );
