import { describe, expect, it } from 'vitest';
import { checkAliasRouting, routedVersion } from './alias-routing.ts';

const check = (routing: Parameters<typeof checkAliasRouting>[2]) => () =>
  checkAliasRouting('api', 'live', routing);

describe('checkAliasRouting', () => {
  it('accepts one version alone, and a second version with a weight in [0, 1)', () => {
    expect(check({ version: '6', additional: null })).not.toThrow();
    expect(check({ version: '6', additional: { version: '7', weight: 0 } })).not.toThrow();
    expect(check({ version: '6', additional: { version: '7', weight: 0.999 } })).not.toThrow();
  });

  it.each([
    [{ version: '$LATEST', additional: null }, /version "\$LATEST" is not a published version/],
    [{ version: '6', additional: { version: '$LATEST', weight: 0.1 } }, /additional version/],
    [{ version: '6', additional: { version: '6', weight: 0.1 } }, /is the primary version/],
    [{ version: '6', additional: { version: '7', weight: 1 } }, /weight 1 .* must be in \[0, 1\)/],
    [{ version: '6', additional: { version: '7', weight: -0.01 } }, /weight -0.01/],
    [{ version: '6', additional: { version: '7', weight: Number.NaN } }, /weight NaN/],
  ])('refuses %j', (routing, message) => {
    expect(check(routing)).toThrow(expect.objectContaining({ name: 'InvalidRequestError' }));
    expect(check(routing)).toThrow(message);
  });
});

describe('routedVersion', () => {
  const routing = { version: '6', additional: { version: '7', weight: 0.25 } };

  it('sends a draw below the weight to the additional version, the rest to the primary', () => {
    expect(routedVersion(routing, 0)).toBe('7');
    expect(routedVersion(routing, 0.2499)).toBe('7');
    expect(routedVersion(routing, 0.25)).toBe('6');
    expect(routedVersion(routing, 0.9999)).toBe('6');
  });

  it('never picks an additional version of weight 0, nor one that is not there', () => {
    expect(routedVersion({ version: '6', additional: { version: '7', weight: 0 } }, 0)).toBe('6');
    expect(routedVersion({ version: '6', additional: null }, 0)).toBe('6');
  });
});
