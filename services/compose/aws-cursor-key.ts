import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedSecret } from '../adapters/aws/cached-secret.ts';
import type { AwsRuntimeConfig } from './aws-runtime.ts';

/** The keys the cursor-signing key is found by (the API's). */
export interface AwsCursorConfig extends AwsRuntimeConfig {
  readonly FERRY_CURSOR_SECRET_ARN: string;
}

/** Fewer characters than this cannot be the stack's generated key. */
const MIN_KEY_LENGTH = 16;

/**
 * The cursor-signing key from the secret the stack generates (cached for minutes, so a new value
 * takes effect without a deploy). A missing or short value fails the call naming the secret.
 */
export function awsCursorKey(config: AwsRuntimeConfig): () => Promise<string> {
  const arn = (config as AwsCursorConfig).FERRY_CURSOR_SECRET_ARN;
  return cachedSecret(new SecretsManagerClient({}), arn, (key) => {
    if (!key || key.length < MIN_KEY_LENGTH) {
      throw new Error(
        `the cursor secret ${arn} has no value of at least ${MIN_KEY_LENGTH} characters: the stack generates one; restore it`,
      );
    }
    return key;
  });
}
