/**
 * A deployment record for tests: a plausible PENDING image deployment of `orders`, with just the
 * fields a test cares about overridden.
 */
import type { Deployment } from '../../services/core/deployment.ts';

export function aDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9',
    functionName: 'orders',
    status: 'PENDING',
    createdAt: '2026-11-28T12:00:00.000Z',
    updatedAt: '2026-11-28T12:00:00.000Z',
    trigger: { kind: 'api' },
    request: { image: 'team/orders:v2' },
    steps: [],
    ...overrides,
  };
}
