/** The `ferry` CLI as ESM bundles, so the bin starts as plain JavaScript (no tsx at run time). */
import { rmSync } from 'node:fs';
import { type BuildOptions, build, type Plugin } from 'esbuild';

/** Where the bin looks for the bundle's entry. */
export const CLI_BUNDLE = new URL('../dist/cli/ferry.mjs', import.meta.url);

const source = (path: string) => new URL(`../${path}`, import.meta.url).pathname;

/**
 * SigV4's SDK parts stay a bundle of their own that sigv4.ts imports at the first signed request:
 * inlined, their `node:` imports (http2, child_process, crypto, …) would load at every start-up.
 */
const sdkApart: Plugin = {
  name: 'sigv4-sdk-apart',
  setup(b) {
    b.onResolve({ filter: /\/sigv4-sdk\.ts$/ }, () => ({
      path: './sigv4-sdk.mjs',
      external: true,
    }));
  },
};

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * Bundles bin/ferry.ts into dist/cli/ferry.mjs — one file, so start-up loads one module — and
 * services/cli/sigv4-sdk.ts into dist/cli/sigv4-sdk.mjs beside it.
 */
export async function buildCliBundle(): Promise<void> {
  const dir = new URL('.', CLI_BUNDLE);
  rmSync(dir, { recursive: true, force: true });
  await Promise.all([
    build({
      ...common,
      entryPoints: [source('bin/ferry.ts')],
      outfile: CLI_BUNDLE.pathname,
      plugins: [sdkApart],
    }),
    build({
      ...common,
      entryPoints: [source('services/cli/sigv4-sdk.ts')],
      // The AWS SDK's CommonJS parts call require(): give this ESM bundle one.
      banner: {
        js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);",
      },
      outfile: new URL('sigv4-sdk.mjs', dir).pathname,
    }),
  ]);
}
