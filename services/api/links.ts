import type { ApiConfig } from './deps.ts';

/** Where a client goes next from a deployment; absolute when `publicBaseUrl` is configured. */
export function deploymentLinks(
  config: Pick<ApiConfig, 'publicBaseUrl'>,
  id: string,
  functionName: string,
) {
  const base = (config.publicBaseUrl ?? '').replace(/\/+$/, '');
  return {
    self: `${base}/v1/deployments/${id}`,
    history: `${base}/v1/functions/${functionName}/deployments`,
    function: `${base}/v1/functions/${functionName}`,
  };
}
