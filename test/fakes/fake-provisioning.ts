/**
 * Provisioned concurrency for FakeFunctions: Lambda's configuration per version, whose status
 * moves only when it is read, so a test decides how many polls a version takes to be READY, or
 * that it fails or never gets there, by planning it per image digest.
 */
import type { ProvisionedConcurrency } from '../../services/core/ports.ts';

/**
 * How provisioning a version goes: READY or FAILED at the `polls`-th get after the put (0: the
 * put already reports it), or IN_PROGRESS for ever.
 */
export type ProvisioningPlan =
  | { readonly outcome: 'ready'; readonly polls: number }
  | { readonly outcome: 'failed'; readonly polls: number; readonly statusReason: string }
  | { readonly outcome: 'never' };

/** The plans workflow tests name: ready, slow, failed, never ready. */
export const provisioningPlans = {
  /** READY at the first get after the put (the default). */
  ready: { outcome: 'ready', polls: 1 },
  /** READY only at the `polls`-th get. */
  slow: (polls: number): ProvisioningPlan => ({ outcome: 'ready', polls }),
  /** FAILED, with Lambda's StatusReason, at the first get. */
  failed: (statusReason = 'FUNCTION_ERROR_INIT_FAILURE: init failed'): ProvisioningPlan => ({
    outcome: 'failed',
    polls: 1,
    statusReason,
  }),
  /** IN_PROGRESS however long one waits. */
  neverReady: { outcome: 'never' },
} as const satisfies Record<string, ProvisioningPlan | ((...a: never[]) => ProvisioningPlan)>;

interface Config {
  readonly digest: string;
  readonly requested: number;
  polls: number;
  status: ProvisionedConcurrency['status'];
  statusReason?: string;
}

const keyOf = (name: string, version: string) => `${name}\n${version}`;

/** The configurations of every fake function's versions (see module doc). */
export class FakeProvisioning {
  /** Plans by image digest; digests without one follow `defaultPlan`. */
  readonly plans = new Map<string, ProvisioningPlan>();
  defaultPlan: ProvisioningPlan = provisioningPlans.ready;
  private readonly configs = new Map<string, Config>();

  /** Replaces the version's configuration: its count, and provisioning starts over. */
  put(name: string, version: string, digest: string, count: number): ProvisionedConcurrency {
    const config: Config = { digest, requested: count, polls: 0, status: 'IN_PROGRESS' };
    this.configs.set(keyOf(name, version), config);
    this.advance(config);
    return this.view(config);
  }

  /** The configuration, or null; each read is one poll of its provisioning. */
  get(name: string, version: string): ProvisionedConcurrency | null {
    const config = this.configs.get(keyOf(name, version));
    if (!config) return null;
    config.polls += 1;
    this.advance(config);
    return this.view(config);
  }

  delete(name: string, version: string): void {
    this.configs.delete(keyOf(name, version));
  }

  /** Environments of the version that are provisioned and initialized: they answer warm. */
  warm(name: string, version: string): number {
    const config = this.configs.get(keyOf(name, version));
    return config?.status === 'READY' ? config.requested : 0;
  }

  /** READY and FAILED are final until the next put; the plan is read now, so tests may set it late. */
  private advance(config: Config): void {
    if (config.status !== 'IN_PROGRESS') return;
    const plan = this.plans.get(config.digest) ?? this.defaultPlan;
    if (plan.outcome === 'never' || config.polls < plan.polls) return;
    if (plan.outcome === 'ready') config.status = 'READY';
    else [config.status, config.statusReason] = ['FAILED', plan.statusReason];
  }

  private view(config: Config): ProvisionedConcurrency {
    const allocated = config.status === 'READY' ? config.requested : 0;
    return {
      requested: config.requested,
      allocated,
      available: allocated,
      status: config.status,
      ...(config.statusReason ? { statusReason: config.statusReason } : {}),
    };
  }
}
