import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciRegistry } from '../services/adapters/local/oci-registry.ts';
import { buildEnvironment, EXAMPLES_DIR } from '../test/support/images.ts';
import { startTestRegistry, type TestRegistry } from '../test/support/registry.ts';
import { createBuildahBuilder } from './buildah-builder.ts';
import type { Builder } from './workflow-runner.ts';

const run = promisify(execFile);

/** A Build request as the ASL sends it. */
const request = (vars: Record<string, string>) => ({
  ProjectName: 'ferry-local',
  EnvironmentVariablesOverride: buildEnvironment({
    FERRY_SOURCE_REF: '',
    FERRY_DOCKERFILE: 'Dockerfile',
    FERRY_CONTEXT: '.',
    FERRY_BUILD_ARGS: '{}',
    FERRY_IMAGE_REPOSITORY: 'ferry/builds',
    FERRY_IMAGE_TAG: 'ferry-candidate-1',
    FERRY_PLATFORM: 'linux/amd64',
    ...vars,
  }),
});

/** The failure a build threw, parsed: `States.TaskFailed` with the Build as JSON. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('the build succeeded');
    },
    (e: Error) => e,
  );
  expect(error.name).toBe('States.TaskFailed');
  return JSON.parse(error.message) as {
    Id: string;
    BuildStatus: string;
    Logs: { DeepLink: string };
    Phases: Array<{ PhaseType: string; PhaseStatus: string; Contexts: Array<{ Message: string }> }>;
    reason: string;
  };
}

const fileUrl = (path: string) => pathToFileURL(path).href;

describe('createBuildahBuilder (real buildah and docker-registry)', () => {
  let registry: TestRegistry;
  let dir: string;
  let build: Builder;
  let oci: OciRegistry;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>) => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = Date.now() - started;
    }
  };

  beforeAll(async () => {
    registry = await startTestRegistry();
    dir = mkdtempSync(join(tmpdir(), 'ferry-builder-test-'));
    build = createBuildahBuilder({
      registryHost: registry.host,
      storageRoot: join(dir, 'buildah'),
      logDir: join(dir, 'logs'),
    });
    oci = new OciRegistry({ baseUrl: registry.url });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await registry?.stop();
    console.info('buildah builder timings (ms):', JSON.stringify(timings));
  });

  it('builds examples/hello from a file:// source, pushes the candidate tag and returns SUCCEEDED', async () => {
    const outcome = await timed('hello (first, seeds the base)', () =>
      build(request({ FERRY_SOURCE_URL: fileUrl(join(EXAMPLES_DIR, 'hello')) })),
    );

    expect(outcome.Build).toMatchObject({
      Id: expect.stringMatching(/^ferry-local:[0-9a-f-]{36}$/),
      BuildStatus: 'SUCCEEDED',
      StartTime: expect.any(Number),
      EndTime: expect.any(Number),
      Logs: { DeepLink: expect.stringMatching(/^file:\/\/.*\.log$/) },
    });
    expect(outcome.Build.EndTime).toBeGreaterThanOrEqual(outcome.Build.StartTime as number);
    const log = readFileSync(new URL(outcome.Build.Logs.DeepLink as string), 'utf8');
    const manifest = await oci.getManifest('ferry/builds', 'ferry-candidate-1');
    expect(log).toContain(
      `pushed ${registry.host}/ferry/builds:ferry-candidate-1@${manifest.digest}`,
    );
    const config = await oci.getConfig('ferry/builds', JSON.parse(manifest.body).config.digest);
    expect(config.config?.Entrypoint).toEqual(['/var/runtime/bootstrap']);
  });

  it('passes build args to the build (VERSION lands in the image)', async () => {
    await timed('hello again (cached base)', () =>
      build(
        request({
          FERRY_SOURCE_URL: fileUrl(join(EXAMPLES_DIR, 'hello')),
          FERRY_BUILD_ARGS: JSON.stringify({ VERSION: '42.0-rc1' }),
          FERRY_IMAGE_TAG: 'args',
        }),
      ),
    );
    const manifest = JSON.parse((await oci.getManifest('ferry/builds', 'args')).body);
    const layerFile = join(dir, 'layer.tar.gz');
    const chunks: Uint8Array[] = [];
    for await (const chunk of await oci.getBlob('ferry/builds', manifest.layers[0].digest))
      chunks.push(chunk);
    writeFileSync(layerFile, Buffer.concat(chunks));
    const { stdout } = await run('tar', ['-xzOf', layerFile, 'var/task/VERSION']);
    expect(stdout).toBe('42.0-rc1\n');
  });

  it('builds a git repository at a ref (file:// git, fetched at depth 1)', async () => {
    const repo = join(dir, 'repo');
    cpSync(join(EXAMPLES_DIR, 'hello'), join(repo, 'fn'), { recursive: true });
    const git = (...args: string[]) =>
      run('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-qm', 'hello');
    await git('tag', 'v2');
    writeFileSync(join(repo, 'fn', 'Dockerfile'), 'FROM scratch\nBROKEN AFTER THE TAG\n');
    await git('commit', '-qam', 'broken after v2');

    await timed('git source', () =>
      build(
        request({
          FERRY_SOURCE_URL: fileUrl(repo),
          FERRY_SOURCE_REF: 'v2',
          FERRY_CONTEXT: 'fn',
          FERRY_IMAGE_TAG: 'git',
        }),
      ),
    );
    expect(
      await oci.hasImage('ferry/builds', (await oci.getManifest('ferry/builds', 'git')).digest),
    ).toBe(true);
  });

  it('throws States.TaskFailed with the log tail when a RUN step fails', async () => {
    const source = join(dir, 'failing');
    mkdirSync(source);
    writeFileSync(
      join(source, 'Dockerfile'),
      'FROM localhost/ferry/busybox\nRUN echo "compiling" && echo "error: widget.c:12: the build broke on purpose" >&2 && exit 3\n',
    );

    const failed = await timed('failing RUN', () =>
      failure(build(request({ FERRY_SOURCE_URL: fileUrl(source), FERRY_IMAGE_TAG: 'failing' }))),
    );

    expect(failed).toMatchObject({
      Id: expect.stringMatching(/^ferry-local:/),
      BuildStatus: 'FAILED',
    });
    expect(failed.reason).toContain('error: widget.c:12: the build broke on purpose');
    expect(failed.reason).toMatch(/exit status 3/);
    // CodeBuild's shape: the failed phase's context names the instruction, its exit code and line.
    expect(failed.Phases).toEqual([
      {
        PhaseType: 'BUILD',
        PhaseStatus: 'FAILED',
        Contexts: [
          {
            StatusCode: 'COMMAND_EXECUTION_ERROR',
            Message:
              'RUN exit 3 (Dockerfile line 2): echo "compiling" && echo "error: widget.c:12: the build broke on purpose" >&2 && exit 3',
          },
        ],
      },
    ]);
    expect(existsSync(new URL(failed.Logs.DeepLink))).toBe(true);
    await expect(oci.getManifest('ferry/builds', 'failing')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it.each([
    ['FERRY_CONTEXT', '../..', /FERRY_CONTEXT must be a relative path without '\.\.'/],
    ['FERRY_CONTEXT', 'a/../../b', /FERRY_CONTEXT must be a relative path/],
    ['FERRY_DOCKERFILE', '/etc/passwd', /FERRY_DOCKERFILE must be a relative path/],
    ['FERRY_DOCKERFILE', '--help', /FERRY_DOCKERFILE must be a relative path/],
    ['FERRY_SOURCE_URL', 's3://bucket/source.zip', /s3:\/\/ sources build on AWS only/],
    ['FERRY_SOURCE_URL', 'http://example.com/repo.git', /must start with https:\/\/ or file:\/\//],
    ['FERRY_SOURCE_REF', '--upload-pack=evil', /not a branch, tag or commit name/],
    ['FERRY_BUILD_ARGS', '{"bad name":"x"}', /FERRY_BUILD_ARGS must be a JSON object/],
    ['FERRY_PLATFORM', 'linux/arm64', /cannot be built on this linux\/amd64 machine/],
    ['FERRY_IMAGE_REPOSITORY', 'registry.example.com/team/app', /local mode pushes only to/],
  ])('refuses %s=%s before fetching or building', async (name, value, message) => {
    const failed = await failure(
      build(request({ FERRY_SOURCE_URL: fileUrl(join(EXAMPLES_DIR, 'hello')), [name]: value })),
    );
    expect(failed.reason).toMatch(message);
    expect(failed.Phases[0]).toMatchObject({ PhaseType: 'PRE_BUILD', PhaseStatus: 'FAILED' });
    expect(failed.Phases[0]?.Contexts[0]?.Message).toMatch(message);
    // Nothing ran: the log holds only Ferry's own failure line.
    const log = readFileSync(new URL(failed.Logs.DeepLink), 'utf8');
    expect(log.trimEnd().split('\n')).toEqual([expect.stringMatching(/^ferry: build failed: /)]);
  });

  it('refuses a request that lacks a variable, naming it', async () => {
    const { EnvironmentVariablesOverride, ...rest } = request({
      FERRY_SOURCE_URL: fileUrl(join(EXAMPLES_DIR, 'hello')),
    });
    const failed = await failure(
      build({
        ...rest,
        EnvironmentVariablesOverride: EnvironmentVariablesOverride.filter(
          (v) => v.Name !== 'FERRY_IMAGE_TAG',
        ),
      }),
    );
    expect(failed.reason).toMatch(/FERRY_IMAGE_TAG is not set/);
  });

  it('refuses a context that leaves the source through a symlink', async () => {
    const source = join(dir, 'escape');
    mkdirSync(source);
    symlinkSync('/etc', join(source, 'ctx'));
    const failed = await failure(
      build(request({ FERRY_SOURCE_URL: fileUrl(source), FERRY_CONTEXT: 'ctx' })),
    );
    expect(failed.reason).toContain("FERRY_CONTEXT 'ctx' leaves the source");
  });

  it('refuses a ref for a directory that is not a git repository', async () => {
    const failed = await failure(
      build(
        request({
          FERRY_SOURCE_URL: fileUrl(join(EXAMPLES_DIR, 'hello')),
          FERRY_SOURCE_REF: 'main',
        }),
      ),
    );
    expect(failed.reason).toMatch(/FERRY_SOURCE_REF 'main' given, but .* is not a git repository/);
  });
});
