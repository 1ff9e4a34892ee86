/** Kept ports: picked once, kept in FERRY_HOME, replaced only when asked, validated when read. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepPorts, portFromEnv, portsFile } from './kept-ports.ts';
import { freePort } from './registry-process.ts';

const homes: string[] = [];
const newHome = () => {
  const home = mkdtempSync(join(tmpdir(), 'ferry-kept-ports-'));
  homes.push(home);
  return home;
};
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('Function: keepPorts', () => {
  it('picks free ports on the first call and returns the same ones after', async () => {
    const home = newHome();
    const first = await keepPorts(home);
    expect(first.registry).not.toBe(first.functionHost);
    expect(await keepPorts(home)).toEqual(first);
  });

  it('replaces a kept port with an asked-for one and keeps that', async () => {
    const home = newHome();
    const first = await keepPorts(home);
    const registry = await freePort();
    expect(await keepPorts(home, { registry })).toEqual({ ...first, registry });
    expect(await keepPorts(home)).toEqual({ ...first, registry });
  });

  it('throws naming the file when ports.json is not ports', async () => {
    const home = newHome();
    writeFileSync(portsFile(home), '{"registry": "five"}');
    await expect(keepPorts(home)).rejects.toThrow(/ports\.json is not/);
  });
});

describe('Function: portFromEnv', () => {
  it('reads a port, ignores an unset one and names a bad one', () => {
    expect(portFromEnv({ FERRY_REGISTRY_PORT: '5123' }, 'FERRY_REGISTRY_PORT')).toBe(5123);
    expect(portFromEnv({}, 'FERRY_REGISTRY_PORT')).toBeUndefined();
    expect(() => portFromEnv({ FERRY_REGISTRY_PORT: '70000' }, 'FERRY_REGISTRY_PORT')).toThrow(
      /FERRY_REGISTRY_PORT must be a port/,
    );
  });
});
