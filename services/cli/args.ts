/**
 * The command line as a command's options: every flag checked against the command's own list
 * (command-specs.ts), so a typo or a flag another command takes is one `ferry:` line that says
 * what was meant — never Node's parser message.
 */
import { parseArgs } from 'node:util';
import { COMMANDS, commandSpec, type FlagSpec, GLOBAL_FLAGS } from './command-specs.ts';
import type { CommandOptions } from './commands.ts';
import { UsageError } from './commands.ts';
import { closest } from './suggest.ts';

const ALL_FLAGS = new Map<string, FlagSpec>(
  [...GLOBAL_FLAGS, ...COMMANDS.flatMap((c) => c.flags)].map((f) => [f.name, f]),
);

const OPTIONS = Object.fromEntries(
  [...ALL_FLAGS.values()].map((f) => [
    f.name,
    {
      type: f.value ? ('string' as const) : ('boolean' as const),
      ...(f.multiple ? { multiple: true } : {}),
      ...(f.name === 'help' ? { short: 'h' } : {}),
    },
  ]),
);

/** Where a command's help is: `ferry deploy --help`, or the global one. */
export const helpPointer = (command: string | undefined) =>
  command && commandSpec(command) ? `see ferry ${command} --help` : 'see ferry --help';

function unknownCommand(command: string): UsageError {
  const names = [...COMMANDS.map((c) => c.name), 'help'];
  const meant = closest(command, names);
  return new UsageError(
    `unknown command ${command}: ${meant ? `did you mean ${meant}?` : 'see ferry --help for the commands'}`,
  );
}

/** A flag the command does not take: the nearest one it does, or where its flags are listed. */
function unknownFlag(rawName: string, command: string | undefined): UsageError {
  const spec = command ? commandSpec(command) : undefined;
  // Without a command, any command's flag may have been meant.
  const own = spec ? [...spec.flags, ...GLOBAL_FLAGS].map((f) => f.name) : [...ALL_FLAGS.keys()];
  const name = rawName.replace(/^-+/, '');
  const meant = closest(name, own);
  const fix = meant ? `did you mean --${meant}?` : helpPointer(command);
  if (ALL_FLAGS.has(name) && spec)
    return new UsageError(`ferry ${spec.name} does not take ${rawName}: ${fix}`);
  return new UsageError(`unknown option ${rawName}: ${fix}`);
}

/** Parses `argv`; a UsageError names the first mistake and what to type instead. */
export function parseCommandLine(argv: readonly string[]): CommandOptions {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const command = positionals[0];
  const spec = command ? commandSpec(command) : undefined;
  if (command && !spec && command !== 'help' && !values.help) throw unknownCommand(command);
  const topic = command === 'help' ? positionals[1] : undefined;
  if (topic && !commandSpec(topic)) throw unknownCommand(topic);
  const allowed = new Set([...(spec?.flags ?? []), ...GLOBAL_FLAGS].map((f) => f.name));
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = ALL_FLAGS.get(token.name);
    if (!flag || (spec && !allowed.has(flag.name))) throw unknownFlag(token.rawName, command);
    if (
      flag.value &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))
    )
      throw new UsageError(
        `${token.rawName} needs a value: ${token.rawName} ${flag.value} (a value that starts with - as ${token.rawName}=VALUE)`,
      );
    if (!flag.value && token.value !== undefined)
      throw new UsageError(`${token.rawName} takes no value: give ${token.rawName} alone`);
  }
  return { values, positionals };
}
