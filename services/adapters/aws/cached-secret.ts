import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { toFerryError } from './aws-errors.ts';

/**
 * A secret's string from Secrets Manager, cached for `ttlMs` so a warm Lambda does not call
 * Secrets Manager per request yet picks up a rotated value within minutes. A secret with no
 * value yet (how the stack leaves one it creates empty) reads as undefined.
 */
export function cachedSecretString(
  client: SecretsManagerClient,
  secretId: string,
  ttlMs = 5 * 60_000,
  now: () => number = Date.now,
): () => Promise<string | undefined> {
  let cached: { text: string | undefined; at: number } | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.text;
    let text: string | undefined;
    try {
      text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException')
        throw toFerryError(error, `secretsmanager:GetSecretValue ${secretId}`);
    }
    cached = { text, at: now() };
    return text;
  };
}
