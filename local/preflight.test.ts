import { describe, expect, it } from 'vitest';
import {
  aptCommand,
  checkLocalTools,
  isStaticElf,
  type PreflightSystem,
  REQUIRED_TOOLS,
} from './preflight.ts';

/** A machine with the given tools (name → static?) and a recorded command runner. */
function machine(
  present: Record<string, boolean>,
  options: { root?: boolean; apt?: boolean; installs?: Record<string, boolean> } = {},
) {
  const tools = { ...present };
  const commands: string[] = [];
  const system: PreflightSystem = {
    which: async (tool) => {
      if (tool === 'apt-get') return options.apt === false ? null : '/usr/bin/apt-get';
      return tool in tools ? `/usr/bin/${tool}` : null;
    },
    isStaticElf: async (path) => tools[path.replace('/usr/bin/', '')] === true,
    isRoot: () => options.root ?? true,
    run: async (command, args) => {
      commands.push([command, ...args].join(' '));
      // apt-get install makes the packages' tools appear.
      if (args[0] === 'install') Object.assign(tools, options.installs ?? {});
    },
  };
  return { system, commands };
}

const ALL = Object.fromEntries(REQUIRED_TOOLS.map((t) => [t.tool, true]));
const without = (...names: string[]) =>
  Object.fromEntries(Object.entries(ALL).filter(([name]) => !names.includes(name)));

describe('checkLocalTools', () => {
  it('does nothing when every tool is present', async () => {
    const { system, commands } = machine(ALL);
    const lines: string[] = [];
    await checkLocalTools({ install: true, log: (l) => lines.push(l), system });
    expect(commands).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('installs the missing packages as root with apt-get: update once, then one install', async () => {
    // GIVEN buildah and unshare missing, and a dynamic busybox (the non-static package)
    const { system, commands } = machine(
      { ...without('buildah', 'unshare'), busybox: false },
      { installs: { buildah: true, unshare: true, busybox: true } },
    );
    const lines: string[] = [];

    await checkLocalTools({ install: true, log: (l) => lines.push(l), system });

    expect(commands).toEqual([
      '/usr/bin/apt-get update',
      '/usr/bin/apt-get install -y buildah busybox-static util-linux',
    ]);
    expect(lines[0]).toMatch(/^ferry: installing buildah busybox-static util-linux for buildah/);
    expect(lines[0]).toContain('busybox (static)');
    expect(lines.at(-1)).toBe('ferry: installed buildah busybox-static util-linux');
  });

  it('prints the exact command and fails when installing is off (FERRY_NO_INSTALL=1)', async () => {
    const { system, commands } = machine(without('docker-registry', 'skopeo'));
    const lines: string[] = [];
    const check = checkLocalTools({ install: false, log: (l) => lines.push(l), system });
    await expect(check).rejects.toThrow(
      'installing is off (FERRY_NO_INSTALL=1): run apt-get update && apt-get install -y docker-registry skopeo',
    );
    expect(commands).toEqual([]);
    expect(lines).toEqual([
      expect.stringContaining(
        'install with: apt-get update && apt-get install -y docker-registry skopeo',
      ),
    ]);
  });

  it('fails with the command when not root', async () => {
    const { system, commands } = machine(without('buildah'), { root: false });
    await expect(checkLocalTools({ install: true, log: () => {}, system })).rejects.toThrow(
      /not running as root: run apt-get update && apt-get install -y buildah$/,
    );
    expect(commands).toEqual([]);
  });

  it('fails with the command when apt-get is not available', async () => {
    const { system } = machine(without('git'), { apt: false });
    await expect(checkLocalTools({ install: true, log: () => {}, system })).rejects.toThrow(
      /apt-get is not available: run apt-get update && apt-get install -y git/,
    );
  });

  it('fails when apt-get ran but a tool is still missing', async () => {
    const { system } = machine(without('buildah'), { installs: {} });
    await expect(checkLocalTools({ install: true, log: () => {}, system })).rejects.toThrow(
      /still missing after apt-get install: buildah/,
    );
  });

  it('names a package once when it provides several missing tools', async () => {
    const { system, commands } = machine({}, { installs: { unshare: true, nsenter: true } });
    const tools = [
      { tool: 'unshare', pkg: 'util-linux', why: 'namespaces' },
      { tool: 'nsenter', pkg: 'util-linux', why: 'namespaces' },
    ];
    await checkLocalTools({ install: true, log: () => {}, system, tools });
    expect(commands.at(-1)).toBe('/usr/bin/apt-get install -y util-linux');
    expect(aptCommand(['util-linux'])).toBe('apt-get update && apt-get install -y util-linux');
  });

  it('finds every tool on this machine (the tests need them too)', async () => {
    await expect(checkLocalTools({ install: false, log: () => {} })).resolves.toBeUndefined();
  });
});

describe('isStaticElf', () => {
  it('tells the static busybox from a dynamic executable and a non-ELF file', async () => {
    expect(await isStaticElf('/bin/busybox')).toBe(true);
    expect(await isStaticElf(process.execPath)).toBe(false);
    expect(await isStaticElf('/etc/passwd')).toBe(false);
    expect(await isStaticElf('/nonexistent')).toBe(false);
  });
});
