import { handle } from 'hono/aws-lambda';
import { createApp } from './app.ts';
import { awsApiDeps } from './aws-deps.ts';

/** The API Lambda behind API Gateway (HTTP API, payload v2, IAM auth). */
export const handler = handle(createApp(awsApiDeps()));
