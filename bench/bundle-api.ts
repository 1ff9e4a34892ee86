import { fileURLToPath } from 'node:url';
import { bundleLambda, type LambdaBundle } from '../test/support/lambda-bundle.ts';

// Inside the checkout so a bundle with the SDK external resolves it from node_modules, as
// Lambda's runtime would provide it.
const dir = fileURLToPath(new URL('../node_modules/.ferry-bench/', import.meta.url));

/** Bundles the API Lambda as the stack does (FERRY_BUNDLING: ESM, minified, AWS SDK bundled). */
export function bundleApi(): Promise<LambdaBundle> {
  return bundleLambda('services/api/handler.ts', dir, 'api');
}

/** The same bundle with the AWS SDK left to the runtime: the comparison for its cold init. */
export function bundleApiSdkExternal(): Promise<LambdaBundle> {
  return bundleLambda('services/api/handler.ts', dir, 'api-sdk-external', ['@aws-sdk/*']);
}

/** A worker (SmokeInvoke, on every deploy's path) bundled as the stack does, and SDK-external. */
export async function bundleWorker(): Promise<{
  bundled: LambdaBundle;
  sdkExternal: LambdaBundle;
}> {
  const entry = 'services/workers/smoke-invoke/handler.ts';
  return {
    bundled: await bundleLambda(entry, dir, 'smoke-invoke'),
    sdkExternal: await bundleLambda(entry, dir, 'smoke-invoke-sdk-external', ['@aws-sdk/*']),
  };
}
