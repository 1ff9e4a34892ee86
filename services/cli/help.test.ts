import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './command-specs.ts';
import { runCli } from './main.ts';

async function ferry(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t) },
    env: {},
    fetch: (async () => {
      throw new Error('help sends nothing');
    }) as typeof fetch,
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('CLI: help and version', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    'ferry %s --help describes the command, every flag it takes and an example',
    async (name, spec) => {
      const { code, out } = await ferry([name, '--help']);
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`^usage: ferry ${name}`));
      expect(out).toContain(spec.summary);
      for (const f of spec.flags)
        expect(out).toMatch(new RegExp(`^  --${f.name}\\b.* {2}\\S`, 'm'));
      expect(out).toMatch(/^ {2}--debug\b/m);
      expect(out).toMatch(new RegExp(`^example:\\n {2}ferry ${name} `, 'm'));
      expect((await ferry(['help', name])).out).toBe(out);
    },
  );

  it('gives each command its own help, not the global usage', async () => {
    const deploy = (await ferry(['deploy', '--help'])).out;
    const logs = (await ferry(['logs', '-h'])).out;
    expect(deploy).not.toBe(logs);
    expect(deploy).not.toBe((await ferry(['--help'])).out);
    expect(logs).toContain('--follow');
    expect(deploy).not.toContain('--follow');
  });

  it("prints package.json's version with --version", async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const { code, out } = await ferry(['--version']);
    expect(code).toBe(0);
    expect(out).toBe(`ferry ${version}\n`);
  });

  it('lists every command in the global usage and points at per-command help', async () => {
    const { code, out } = await ferry(['--help']);
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(out).toMatch(new RegExp(`^ {2}${c.name}\\b`, 'm'));
    expect(out).toContain('ferry <command> --help');
  });

  it('still reads logs --version N as the version to show', async () => {
    const { code, err } = await ferry(['logs', 'orders', '--version', 'v7']);
    expect(code).toBe(2);
    expect(err).toBe('ferry: --version v7: expected a version number or $LATEST\n');
  });
});
