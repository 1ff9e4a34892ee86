/**
 * The registry as local mode runs it (htpasswd): anonymous pulls and pushes are refused, the
 * generated login works over the HTTP API, with `buildah login` + `buildah push` and with skopeo.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushTinyImage } from '../test/support/registry.ts';
import { buildahStorageArgs, ensureBusyboxBase } from './buildah.ts';
import { REGISTRY_USER, registryPassword, registryPasswordFile } from './local-credentials.ts';
import {
  basicAuth,
  type RegistryLogin,
  type RunningRegistry,
  startRegistry,
} from './registry-process.ts';

const run = promisify(execFile);

describe('startRegistry with a login', () => {
  let home: string;
  let login: RegistryLogin;
  let registry: RunningRegistry;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'ferry-registry-auth-'));
    login = { username: REGISTRY_USER, password: registryPassword(home) };
    registry = await startRegistry({ dir: join(home, 'registry'), auth: login });
  });
  afterAll(async () => {
    await registry?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses an anonymous GET /v2/ and an anonymous push', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);

    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="ferry-local"/);
    await expect(pushTinyImage(registry.url, 'open/door', 'v1')).rejects.toThrow(/401/);
  });

  it('accepts the generated login (kept 0600 in FERRY_HOME) over the HTTP API', async () => {
    const { digest } = await pushTinyImage(registry.url, 'shut/door', 'v1', 'x', login);
    const res = await fetch(`${registry.url}/v2/shut/door/manifests/v1`, {
      method: 'HEAD',
      headers: {
        Authorization: basicAuth(login),
        Accept: 'application/vnd.oci.image.manifest.v1+json',
      },
    });

    expect(res.headers.get('docker-content-digest')).toBe(digest);
    expect(statSync(registryPasswordFile(home)).mode & 0o777).toBe(0o600);
  });

  it('takes a push after buildah login --password-stdin, and skopeo inspect --creds', async () => {
    const storage = buildahStorageArgs(join(home, 'buildah'));
    const authfile = join(home, 'auth.json');
    await ensureBusyboxBase(join(home, 'buildah'), { logFd: 'ignore' });
    const ref = `docker://${registry.host}/login/base:v1`;
    const push = ['push', '--tls-verify=false', 'localhost/ferry/busybox:latest', ref];
    await expect(run('buildah', [...storage, ...push])).rejects.toThrow(
      /unauthorized|authentication required/i,
    );

    const loginRun = run('buildah', [
      'login',
      '--tls-verify=false',
      '--authfile',
      authfile,
      '-u',
      REGISTRY_USER,
      '--password-stdin',
      registry.host,
    ]);
    loginRun.child.stdin?.end(login.password);
    await loginRun;
    await run('buildah', [
      ...storage,
      ...push.slice(0, 2),
      '--authfile',
      authfile,
      ...push.slice(2),
    ]);
    const { stdout } = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--creds',
      `${login.username}:${login.password}`,
      ref,
    ]);

    expect(JSON.parse(stdout).Name).toBe(`${registry.host}/login/base`);
    await expect(
      run('skopeo', ['inspect', '--tls-verify=false', '--no-creds', ref]),
    ).rejects.toThrow();
  }, 120_000);
});
