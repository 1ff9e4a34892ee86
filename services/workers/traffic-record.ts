/**
 * The deployment record's `traffic`: where a release is, for people (status --wait, the web page,
 * notifications). Only the workflow writes it, one step at a time, so a read-modify-write is safe.
 */
import type { Deployment } from '../core/deployment.ts';
import { NotFoundError } from '../core/errors.ts';
import type { DeploymentStore } from '../core/ports.ts';
import type { ReleasePlan } from '../core/release-plan.ts';

/** The record's traffic. */
export type TrafficRecord = NonNullable<Deployment['traffic']>;

/** A fresh traffic record for a plan, before any weight moved. */
export function initialTraffic(plan: ReleasePlan): TrafficRecord {
  return {
    strategy: plan.strategy,
    steps: plan.steps.map((s) => ({ weight: s.weight, holdSeconds: s.holdSeconds })),
    step: 0,
    weight: 0,
    phase: 'holding',
    extensions: 0,
    judgements: [],
    preexistingAlarms: [...plan.alarmsAtStart],
  };
}

/** Applies `change` to the record's traffic (a fresh one for `plan` when absent); returns the record. */
export async function patchTraffic(
  store: DeploymentStore,
  deploymentId: string,
  plan: ReleasePlan,
  change: (traffic: TrafficRecord) => TrafficRecord,
): Promise<Deployment> {
  const deployment = await store.get(deploymentId);
  if (!deployment) throw new NotFoundError(`deployment ${deploymentId} not found`);
  const traffic = change(deployment.traffic ?? initialTraffic(plan));
  return store.update(deploymentId, { traffic });
}

/** `25%`. */
export function percentOf(weight: number): string {
  return `${Math.round(weight * 1000) / 10}%`;
}
