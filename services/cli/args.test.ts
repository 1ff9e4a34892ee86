import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './args.ts';
import { closest, editDistance } from './suggest.ts';

/** The message parseCommandLine refuses `argv` with. */
function refusal(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('CLI: did you mean', () => {
  it('counts insertions, deletions, substitutions and a swap of neighbours as one edit each', () => {
    expect(editDistance('wait', 'wait')).toBe(0);
    expect(editDistance('wiat', 'wait')).toBe(1);
    expect(editDistance('folow', 'follow')).toBe(1);
    expect(editDistance('imag', 'image')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the nearest candidate only when it is close enough to be what was meant', () => {
    expect(closest('deplyo', ['deploy', 'doctor', 'status'])).toBe('deploy');
    expect(closest('histroy', ['history', 'status'])).toBe('history');
    expect(closest('launch', ['deploy', 'doctor', 'status'])).toBeNull();
  });
});

describe('CLI: the command line', () => {
  it('parses a command, its positionals and its flags', () => {
    const parsed = parseCommandLine([
      'deploy',
      'orders',
      '--image',
      'r:t',
      '--build-arg',
      'A=1',
      '--build-arg',
      'B=2',
      '--wait',
    ]);
    expect(parsed.positionals).toEqual(['deploy', 'orders']);
    expect(parsed.values).toMatchObject({ image: 'r:t', 'build-arg': ['A=1', 'B=2'], wait: true });
  });

  it.each([
    [['status', 'd-x', '--wiat'], 'unknown option --wiat: did you mean --wait?'],
    [['--wiat'], 'unknown option --wiat: did you mean --wait?'],
    [['deploy', 'f', '--imgae', 'r:t'], 'unknown option --imgae: did you mean --image?'],
    [['deploy', 'f', '--bogus'], 'unknown option --bogus: see ferry deploy --help'],
    [['deplyo', 'f'], 'unknown command deplyo: did you mean deploy?'],
    [['launch'], 'unknown command launch: see ferry --help for the commands'],
    [['help', 'deplyo'], 'unknown command deplyo: did you mean deploy?'],
    [['status', 'd-x', '--follow'], 'ferry status does not take --follow: see ferry status --help'],
    [['history', 'f', '--limt', '3'], 'unknown option --limt: did you mean --limit?'],
    [['deploy', 'f', '--image'], '--image needs a value: --image REF'],
    [['deploy', 'f', '--image', '--wait'], '--image needs a value: --image REF'],
    [['status', 'd-x', '--wait=yes'], '--wait takes no value: give --wait alone'],
  ])('refuses %j: %s', (argv, message) => {
    expect(refusal(argv)).toContain(message);
  });

  it('takes a value that starts with - when it is given inline', () => {
    expect(parseCommandLine(['logs', 'f', '--since=-1']).values.since).toBe('-1');
  });
});
