/** The usage text and each command's help, rendered from command-specs.ts. */
import { COMMANDS, type CommandSpec, type FlagSpec, GLOBAL_FLAGS } from './command-specs.ts';
import { EXIT } from './exit-codes.ts';

const flagForm = (f: FlagSpec) => `--${f.name}${f.value ? ` ${f.value}` : ''}`;

const EXIT_CODES = `${EXIT.ok} done, ${EXIT.failed} refused or failed (the API, the deployment, a doctor check), ${EXIT.usage} usage, ${EXIT.internal} unexpected error, ${EXIT.closedPipe} output closed early`;

const ENVIRONMENT = `environment: FERRY_URL (default http://127.0.0.1:8787), FERRY_TOKEN (local mode bearer token);
  an API Gateway FERRY_URL (*.execute-api.<region>.amazonaws.com) is signed with SigV4 from the
  standard AWS credential chain (FERRY_AUTH=sigv4 forces it, with AWS_REGION).`;

/** `ferry --help`: every command's forms, the global flags and the environment. */
export function usage(): string {
  const forms = COMMANDS.flatMap((c) => c.usage.map((line) => `  ${line}`));
  return [
    'usage: ferry <command> [options]',
    '',
    ...forms,
    '',
    'options:',
    ...GLOBAL_FLAGS.map((f) => `  ${flagForm(f).padEnd(8)} ${f.text}`),
    '  ferry <command> --help: what a command does, its flags and an example; ferry --version',
    `exit codes: ${EXIT_CODES}`,
    ENVIRONMENT,
  ].join('\n');
}

/** `ferry <command> --help`: what it does, its forms, every flag it takes and an example. */
export function commandHelp(spec: CommandSpec): string {
  const flags = [...spec.flags, ...GLOBAL_FLAGS];
  const width = Math.max(...flags.map((f) => flagForm(f).length));
  return [
    ...spec.usage.map((line, i) =>
      // A line that starts with spaces continues the form above it.
      i === 0
        ? `usage: ferry ${line}`
        : `${' '.repeat(7)}${line.startsWith(' ') ? '      ' : 'ferry '}${line}`,
    ),
    '',
    spec.summary,
    '',
    'flags:',
    ...flags.map((f) => `  ${flagForm(f).padEnd(width)}  ${f.text}`),
    '',
    'example:',
    ...spec.examples.map((e) => `  ${e}`),
  ].join('\n');
}
