import type { LambdaContext } from '../../services/adapters/powertools/powertools-logging.ts';

/** A Lambda invocation context as the runtime passes it, with its own request id. */
export function lambdaContext(
  awsRequestId = 'c0ffee00-0000-4000-8000-000000000001',
  functionName = 'ferry-Finalize',
): LambdaContext {
  return {
    awsRequestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
  };
}
