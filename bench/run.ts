/** `npm run bench`: prints figures and ratios; asserts nothing. `--no-local` skips local mode's parts. */
import '../local/polyfills.ts';
import { benchApi } from './api.ts';
import { benchCli } from './cli.ts';
import { benchGc } from './gc.ts';
import { benchHistory } from './history.ts';
import { benchLocal } from './local.ts';
import { benchReleases } from './releases.ts';
import { benchSlack } from './slack.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
console.log(`Ferry bench — node ${process.version}, ${new Date().toISOString()}`);
for (const line of await benchApi()) console.log(`  ${line}`);
for (const line of await benchCli()) console.log(`  ${line}`);
for (const line of await benchSlack()) console.log(`  ${line}`);
for (const line of await benchHistory()) console.log(`  ${line}`);
for (const line of await benchGc()) console.log(`  ${line}`);
if (!process.argv.includes('--no-local')) {
  for (const line of await benchLocal()) console.log(`  ${line}`);
  for (const line of await benchReleases()) console.log(`  ${line}`);
}
