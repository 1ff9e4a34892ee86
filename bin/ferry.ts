#!/usr/bin/env -S node --import tsx
/** The `ferry` command: see services/cli/main.ts. */
import { runCli } from '../services/cli/main.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const code = await runCli(process.argv.slice(2), {
  stdout: { write: (t) => process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY) },
  stderr: { write: (t) => process.stderr.write(t) },
  env: process.env,
});
process.exitCode = code;
