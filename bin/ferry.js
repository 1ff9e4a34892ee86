#!/usr/bin/env node
// npm `bin` entry: runs the CLI's bundle (`npm run build:cli`, which `npm ci` runs as `prepare`),
// plain JavaScript that starts in about the time of Node itself; from source through tsx when
// the bundle was never built.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/ferry.mjs', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'ferry: dist/cli/ferry.mjs is missing, running from source (slower): run `npm run build:cli` in the Ferry checkout\n',
  );
  const { register } = await import('tsx/esm/api');
  register();
  await import('./ferry.ts');
}
