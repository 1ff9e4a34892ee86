import { describe, expect, it } from 'vitest';
import { isDeploymentId, newDeploymentId } from './ids.ts';

describe('Function: newDeploymentId', () => {
  it('makes ids that sort by creation time and fit execution-name rules', () => {
    const early = newDeploymentId(new Date('2026-01-01T00:00:00Z'));
    const late = newDeploymentId(new Date('2026-01-01T00:00:01Z'));
    expect(early < late).toBe(true);
    expect(early).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(isDeploymentId(early)).toBe(true);
  });

  it('makes distinct ids within one millisecond', () => {
    const now = new Date();
    const ids = new Set(Array.from({ length: 1000 }, () => newDeploymentId(now)));
    expect(ids.size).toBe(1000);
  });

  it('rejects ids that are not deployment ids', () => {
    expect(isDeploymentId('d-123')).toBe(false);
    expect(isDeploymentId('../../etc/passwd')).toBe(false);
    expect(isDeploymentId(`d-${'U'.repeat(26)}`)).toBe(false);
  });
});
