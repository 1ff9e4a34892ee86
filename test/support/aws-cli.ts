/**
 * The AWS CLI v2 as Debian's `awscli` installs it (`/usr/bin/aws`), run with execFile and an
 * environment of its own: dummy credentials, us-east-1, no shared config or credentials file,
 * no pager. The path is explicit because an `aws` earlier on PATH may be a v1 shim.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's AWS CLI v2. */
export const AWS_CLI = '/usr/bin/aws';

/** A CLI bound to a private HOME that {@link AwsCli.dispose} removes. */
export interface AwsCli {
  /** The private HOME, for output files. */
  readonly home: string;
  /** Runs `aws …args`; rejects on a non-zero exit with the CLI's stderr. */
  run(args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  dispose(): Promise<void>;
}

/** The CLI, after checking that `/usr/bin/aws --version` is aws-cli/2. */
export async function awsCli(): Promise<AwsCli> {
  const home = await mkdtemp(join(tmpdir(), 'ferry-aws-cli-'));
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIDFERRYCLI',
    AWS_SECRET_ACCESS_KEY: 'ferry-cli-secret',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const cli: AwsCli = {
    home,
    run: (args) => run(AWS_CLI, [...args], { env, cwd: home }),
    dispose: () => rm(home, { recursive: true, force: true }),
  };
  const { stdout, stderr } = await cli.run(['--version']);
  const version = `${stdout}${stderr}`.trim();
  if (!version.startsWith('aws-cli/2.')) {
    await cli.dispose();
    throw new Error(
      `${AWS_CLI} is ${version || 'silent'}, expected aws-cli/2: apt-get install awscli`,
    );
  }
  return cli;
}
