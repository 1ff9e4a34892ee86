import { Hono } from 'hono';
import { z } from 'zod';
import type { LocalFunctions } from '../services/adapters/local/local-functions.ts';
import type { ApiEnv } from '../services/api/env.ts';
import { ApiProblem } from '../services/api/problem.ts';
import { requireAdmin } from '../services/app/ownership.ts';
import { ConflictError } from '../services/core/errors.ts';
import { parseImageRef, pinnedUri } from '../services/core/image-ref.ts';
import type { Registry } from '../services/core/ports.ts';
import { checkConfiguration } from './function-host/function-config.ts';
import { type LocalSource, SourceBuildFailed, type SourceImageBuild } from './source-image.ts';

/** What a client needs to know about local mode. */
export interface LocalInfo {
  /** `127.0.0.1:<port>`: push images here after `buildah login` (`ferry local registry-login` prints it). */
  readonly registry: string;
  /** The function host's base URL (Lambda Invoke API). */
  readonly functionHost: string;
  /** `POST` here to invoke like the Runtime Interface Emulator. */
  readonly invokeEndpoint: string;
}

/** Configuration fields, checked against Lambda's limits by the function store. */
const configurationFields = {
  timeoutSeconds: z.number().optional(),
  memorySizeMb: z.number().optional(),
  environment: z.record(z.string(), z.string()).optional(),
  ephemeralStorageMb: z.number().optional(),
};

const sourceSchema = z.strictObject({
  url: z.string().max(2048),
  ref: z.string().max(255).optional(),
  dockerfile: z.string().max(1024).optional(),
  context: z.string().max(1024).optional(),
  buildArgs: z.record(z.string(), z.string()).optional(),
});

const createSchema = z
  .strictObject({
    name: z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/),
    image: z.string().max(512).optional(),
    source: sourceSchema.optional(),
    architecture: z.enum(['x86_64', 'arm64']).optional(),
    ...configurationFields,
  })
  .refine((body) => (body.image === undefined) !== (body.source === undefined), {
    message: 'give exactly one of image or source',
  });

const updateSchema = z.strictObject({ ...configurationFields, revisionId: z.string().optional() });

/** A zod failure as one line naming the fields. */
const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

/** The image `source` builds into; a failed build is a 422 with the build's last log lines. */
async function builtImage(
  build: SourceImageBuild | undefined,
  name: string,
  source: LocalSource | undefined,
  architecture: 'x86_64' | 'arm64',
): Promise<string> {
  if (!build || !source)
    throw new ApiProblem(400, 'validation', 'this local Ferry builds no sources: give an image');
  try {
    return await build(name, source, architecture);
  } catch (error) {
    if (!(error instanceof SourceBuildFailed)) throw error;
    throw new ApiProblem(
      422,
      'validation',
      `the image of ${name} did not build from ${source.url}: ${error.message}`,
      { buildLog: error.logTail, ...(error.logUrl ? { buildLogUrl: error.logUrl } : {}) },
    );
  }
}

/**
 * `/v1/local` (local mode only): `GET` the registry and function-host addresses; `POST
 * /v1/local/functions { name, image | source, architecture?, timeoutSeconds?, memorySizeMb?,
 * environment?, ephemeralStorageMb? }` creates a local function on an image (admin team),
 * resolving a tag to its digest first, since functions run pinned images only; a `source`
 * (`{ url, ref?, dockerfile?, context?, buildArgs? }`) is built into the registry first; `GET
 * /v1/local/functions/{name}` reads its configuration and `PUT …/{name}/configuration`
 * changes $LATEST's (Lambda's UpdateFunctionConfiguration; `revisionId` a precondition).
 * Values outside Lambda's limits are a 400 naming the limit, and change nothing.
 */
export function localRoutes(
  info: LocalInfo,
  functions: LocalFunctions,
  registry: Registry,
  build?: SourceImageBuild,
) {
  return new Hono<ApiEnv>()
    .get('/', (c) => c.json(info))
    .post('/functions', async (c) => {
      requireAdmin(c.get('caller'), 'creating local functions');
      const parsed = createSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) {
        throw new ApiProblem(
          400,
          'validation',
          `expected { name, image | source, architecture?, timeoutSeconds?, memorySizeMb?, environment?, ephemeralStorageMb? }: ${issuesOf(parsed.error)}`,
        );
      }
      const { name, image, source, ...options } = parsed.data;
      // Limits first: a bad value fails before any registry or build work.
      checkConfiguration(options);
      // A name taken is known now: no build for a function that cannot be created.
      if (source && functions.host.store.list().some((fn) => fn.name === name))
        throw new ConflictError(`function ${name} exists: nothing was built`);
      const ref = parseImageRef(
        image ?? (await builtImage(build, name, source, options.architecture ?? 'x86_64')),
      );
      const digest =
        ref.digest ?? (await registry.getManifest(ref.repository, ref.tag ?? 'latest')).digest;
      const uri = pinnedUri({ ...ref, registry: info.registry }, digest);
      const config = await functions.createFunction(name, uri, options);
      return c.json(config, 201);
    })
    .get('/functions/:name', (c) => {
      requireAdmin(c.get('caller'), 'reading local functions');
      return c.json(functions.getConfiguration(c.req.param('name')));
    })
    .put('/functions/:name/configuration', async (c) => {
      requireAdmin(c.get('caller'), 'configuring local functions');
      const parsed = updateSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) {
        throw new ApiProblem(
          400,
          'validation',
          `expected { timeoutSeconds?, memorySizeMb?, environment?, ephemeralStorageMb?, revisionId? }: ${issuesOf(parsed.error)}`,
        );
      }
      const { revisionId, ...change } = parsed.data;
      return c.json(await functions.updateConfiguration(c.req.param('name'), change, revisionId));
    });
}
