import '../local/polyfills.ts';
import { benchReleases } from '../bench/releases.ts';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
for (const line of await benchReleases()) console.log(line);
