import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new deployment id: `d-` + a 26-character ULID (time-sortable, Crockford base32), so ids
 * sort by creation and fit Step Functions' execution-name rules (≤ 80 chars, [A-Za-z0-9-_]).
 */
export function newDeploymentId(
  now: Date = new Date(),
  random: Uint8Array = randomBytes(10),
): string {
  let time = now.getTime();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  let bits = 0n;
  for (const byte of random) bits = (bits << 8n) | BigInt(byte);
  let randomPart = '';
  for (let i = 0; i < 16; i++) {
    randomPart = CROCKFORD[Number(bits & 31n)] + randomPart;
    bits >>= 5n;
  }
  return `d-${timePart}${randomPart}`;
}

/** True when `id` looks like a deployment id. */
export function isDeploymentId(id: string): boolean {
  return /^d-[0-9A-HJKMNP-TV-Z]{26}$/.test(id);
}
