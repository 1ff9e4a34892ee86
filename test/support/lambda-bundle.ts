/**
 * Bundles a Ferry Lambda entry the way the stack does: esbuild with FERRY_BUNDLING's settings,
 * translated option by option, so the bench and the bundled-handler test measure and run what
 * `cdk deploy` would upload.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { FERRY_BUNDLING } from '../../infra/constructs/ferry-function.ts';

/** A bundle on disk and what went into it. */
export interface LambdaBundle {
  readonly file: string;
  readonly bytes: number;
  /** Bytes of the output that came from each input file (esbuild's metafile). */
  readonly inputs: Metafile['outputs'][string]['inputs'];
}

/**
 * Bundles `entry` (a path from the checkout's root) to `<outDir>/<name>.mjs`. `external`
 * overrides FERRY_BUNDLING's externals (the bench's "SDK from the runtime" comparison).
 */
export async function bundleLambda(
  entry: string,
  outDir: string,
  name: string,
  external?: readonly string[],
): Promise<LambdaBundle> {
  const b = FERRY_BUNDLING;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.mjs`);
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    target: b.target ?? 'node22',
    format: 'esm',
    minify: b.minify ?? false,
    mainFields: b.mainFields ? [...b.mainFields] : ['module', 'main'],
    external: [...(external ?? b.externalModules ?? [])],
    alias: Object.fromEntries(
      Object.entries(b.esbuildArgs ?? {})
        .filter(([flag]) => flag.startsWith('--alias:'))
        .map(([flag, to]) => [flag.slice('--alias:'.length), String(to)]),
    ),
    jsx: b.esbuildArgs?.['--jsx'] === 'automatic' ? 'automatic' : 'transform',
    jsxImportSource: String(b.esbuildArgs?.['--jsx-import-source'] ?? ''),
    ...(b.banner ? { banner: { js: b.banner } } : {}),
    sourcemap: b.sourceMap ?? false,
    sourcesContent: b.sourcesContent ?? true,
    outfile,
    // As CDK runs esbuild: from the project root (FERRY_BUNDLING's alias paths are relative to it).
    absWorkingDir: root,
    metafile: true,
    logLevel: 'silent',
  });
  // The code, not its source map (also an output when FERRY_BUNDLING asks for one).
  const output = Object.entries(result.metafile.outputs).find(([path]) =>
    path.endsWith('.mjs'),
  )?.[1];
  if (!output) throw new Error(`esbuild wrote no output for ${entry}`);
  return { file: outfile, bytes: output.bytes, inputs: output.inputs };
}

/** The bytes of a bundle that came from inputs matching `test` (e.g. the AWS SDK's packages). */
export function bytesFrom(bundle: LambdaBundle, test: (input: string) => boolean): number {
  return Object.entries(bundle.inputs)
    .filter(([input]) => test(input))
    .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
}

/** Inputs from the AWS SDK and its Smithy runtime. */
export const isAwsSdk = (input: string) =>
  /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(input);
