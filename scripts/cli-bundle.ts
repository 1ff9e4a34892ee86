/** The `ferry` CLI as one ESM bundle, so the bin starts as plain JavaScript (no tsx at run time). */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/** Where the bin looks for the bundle's entry. */
export const CLI_BUNDLE = new URL('../dist/cli/ferry.mjs', import.meta.url);

/**
 * Bundles bin/ferry.ts and its dependencies into dist/cli/: `ferry.mjs` and the chunks it loads
 * only when needed (the AWS SDK's credential chain, at the first SigV4-signed request).
 */
export async function buildCliBundle(): Promise<void> {
  // Chunk names carry a hash: clear the last build's so none lingers.
  rmSync(new URL('.', CLI_BUNDLE), { recursive: true, force: true });
  await build({
    entryPoints: { ferry: new URL('../bin/ferry.ts', import.meta.url).pathname },
    outdir: new URL('.', CLI_BUNDLE).pathname,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // The AWS SDK's CommonJS parts call require(): give the ESM bundle one.
    banner: {
      js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);",
    },
  });
}
