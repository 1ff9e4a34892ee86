import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../core/errors.ts';
import { gcOptionsOf } from './gc-event.ts';

describe('gcOptionsOf', () => {
  it("runs with the configured policy on the schedule's event", () => {
    expect(gcOptionsOf({})).toEqual({});
    expect(gcOptionsOf(null)).toEqual({});
  });

  it("takes the API's options", () => {
    expect(gcOptionsOf({ dryRun: true, policy: { rollbackDepth: 2 } })).toEqual({
      dryRun: true,
      policy: { rollbackDepth: 2 },
    });
  });

  it('refuses options of the wrong type', () => {
    expect(() => gcOptionsOf({ dryRun: 'yes' })).toThrow(InvalidRequestError);
  });
});
