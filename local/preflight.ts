/**
 * Local mode's tool check: the Debian packages local mode runs on. On a fresh machine, as root
 * with apt-get, it installs what is missing (saying so); with install off (FERRY_NO_INSTALL=1),
 * or when it cannot install, it fails with the exact apt-get command to run.
 */
import { spawn } from 'node:child_process';
import { access, constants, open } from 'node:fs/promises';
import { join } from 'node:path';

/** A tool local mode needs and the Debian package that provides it. */
export interface RequiredTool {
  readonly tool: string;
  readonly pkg: string;
  /** What needs it, for messages. */
  readonly why: string;
  /** The binary must be statically linked (it is copied into FROM scratch images). */
  readonly static?: boolean;
}

/** Everything local mode runs. */
export const REQUIRED_TOOLS: readonly RequiredTool[] = [
  { tool: 'buildah', pkg: 'buildah', why: 'builds images' },
  { tool: 'docker-registry', pkg: 'docker-registry', why: 'the local image registry' },
  { tool: 'skopeo', pkg: 'skopeo', why: 'copies images into the registry' },
  { tool: 'busybox', pkg: 'busybox-static', why: 'the examples\u2019 base image', static: true },
  { tool: 'unshare', pkg: 'util-linux', why: 'the function host\u2019s namespaces' },
  { tool: 'mount', pkg: 'mount', why: 'the function host\u2019s /proc, /dev and /tmp' },
  { tool: 'git', pkg: 'git', why: 'builds from git sources' },
];

/** What the check needs from the machine; tests inject their own. */
export interface PreflightSystem {
  /** The tool's absolute path on PATH, or null. */
  which(tool: string): Promise<string | null>;
  isStaticElf(path: string): Promise<boolean>;
  isRoot(): boolean;
  /** Runs a command (argv, no shell), rejecting on failure. */
  run(command: string, args: readonly string[]): Promise<void>;
}

/** Options for {@link checkLocalTools}. */
export interface PreflightOptions {
  /** Install missing packages when root with apt-get (false under FERRY_NO_INSTALL=1). */
  readonly install: boolean;
  readonly log: (line: string) => void;
  /** @default - this machine */
  readonly system?: PreflightSystem;
  /** @default REQUIRED_TOOLS */
  readonly tools?: readonly RequiredTool[];
}

/** True when `path` is an ELF executable without a program interpreter (statically linked). */
export async function isStaticElf(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => null);
  if (!file) return false;
  try {
    const header = Buffer.alloc(64);
    await file.read(header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46) return false; // \x7fELF
    const is64 = header[4] === 2;
    const little = header[5] === 1;
    const u16 = (b: Buffer, o: number) => (little ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (little ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64
      ? Number(little ? header.readBigUInt64LE(32) : header.readBigUInt64BE(32))
      : u32(header, 28);
    const phentsize = u16(header, is64 ? 54 : 42);
    const phnum = u16(header, is64 ? 56 : 44);
    const table = Buffer.alloc(phentsize * phnum);
    await file.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (u32(table, i * phentsize) === 3) return false; // PT_INTERP
    return true;
  } finally {
    await file.close();
  }
}

const SEARCH_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The machine's own PATH lookup, apt and root check. */
export const hostSystem: PreflightSystem = {
  async which(tool) {
    // PATH first, then the system directories (a minimal PATH may lack sbin).
    for (const dir of `${process.env.PATH ?? ''}:${SEARCH_PATH}`.split(':').filter(Boolean)) {
      const path = join(dir, tool);
      if (
        await access(path, constants.X_OK).then(
          () => true,
          () => false,
        )
      )
        return path;
    }
    return null;
  },
  isStaticElf,
  isRoot: () => process.getuid?.() === 0,
  run: (command, args) =>
    new Promise((resolve, reject) => {
      // apt's progress goes to our stderr, so the user sees what is being installed.
      const child = spawn(command, [...args], {
        stdio: ['ignore', 2, 2],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
      );
    }),
};

/** The tools that are missing (or not static where they must be). */
async function missingTools(
  tools: readonly RequiredTool[],
  system: PreflightSystem,
): Promise<RequiredTool[]> {
  const missing: RequiredTool[] = [];
  for (const tool of tools) {
    const path = await system.which(tool.tool);
    if (!path || (tool.static && !(await system.isStaticElf(path)))) missing.push(tool);
  }
  return missing;
}

/** The exact command that installs `packages`. */
export function aptCommand(packages: readonly string[]): string {
  return `apt-get update && apt-get install -y ${packages.join(' ')}`;
}

/**
 * Checks every required tool. Missing ones are installed when `install` is on and we are root with
 * apt-get (`apt-get update` once, then one `apt-get install -y`); otherwise it throws naming the
 * exact command. Resolves when everything is present.
 */
export async function checkLocalTools(options: PreflightOptions): Promise<void> {
  const system = options.system ?? hostSystem;
  const tools = options.tools ?? REQUIRED_TOOLS;
  const missing = await missingTools(tools, system);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((t) => t.pkg))];
  const what = missing.map((t) => `${t.tool}${t.static ? ' (static)' : ''} (${t.why})`).join(', ');
  const command = aptCommand(packages);
  const apt = await system.which('apt-get');
  const blocker = !options.install
    ? 'installing is off (FERRY_NO_INSTALL=1)'
    : !system.isRoot()
      ? 'not running as root'
      : !apt
        ? 'apt-get is not available'
        : null;
  if (blocker) {
    options.log(`ferry: missing ${what}; install with: ${command}`);
    throw new Error(`local mode needs ${what}; ${blocker}: run ${command}`);
  }
  options.log(`ferry: installing ${packages.join(' ')} for ${what}: ${command}`);
  await system.run(apt as string, ['update']);
  await system.run(apt as string, ['install', '-y', ...packages]);
  const still = await missingTools(tools, system);
  if (still.length > 0) {
    throw new Error(
      `still missing after apt-get install: ${still.map((t) => t.tool).join(', ')}: check the apt output above`,
    );
  }
  options.log(`ferry: installed ${packages.join(' ')}`);
}
