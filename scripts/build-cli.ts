/** `npm run build:cli` (and `prepare`, so `npm ci` runs it): writes dist/cli/ferry.mjs for bin/ferry.js. */
import { buildCliBundle, CLI_BUNDLE } from './cli-bundle.ts';

await buildCliBundle();
console.log(`built ${CLI_BUNDLE.pathname}`);
