import { vi } from 'vitest';

/**
 * Stubs the environment an SDK client reads so that a Lambda's code, built from its environment
 * alone, talks to a local DynamoDB (dynalite or moto) with dummy credentials. Undo with
 * `vi.unstubAllEnvs()`.
 */
export function stubSdkEnv(dynamoEndpoint: string, extra: Record<string, string> = {}): void {
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDFERRYTEST',
    AWS_SECRET_ACCESS_KEY: 'ferry-test-secret',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    ...extra,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}
