import { Hono } from 'hono';
import { z } from 'zod';
import type { LocalFunctions } from '../services/adapters/local/local-functions.ts';
import type { ApiEnv } from '../services/api/env.ts';
import { ApiProblem } from '../services/api/problem.ts';
import { requireAdmin } from '../services/app/ownership.ts';
import { parseImageRef, pinnedUri } from '../services/core/image-ref.ts';
import type { Registry } from '../services/core/ports.ts';

/** What a client needs to know about local mode. */
export interface LocalInfo {
  /** `127.0.0.1:<port>`: push images here after `buildah login` (`ferry local registry-login` prints it). */
  readonly registry: string;
  /** The function host's base URL (Lambda Invoke API). */
  readonly functionHost: string;
  /** `POST` here to invoke like the Runtime Interface Emulator. */
  readonly invokeEndpoint: string;
}

const createSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/),
  image: z.string().max(512),
  architecture: z.enum(['x86_64', 'arm64']).optional(),
});

/**
 * `/v1/local` (local mode only): `GET` the registry and function-host addresses; `POST
 * /v1/local/functions { name, image }` creates a local function on an image (admin team),
 * resolving a tag to its digest first, since functions run pinned images only.
 */
export function localRoutes(info: LocalInfo, functions: LocalFunctions, registry: Registry) {
  return new Hono<ApiEnv>()
    .get('/', (c) => c.json(info))
    .post('/functions', async (c) => {
      requireAdmin(c.get('caller'), 'creating local functions');
      const parsed = createSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success)
        throw new ApiProblem(400, 'validation', 'expected { name, image, architecture? }');
      const { name, image, architecture } = parsed.data;
      const ref = parseImageRef(image);
      const digest =
        ref.digest ?? (await registry.getManifest(ref.repository, ref.tag ?? 'latest')).digest;
      const uri = pinnedUri({ ...ref, registry: info.registry }, digest);
      const config = await functions.createFunction(
        name,
        uri,
        architecture ? { architecture } : {},
      );
      return c.json(config, 201);
    });
}
