import type { ApiConfig } from './deps.ts';

const baseOf = (config: Pick<ApiConfig, 'publicBaseUrl'>) =>
  (config.publicBaseUrl ?? '').replace(/\/+$/, '');

/** A function's settings and history; absolute when `publicBaseUrl` is configured. */
export function functionLinks(config: Pick<ApiConfig, 'publicBaseUrl'>, functionName: string) {
  const base = baseOf(config);
  return {
    function: `${base}/v1/functions/${functionName}`,
    history: `${base}/v1/functions/${functionName}/deployments`,
  };
}

/** Where a client goes next from a deployment; absolute when `publicBaseUrl` is configured. */
export function deploymentLinks(
  config: Pick<ApiConfig, 'publicBaseUrl'>,
  id: string,
  functionName: string,
  options: { readonly build?: boolean } = {},
) {
  const { function: fn, history } = functionLinks(config, functionName);
  const self = `${baseOf(config)}/v1/deployments/${id}`;
  return {
    self,
    history,
    function: fn,
    ...(options.build ? { buildLog: `${self}/build-log` } : {}),
  };
}
