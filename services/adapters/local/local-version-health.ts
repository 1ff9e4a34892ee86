/**
 * The VersionHealth port in local mode: the local function host's own per-version counts of
 * the calls through each alias (local/function-host/version-metrics.ts), for any window. Like
 * CloudWatch, a function, alias or version nobody called has all-zero figures.
 */
import type { FunctionHost } from '../../../local/function-host/function-host.ts';
import type { VersionHealth, VersionSample } from '../../core/ports.ts';

/** VersionHealth over the local function host. */
export class LocalVersionHealth implements VersionHealth {
  constructor(private readonly host: Pick<FunctionHost, 'metrics'>) {}

  async sample(
    name: string,
    alias: string,
    version: string,
    from: Date,
    to: Date,
  ): Promise<VersionSample> {
    return this.host.metrics.sample(name, alias, version, from.getTime(), to.getTime());
  }
}
