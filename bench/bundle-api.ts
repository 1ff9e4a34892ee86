import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundles the API Lambda as the stack does (ESM, node22, minified, AWS SDK external). */
export async function bundleApi(): Promise<{ file: string; bytes: number }> {
  // Inside the checkout so the external AWS SDK resolves from node_modules, as Lambda's runtime provides it.
  const dir = fileURLToPath(new URL('../node_modules/.ferry-bench/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'api.mjs');
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../services/api/handler.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    external: ['@aws-sdk/*'],
    // As FERRY_BUNDLING: the web page's .tsx uses Hono's JSX runtime.
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    outfile: out,
    metafile: true,
    // ESM bundles need require() for CJS dependencies.
    banner: {
      js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  return { file: out, bytes };
}
