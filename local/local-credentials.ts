/**
 * Secrets local mode generates into FERRY_HOME (each 0600, kept across restarts) so that its parts
 * on 127.0.0.1 answer only Ferry and the person who started it: the function host's SigV4 key, as
 * an AWS shared-credentials file the CLI and SDKs read unchanged, and the registry's password.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileCredentials } from '../services/cli/shared-credentials.ts';
import type { HostCredentials } from './function-host/sigv4-verifier.ts';

/** The shared-credentials profile that holds the function host's key. */
export const HOST_PROFILE = 'ferry-local';
/** The registry's one user. */
export const REGISTRY_USER = 'ferry';

/** `$FERRY_HOME/aws-credentials`: `AWS_SHARED_CREDENTIALS_FILE` for the function host. */
export const hostCredentialsFile = (home: string) => join(home, 'aws-credentials');
/** `$FERRY_HOME/registry-password`: for `buildah login --password-stdin`. */
export const registryPasswordFile = (home: string) => join(home, 'registry-password');

/** `$FERRY_HOME/registry-auth.json`: a containers auth file (`--authfile`) for the registry. */
export const registryAuthFile = (home: string) => join(home, 'registry-auth.json');

/** Writes the auth file for `host` (its port can change between starts) and returns its path. */
export function writeRegistryAuthFile(home: string, host: string, password: string): string {
  const file = registryAuthFile(home);
  const auth = Buffer.from(`${REGISTRY_USER}:${password}`).toString('base64');
  writeFileSync(file, `${JSON.stringify({ auths: { [host]: { auth } } }, null, 2)}\n`, {
    mode: 0o600,
  });
  return file;
}

/** Reads `file`, or writes `make()` to it (0600) first. */
function kept(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const text = make();
  writeFileSync(file, text, { mode: 0o600 });
  return text;
}

/** The function host's key pair, from `$FERRY_HOME/aws-credentials` (profile ferry-local). */
export function hostCredentials(home: string): HostCredentials {
  const file = hostCredentialsFile(home);
  const text = kept(
    file,
    () =>
      `[${HOST_PROFILE}]\naws_access_key_id = FERRYLOCAL${randomBytes(5).toString('hex').toUpperCase()}\naws_secret_access_key = ${randomBytes(30).toString('base64url')}\n`,
  );
  const found = profileCredentials(text, HOST_PROFILE);
  if (!found) {
    throw new Error(
      `${file} has no [ferry-local] aws_access_key_id and aws_secret_access_key: delete it (the next start writes a new one)`,
    );
  }
  return found;
}

/** The registry password, from `$FERRY_HOME/registry-password`. */
export function registryPassword(home: string): string {
  const password = kept(registryPasswordFile(home), () => randomBytes(24).toString('base64url'));
  if (!/^[A-Za-z0-9_-]{16,}$/.test(password)) {
    throw new Error(
      `${registryPasswordFile(home)} is not a generated password: delete it (the next start writes a new one)`,
    );
  }
  return password;
}
