/**
 * The image of `ferry local create-function --source`: built by the same Builder a deployment's
 * Build step runs (busybox base made if missing, chroot isolation, the registry's login), into
 * the local registry as `local/<name>:created`.
 */
import { buildOverrides } from '../services/core/build-environment.ts';
import type { Builder } from './workflow-runner.ts';

/** A directory or git source, as `POST /v1/local/functions` takes it. */
export interface LocalSource {
  readonly url: string;
  readonly ref?: string | undefined;
  readonly dockerfile?: string | undefined;
  readonly context?: string | undefined;
  readonly buildArgs?: Readonly<Record<string, string>> | undefined;
}

/** A build that did not succeed: the builder's reason (the log's last lines) and the log's link. */
export class SourceBuildFailed extends Error {
  override readonly name = 'SourceBuildFailed';
  constructor(
    readonly logTail: readonly string[],
    readonly logUrl: string | undefined,
    options?: { cause?: unknown },
  ) {
    // The builder's own last line (`ferry: build failed: why`) says why; the rest is the log.
    super(logTail.at(-1)?.replace(/^ferry: (build failed: )?/, '') ?? 'the build failed', options);
  }
}

/** Builds `source` for function `name`; resolves to the pushed `repository:tag` (registry-relative). */
export type SourceImageBuild = (
  name: string,
  source: LocalSource,
  architecture: 'x86_64' | 'arm64',
) => Promise<string>;

/** A {@link SourceImageBuild} that can be waited for: the builds under way end first. */
export interface TrackedSourceImageBuild extends SourceImageBuild {
  /** Resolves once no build is under way (Ferry stops only after, so none writes into a removed home). */
  idle(): Promise<void>;
}

/** The failed Build a Builder throws (an Error whose message is the Build as JSON), read back. */
function failureOf(error: unknown): SourceBuildFailed {
  let build: { reason?: unknown; Logs?: { DeepLink?: unknown } } = {};
  try {
    build = JSON.parse((error as Error).message);
  } catch {}
  const reason = typeof build.reason === 'string' ? build.reason : (error as Error).message;
  const link = build.Logs?.DeepLink;
  return new SourceBuildFailed(reason.split('\n'), typeof link === 'string' ? link : undefined, {
    cause: error,
  });
}

/** A {@link SourceImageBuild} over `builder`, pushing to `registryHost`. */
export function sourceImageBuild(builder: Builder, registryHost: string): TrackedSourceImageBuild {
  const running = new Set<Promise<unknown>>();
  const build: SourceImageBuild = async function buildSourceImage(name, source, architecture) {
    // Registry repositories are lowercase; function names need not be.
    const repository = `local/${name.toLowerCase()}`;
    const tag = 'created';
    // Checked here (a bad value is the API's 400), before anything is fetched.
    const overrides = buildOverrides({
      FERRY_DEPLOYMENT_ID: `create-${name}`,
      FERRY_SOURCE_URL: source.url,
      FERRY_SOURCE_REF: source.ref ?? '',
      FERRY_DOCKERFILE: source.dockerfile ?? 'Dockerfile',
      FERRY_CONTEXT: source.context ?? '.',
      FERRY_BUILD_ARGS: { ...source.buildArgs },
      FERRY_IMAGE_REPOSITORY: `${registryHost}/${repository}`,
      FERRY_IMAGE_TAG: tag,
      FERRY_PLATFORM: architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64',
    });
    const job = builder({
      ProjectName: 'ferry-local-create',
      EnvironmentVariablesOverride: overrides,
    });
    running.add(job);
    try {
      await job;
    } catch (error) {
      throw failureOf(error);
    } finally {
      running.delete(job);
    }
    return `${repository}:${tag}`;
  };
  return Object.assign(build, {
    async idle() {
      await Promise.allSettled([...running]);
    },
  });
}
