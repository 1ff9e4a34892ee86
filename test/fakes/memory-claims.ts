import type { Clock } from '../../services/core/clock.ts';
import type { MessageClaim, MessageClaims } from '../../services/core/ports.ts';

/** In-memory MessageClaims with the DynamoDB adapter's semantics: claims expire on the injected clock. */
export class MemoryMessageClaims implements MessageClaims {
  /** Each live or expired claim's expiry (epoch seconds), by `channel deployment status`. */
  readonly expiries = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds = 30 * 86400,
  ) {}

  async claim(claim: MessageClaim): Promise<boolean> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const held = this.expiries.get(keyOf(claim));
    // Like the table's condition: an expired claim not yet swept is free.
    if (held !== undefined && held > now) return false;
    this.expiries.set(keyOf(claim), now + this.ttlSeconds);
    return true;
  }

  async release(claim: MessageClaim): Promise<void> {
    this.expiries.delete(keyOf(claim));
  }
}

function keyOf({ channel, deploymentId, status }: MessageClaim): string {
  return `${channel} ${deploymentId} ${status}`;
}
