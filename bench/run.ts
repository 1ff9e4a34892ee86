/** `npm run bench`: prints figures and ratios; asserts nothing. */
import { benchApi } from './api.ts';

console.log(`Ferry bench — node ${process.version}, ${new Date().toISOString()}`);
for (const line of await benchApi()) console.log(`  ${line}`);
