/**
 * A failed source build explains itself on the deployment: the real buildah builder and
 * docker-registry, the real ASL and Finalize, the local build logs; the other ports are fakes
 * (the build fails before anything else is touched).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildahBuilder } from '../../local/buildah-builder.ts';
import { createLocalWorkflow } from '../../local/workflow-runner.ts';
import { LocalBuildLogs } from '../../services/adapters/local/local-build-logs.ts';
import { buildLogFor } from '../../services/app/build-log.ts';
import { startTestRegistry, type TestRegistry } from '../support/registry.ts';
import { createWorld } from '../workflow/world.ts';

describe('a failed build on the deployment (real buildah)', () => {
  let registry: TestRegistry;
  let dir: string;
  let logDir: string;
  let builder: ReturnType<typeof createBuildahBuilder>;
  const started: Array<{ deploymentId: string; buildId: string; link: string }> = [];

  beforeAll(async () => {
    registry = await startTestRegistry();
    dir = mkdtempSync(join(tmpdir(), 'ferry-build-failures-'));
    logDir = join(dir, 'logs');
    builder = createBuildahBuilder({
      registryHost: registry.host,
      storageRoot: join(dir, 'buildah'),
      logDir,
      onStarted: async (build) => void started.push(build),
    });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await registry?.stop();
  });

  /** Deploys a source directory holding `files` through the real workflow; returns the record. */
  async function deploySource(name: string, files: Record<string, string>) {
    const source = join(dir, name);
    mkdirSync(source);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(source, file), text);
    const world = createWorld();
    const deps = {
      ...world.deps,
      buildLogs: new LocalBuildLogs(logDir),
      options: { ...world.deps.options, buildRepositoryUri: `${registry.host}/ferry/builds` },
    };
    const id = await world.request({ source: { url: pathToFileURL(source).href } });
    const outcome = await createLocalWorkflow({
      deps,
      builder,
      retryIntervalSeconds: 0,
      callbacks: world.callbacks,
    }).run(id);
    expect(outcome.status).toBe('FAILED');
    return { d: await world.record(id), store: world.store };
  }

  it('names the RUN step that failed, its exit code, its Dockerfile line and the last log lines', async () => {
    const { d, store } = await deploySource('run-exit-3', {
      Dockerfile: [
        '# a comment line',
        'FROM localhost/ferry/busybox',
        'WORKDIR /src',
        'RUN echo preparing',
        'RUN echo "compiling widget" && echo "\u001b[31merror: widget.c:12: broke on purpose\u001b[0m" >&2 && exit 3',
        'CMD ["/bin/sh"]',
        '',
      ].join('\n'),
    });

    expect(d.reason).toMatch(
      /^build failed: RUN exit 3 \(Dockerfile line 5\): echo "compiling widget"/,
    );
    expect(d.reason).toContain('— last lines:');
    expect(d.reason).toContain('error: widget.c:12: broke on purpose');
    // ANSI colour codes are stripped: a reason is plain text for Slack, the web page and a terminal.
    expect(d.reason).not.toContain('\u001b');
    expect(d.reason?.length).toBeLessThanOrEqual(1000);
    expect(d.buildId).toMatch(/^ferry-build-x86_64:[0-9a-f-]{36}$/);
    expect(d.buildLogsUrl).toMatch(/^file:\/\//);
    // The build said where its log is before it ran: a follower can read it while it is written.
    expect(started).toContainEqual({
      deploymentId: d.id,
      buildId: d.buildId,
      link: d.buildLogsUrl,
    });
    const log = new URL(d.buildLogsUrl ?? '');
    expect(statSync(log).mode & 0o777).toBe(0o600);
    // The API's read of the log: the file's last lines, as buildah wrote them.
    const read = await buildLogFor(
      { store, buildLogs: new LocalBuildLogs(logDir) },
      { principal: 'test', team: 'platform', admin: true },
      d.id,
      { tail: 2 },
    );
    expect(read.lines).toEqual([
      expect.stringMatching(
        /^Error: building at STEP "RUN echo "compiling widget".*": exit status 3$/,
      ),
      'ferry: build failed: buildah failed (exit code 3)',
    ]);
    expect(d.steps.find((s) => s.name === 'Build')).toMatchObject({
      outcome: 'failed',
      detail: expect.stringMatching(/^RUN exit 3 \(Dockerfile line 5\)/),
    });
  });

  it('says the Dockerfile is missing', async () => {
    const { d } = await deploySource('no-dockerfile', { 'Containerfile.txt': 'FROM scratch\n' });

    expect(d.reason).toMatch(
      /^build failed: FERRY_DOCKERFILE 'Dockerfile' does not exist in the context — last lines: /,
    );
  });

  it('names the base image that is missing', async () => {
    const { d } = await deploySource('no-base', {
      Dockerfile: 'FROM localhost/ferry/no-such-base:1\nRUN true\n',
    });

    expect(d.reason).toMatch(
      /^build failed: FROM localhost\/ferry\/no-such-base:1 \(Dockerfile line 1\)/,
    );
    expect(d.reason).toContain('— last lines:');
  });
});
