/**
 * Compares a role's granted actions with the actions its Lambda's bundle can call, both ways.
 */

/** What a role is expected to hold besides the actions its code calls, and what it may leave out. */
export interface RoleExpectation {
  /** Granted though the code never calls them (e.g. Lambda's own log writes), each for a reason. */
  readonly grantedNotCalled: readonly string[];
  /** Bundled (through an adapter the Lambda shares with others) but never sent on its path. */
  readonly notSent: readonly string[];
}

/** The differences between a role and its bundle; all empty when they agree. */
export interface RoleMismatch {
  /** Granted, but nothing in the bundle can call them: over-privilege. */
  readonly overGranted: string[];
  /** The bundle can call them, the role may not: the Lambda would fail on AWS. */
  readonly missing: string[];
  /** Expectations that no longer hold (listed as not sent yet granted or no longer bundled, …). */
  readonly stale: string[];
}

/** Where `granted` and `derived` (the bundle's actions) disagree, given the role's expectation. */
export function roleMismatch(
  derived: readonly string[],
  granted: readonly string[],
  expected: RoleExpectation,
): RoleMismatch {
  const has = (list: readonly string[]) => (action: string) => list.includes(action);
  const not = (test: (a: string) => boolean) => (a: string) => !test(a);
  return {
    overGranted: granted.filter(not(has(derived))).filter(not(has(expected.grantedNotCalled))),
    missing: derived.filter(not(has(granted))).filter(not(has(expected.notSent))),
    stale: [
      ...expected.notSent.filter(has(granted)).map((a) => `${a} is listed as not sent but granted`),
      ...expected.notSent
        .filter(not(has(derived)))
        .map((a) => `${a} is listed as not sent but not bundled`),
      ...expected.grantedNotCalled
        .filter(not(has(granted)))
        .map((a) => `${a} is listed as granted but is not`),
      ...expected.grantedNotCalled
        .filter(has(derived))
        .map((a) => `${a} is listed as not called but the bundle calls it`),
    ],
  };
}
