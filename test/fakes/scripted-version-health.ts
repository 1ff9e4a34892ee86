import type { VersionHealth, VersionSample } from '../../services/core/ports.ts';

const QUIET: VersionSample = { invocations: 0, errors: 0, throttles: 0, durationP90Ms: null };

/** A sample request as the judge made it. */
export interface SampleCall {
  readonly name: string;
  readonly alias: string;
  readonly version: string;
  readonly from: Date;
  readonly to: Date;
}

/**
 * VersionHealth whose figures a test scripts per version (a fixed sample, or one per call in
 * order, the last repeating); every call is kept so a test can check the windows judged.
 */
export class ScriptedVersionHealth implements VersionHealth {
  readonly calls: SampleCall[] = [];
  private readonly scripts = new Map<string, VersionSample[]>();

  /** What `version` reports: one sample for every window, or one per window in order. */
  script(version: string, ...samples: VersionSample[]): void {
    this.scripts.set(version, samples);
  }

  async sample(
    name: string,
    alias: string,
    version: string,
    from: Date,
    to: Date,
  ): Promise<VersionSample> {
    this.calls.push({ name, alias, version, from, to });
    const script = this.scripts.get(version) ?? [QUIET];
    const seen = this.calls.filter((c) => c.version === version).length;
    return script[Math.min(seen - 1, script.length - 1)] ?? QUIET;
  }
}

/** `n` invocations with `errors` errors and nothing throttled. */
export function healthy(invocations: number, errors = 0): VersionSample {
  return { invocations, errors, throttles: 0, durationP90Ms: 20 };
}
