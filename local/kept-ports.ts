/**
 * The registry's and the function host's ports, chosen once and kept in `FERRY_HOME/ports.json`:
 * image URIs in history (`127.0.0.1:<port>/repo@sha256:…`) and users' saved commands name these
 * addresses, so a restart must serve them on the same ports. A kept port that another process
 * holds is an error, never a reason to pick another one silently.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { readJson, writeJsonAtomic } from './function-host/atomic-json.ts';
import { freePort } from './registry-process.ts';

/** The ports local mode serves its parts on, all on 127.0.0.1. */
export interface KeptPorts {
  readonly registry: number;
  readonly functionHost: number;
}

/** Ports asked for (`FERRY_REGISTRY_PORT`, `FERRY_FUNCTION_HOST_PORT`): they replace the kept ones. */
export type WantedPorts = Partial<KeptPorts>;

/** A kept (or asked-for) port is held by another process: says which and how to choose another. */
export class PortInUseError extends Error {
  constructor(
    readonly part: keyof KeptPorts,
    readonly port: number,
    file: string,
  ) {
    super(
      `the ${PARTS[part].label}'s port 127.0.0.1:${port} (kept in ${file}) is in use by another process: stop that process, or set ${PARTS[part].env}=<port> to move Ferry's ${PARTS[part].label} (image URIs in history name the old port)`,
    );
    this.name = 'PortInUseError';
  }
}

const PARTS = {
  registry: { label: 'registry', env: 'FERRY_REGISTRY_PORT' },
  functionHost: { label: 'function host', env: 'FERRY_FUNCTION_HOST_PORT' },
} as const;

const portSchema = z.number().int().min(1).max(65535);
const keptSchema = z.object({ registry: portSchema, functionHost: portSchema }).partial();

/** The file the ports are kept in. */
export const portsFile = (home: string) => join(home, 'ports.json');

/**
 * The ports to start on: asked-for ones first, then the kept ones, then (first start) free ones
 * picked now. Writes the result back atomically when it changed. Whether they are free is
 * {@link requirePortsFree}'s to say, once a killed Ferry's leftovers (which may hold them) are gone.
 */
export async function keepPorts(home: string, wanted: WantedPorts = {}): Promise<KeptPorts> {
  const file = portsFile(home);
  const raw = await readJson<unknown>(file, {});
  const parsed = keptSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `${file} is not {"registry": <port>, "functionHost": <port>}: fix or delete it (a new start then picks free ports)`,
    );
  }
  const kept = parsed.data;
  const ports: KeptPorts = {
    registry: wanted.registry ?? kept.registry ?? (await freePort()),
    functionHost: wanted.functionHost ?? kept.functionHost ?? (await freePort()),
  };
  if (ports.registry === ports.functionHost) {
    throw new Error(
      `the registry and the function host cannot share port ${ports.registry}: set FERRY_REGISTRY_PORT or FERRY_FUNCTION_HOST_PORT to another one`,
    );
  }
  if (ports.registry !== kept.registry || ports.functionHost !== kept.functionHost)
    await writeJsonAtomic(file, ports);
  return ports;
}

/** PortInUseError for a kept port another process holds. */
export async function requirePortsFree(home: string, ports: KeptPorts): Promise<void> {
  for (const part of ['registry', 'functionHost'] as const) {
    if (!(await isFree(ports[part]))) throw new PortInUseError(part, ports[part], portsFile(home));
  }
}

/** True when nothing listens on 127.0.0.1:`port` (binding it briefly works). */
async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (bound) await new Promise<void>((resolve) => server.close(() => resolve()));
  return bound;
}

/** A port from an environment variable, or undefined when unset; an error naming it when invalid. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!portSchema.safeParse(port).success)
    throw new Error(`${name} must be a port number 1-65535, got ${JSON.stringify(text)}`);
  return port;
}
