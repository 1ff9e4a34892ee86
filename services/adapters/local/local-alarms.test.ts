import { describe, expect, it } from 'vitest';
import { LocalAlarms } from './local-alarms.ts';

describe('Class: LocalAlarms', () => {
  it('answers an empty list with an empty list: a function naming no alarms releases locally', async () => {
    await expect(new LocalAlarms().states([])).resolves.toEqual([]);
  });

  it('refuses every named alarm, saying local mode has no CloudWatch alarms', async () => {
    const error = await new LocalAlarms().states(['orders-errors', 'orders-p90']).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ name: 'NotFoundError', kind: 'not-found' });
    expect(error?.message).toContain("'orders-errors', 'orders-p90'");
    expect(error?.message).toMatch(/CloudWatch alarms, which local mode does not have/);
    expect(error?.message).toContain('judge.alarms');
  });
});
