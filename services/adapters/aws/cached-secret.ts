import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { toFerryError } from './aws-errors.ts';

/**
 * A secret from Secrets Manager, read as `parse` makes it and cached for `ttlMs`, so a warm
 * Lambda does not call Secrets Manager per request yet picks up a rotated value within minutes.
 * Only a value `parse` accepted is cached: once a bad value is fixed, the next read has it. A
 * secret with no value yet (how the stack leaves one it creates empty) is given to `parse` as
 * undefined.
 */
export function cachedSecret<T>(
  client: SecretsManagerClient,
  secretId: string,
  parse: (text: string | undefined) => T,
  ttlMs = 5 * 60_000,
  now: () => number = Date.now,
): () => Promise<T> {
  let cached: { value: T; at: number } | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.value;
    let text: string | undefined;
    try {
      text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException')
        throw toFerryError(error, `secretsmanager:GetSecretValue ${secretId}`);
    }
    const value = parse(text);
    cached = { value, at: now() };
    return value;
  };
}
