/**
 * Local mode on a shared machine: every part on 127.0.0.1 (or a socket) answers only Ferry and the
 * person who started it. A real local Ferry; another user is played by a process running as
 * nobody, anonymous callers by plain requests; the owner by the commands `npm start` prints.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSYBOX_BASE, buildahStorageArgs, ensureBusyboxBase } from '../../local/buildah.ts';
import { basicAuth } from '../../local/registry-process.ts';
import { type LocalFerry, startLocalFerry } from '../../local/start.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { runAsOtherUser } from '../support/other-user.ts';
import { pushTinyImage } from '../support/registry.ts';

const run = promisify(execFile);
const parent = mkdtempSync(join(tmpdir(), 'ferry-doors-'));
const home = join(parent, 'home');
const TOKEN = 'ferry_doors_admin_token_0123456789';
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const warnings: string[] = [];
const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
const start = () => startLocalFerry({ home, port: 0, adminToken: TOKEN, logger });
const mode = (file: string) => statSync(file).mode & 0o777;

/** An unsigned PutItem of an admin token item, sent to the store's socket as another user would. */
const FORGE_TOKEN = `
import http from 'node:http';
const body = JSON.stringify({ TableName: 'ferry', Item: { pk: { S: 'TOKEN#forged' }, sk: { S: 'TOKEN' } } });
const req = http.request({ socketPath: process.argv[1], path: '/', method: 'POST', headers: {
  'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem', 'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=any/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
} }, (res) => { console.log('status ' + res.statusCode); process.exit(0); });
req.on('error', (error) => console.log('error ' + error.code));
req.end(body);`;

describe('Local mode: only Ferry and its owner get in', () => {
  it('creates FERRY_HOME 0700 and its secrets 0600', async () => {
    const ferry = await start();
    try {
      expect(mode(home)).toBe(0o700);
      expect(warnings).toEqual([]);
      for (const file of [
        'secrets.json',
        'registry-password',
        'registry-auth.json',
        'aws-credentials',
      ]) {
        expect([file, mode(join(home, file))]).toEqual([file, 0o600]);
      }
      expect(mode(join(home, 'store'))).toBe(0o700);
      expect(mode(join(home, 'store', 'dynalite.sock'))).toBe(0o600);
    } finally {
      await ferry.close();
    }
  }, 60_000);

  describe('with a FERRY_HOME others may enter', () => {
    let ferry: LocalFerry;
    afterAll(async () => {
      await ferry?.close();
    });
    it('keeps another user from writing to the store', async () => {
      chmodSync(home, 0o755);
      ferry = await start();

      expect(await runAsOtherUser(FORGE_TOKEN, [join(home, 'store', 'dynalite.sock')])).toBe(
        'error EACCES',
      );
      expect(warnings).toContain(
        'FERRY_HOME is open to other users: its secrets are 0600, but chmod 700 it',
      );
    }, 60_000);

    it('refuses anonymous registry, function host and hook calls', async () => {
      const registry = `http://${ferry.registryHost}`;
      expect((await fetch(`${registry}/v2/`)).status).toBe(401);
      await expect(pushTinyImage(registry, 'open/door', 'v1')).rejects.toThrow(/401/);
      const invoke = await fetch(
        `${ferry.functionHostUrl}/2015-03-31/functions/function/invocations`,
        {
          method: 'POST',
          body: '{}',
        },
      );
      expect(invoke.status).toBe(403);
      const hook = await fetch(`${ferry.apiUrl}/v1/hooks/registry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"events":[]}',
      });
      expect(hook.status).toBe(401);
    });

    it('lets the owner push with the printed buildah login and invoke with the printed aws profile', async () => {
      const storageRoot = join(parent, 'buildah');
      const authfile = join(parent, 'owner-auth.json');
      await ensureBusyboxBase(storageRoot, { logFd: 'ignore' });
      // buildah login --tls-verify=false -u ferry --password-stdin HOST < $FERRY_HOME/registry-password
      const password = openSync(join(home, 'registry-password'), 'r');
      const login = spawn(
        'buildah',
        [
          'login',
          '--tls-verify=false',
          '--authfile',
          authfile,
          '-u',
          'ferry',
          '--password-stdin',
          ferry.registryHost,
        ],
        { stdio: [password, 'ignore', 'pipe'] },
      );
      closeSync(password);
      expect(await new Promise((resolve) => login.once('exit', resolve))).toBe(0);
      await run('buildah', [
        ...buildahStorageArgs(storageRoot),
        'push',
        '--tls-verify=false',
        '--authfile',
        authfile,
        BUSYBOX_BASE,
        `docker://${ferry.registryHost}/owner/base:v1`,
      ]);
      const pushed = await fetch(`http://${ferry.registryHost}/v2/owner/base/tags/list`, {
        headers: { authorization: basicAuth(ferry.registryLogin) },
      });
      expect(await pushed.json()).toEqual({ name: 'owner/base', tags: ['v1'] });

      const answer = await run(
        '/usr/bin/aws',
        [
          '--profile',
          'ferry-local',
          '--region',
          'us-east-1',
          'lambda',
          'invoke',
          '--endpoint-url',
          ferry.functionHostUrl,
          '--function-name',
          'ghost',
          '--payload',
          '{}',
          '--cli-binary-format',
          'raw-in-base64-out',
          join(parent, 'out.json'),
        ],
        {
          env: {
            PATH: process.env.PATH ?? '',
            HOME: parent,
            AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
          },
        },
      ).catch((error: { stderr: string }) => error);
      expect('stderr' in answer ? answer.stderr : '').toMatch(/ResourceNotFoundException/);
    }, 120_000);
  });
});
