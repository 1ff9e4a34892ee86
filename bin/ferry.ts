#!/usr/bin/env -S node --import tsx
/** The `ferry` command: see services/cli/main.ts. */
import { EXIT } from '../services/cli/exit-codes.ts';
import { runCli } from '../services/cli/main.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`ferry history f | head -1`) closes the pipe: stop quietly, as
// programs killed by SIGPIPE do, rather than die on an unhandled EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE')
    process.stderr.write(`ferry: cannot write the output (${error.code ?? error.message})\n`);
  process.exit(error.code === 'EPIPE' ? EXIT.closedPipe : EXIT.internal);
});
const code = await runCli(process.argv.slice(2), {
  stdout: { write: (t) => process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY) },
  stderr: { write: (t) => process.stderr.write(t) },
  env: process.env,
});
process.exitCode = code;
