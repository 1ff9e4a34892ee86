/**
 * Builds the examples (examples/hello, broken, oversized) with the real buildah builder and pushes
 * them into a test registry, for any test that needs a real Lambda-style image. Use one
 * {@link createExampleBuilder} per test file: its storage caches the busybox base and layers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createBuildahBuilder } from '../../local/buildah-builder.ts';
import { basicAuth, type RegistryLogin } from '../../local/registry-process.ts';
import { OciRegistry } from '../../services/adapters/local/oci-registry.ts';
import type { BuildVariable } from '../../services/core/build-environment.ts';

/** The examples directory. */
export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

/** The examples that build offline. */
export type ExampleName = 'hello' | 'broken' | 'oversized' | 'flaky';

/** An example built and pushed. */
export interface BuiltExample {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  /** `127.0.0.1:<port>/<repository>:<tag>` */
  readonly imageRef: string;
  /** `127.0.0.1:<port>/<repository>@sha256:…` */
  readonly pinnedRef: string;
  /** The build log (file:// URL). */
  readonly logUrl: string;
}

/** A builder bound to one registry and a private buildah storage. */
export interface ExampleBuilder {
  /** Builds `examples/<name>` and pushes it as `<repository>:<tag>`. */
  build(
    name: ExampleName,
    options?: { repository?: string; tag?: string; buildArgs?: Record<string, string> },
  ): Promise<BuiltExample>;
  /** Removes the storage and logs. */
  dispose(): void;
}

/**
 * The FERRY_* environment a Build request carries: what Prepare sends for a default source on
 * this machine's platform, with `vars` on top (raw strings, so a test can send a bad value).
 */
export function buildEnvironment(vars: Partial<Record<BuildVariable, string>>) {
  const defaults: Record<BuildVariable, string> = {
    FERRY_DEPLOYMENT_ID: 'd-test',
    FERRY_SOURCE_URL: pathToFileURL(join(EXAMPLES_DIR, 'hello')).href,
    FERRY_SOURCE_REF: '',
    FERRY_DOCKERFILE: 'Dockerfile',
    FERRY_CONTEXT: '.',
    FERRY_BUILD_ARGS: '{}',
    FERRY_IMAGE_REPOSITORY: 'ferry/builds',
    FERRY_IMAGE_TAG: 'ferry-candidate-d-test',
    FERRY_PLATFORM: process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64',
  };
  return Object.entries({ ...defaults, ...vars }).map(([Name, Value]) => ({
    Name,
    Value,
    Type: 'PLAINTEXT',
  }));
}

/** A builder for `registryHost` with its own storage under a temp dir. */
export function createExampleBuilder(
  registryHost: string,
  authFile?: string,
  login?: RegistryLogin,
): ExampleBuilder {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-test-buildah-'));
  const builder = createBuildahBuilder({
    registryHost,
    ...(authFile ? { authFile } : {}),
    storageRoot: join(dir, 'buildah'),
    logDir: join(dir, 'logs'),
  });
  const registry = new OciRegistry({
    baseUrl: `http://${registryHost}`,
    ...(login ? { authorization: basicAuth(login) } : {}),
  });
  let count = 0;
  return {
    async build(name, options = {}) {
      const repository = options.repository ?? `examples/${name}`;
      const tag = options.tag ?? `t${++count}`;
      const outcome = await builder({
        ProjectName: 'ferry-test',
        EnvironmentVariablesOverride: buildEnvironment({
          FERRY_SOURCE_URL: pathToFileURL(join(EXAMPLES_DIR, name)).href,
          FERRY_BUILD_ARGS: JSON.stringify(options.buildArgs ?? {}),
          FERRY_IMAGE_REPOSITORY: repository,
          FERRY_IMAGE_TAG: tag,
        }),
      });
      const { digest } = await registry.getManifest(repository, tag);
      return {
        repository,
        tag,
        digest,
        imageRef: `${registryHost}/${repository}:${tag}`,
        pinnedRef: `${registryHost}/${repository}@${digest}`,
        logUrl: outcome.Build.Logs.DeepLink ?? '',
      };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
