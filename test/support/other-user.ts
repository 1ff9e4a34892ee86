/**
 * Runs a small Node script as another user (nobody, uid 65534): what any other account on a shared
 * machine could do. Tests run as root, and root passes every file-mode check, so only another
 * user's process shows whether a socket's or a file's mode really keeps others out.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const NOBODY = '65534';

/**
 * Runs `script` (an ES module; `process.argv[1…]` are `args`) as nobody and returns its stdout.
 * Asynchronous: the server it talks to often runs in this very process.
 */
export async function runAsOtherUser(
  script: string,
  args: readonly string[] = [],
): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'setpriv',
    [
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      '--clear-groups',
      process.execPath,
      '--input-type=module',
      '-e',
      script,
      ...args,
    ],
    { cwd: '/', encoding: 'utf8', timeout: 20_000 },
  );
  return stdout.trim();
}
