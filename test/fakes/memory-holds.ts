import { type Clock, systemClock } from '../../services/core/clock.ts';
import type { ReleaseHold, ReleaseHolds } from '../../services/core/ports.ts';
import { copyOut } from './copy.ts';

/** In-memory ReleaseHolds: one hold per deployment, expired holds read as none. */
export class MemoryReleaseHolds implements ReleaseHolds {
  readonly holds = new Map<string, ReleaseHold>();

  constructor(private readonly clock: Clock = systemClock) {}

  async putHold(hold: ReleaseHold): Promise<void> {
    this.holds.set(hold.deploymentId, copyOut(hold));
  }

  async getHold(deploymentId: string): Promise<ReleaseHold | null> {
    const hold = this.holds.get(deploymentId);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return hold && hold.expiresAt > now ? copyOut(hold) : null;
  }

  async clearHold(deploymentId: string, token: string): Promise<void> {
    if (this.holds.get(deploymentId)?.token === token) this.holds.delete(deploymentId);
  }
}
