import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsOtherUser } from '../test/support/other-user.ts';
import { createStoreTable, type RunningDynalite, startDynalite } from './dynalite-server.ts';

const TABLE = 'ferry';
/** An unsigned DynamoDB PutItem of an admin token item over raw HTTP, to a URL or a socket path. */
const RAW_PUT = `
import http from 'node:http';
const target = process.argv[1];
const body = JSON.stringify({ TableName: 'ferry', Item: { pk: { S: 'TOKEN#forged' }, sk: { S: 'TOKEN' }, team: { S: 'platform' } } });
const where = target.startsWith('/') ? { socketPath: target, path: '/' } : { host: new URL(target).hostname, port: new URL(target).port };
const req = http.request({ ...where, method: 'POST', headers: {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'DynamoDB_20120810.PutItem',
  'x-amz-date': '20260101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=any/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
} }, (res) => { console.log('status ' + res.statusCode); process.exit(0); });
req.on('error', (error) => console.log('error ' + error.code));
req.end(body);`;

describe('startDynalite on a socket (local mode)', () => {
  let home: string;
  let db: RunningDynalite;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'ferry-dynalite-'));
    chmodSync(home, 0o755); // a FERRY_HOME others can enter: the socket's own directory must hold
    db = await startDynalite({ socketPath: join(home, 'store', 'dynalite.sock') });
    await createStoreTable(db.client, TABLE);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('keeps another user from writing an item (no TCP port, an owner-only socket)', async () => {
    const answer = await runAsOtherUser(RAW_PUT, [db.socketPath ?? db.endpoint]);

    expect(answer).toBe('error EACCES');
  });

  it('serves Ferry through its client, on a socket only the owner can reach', async () => {
    await db.client.send(
      new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'K' }, sk: { S: 'S' } } }),
    );
    const got = await db.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'K' }, sk: { S: 'S' } } }),
    );

    expect(got.Item?.pk?.S).toBe('K');
    const socket = db.socketPath ?? '';
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(socket)).mode & 0o777).toBe(0o700);
  });

  it('refuses a socket path another running store holds', async () => {
    await expect(startDynalite({ socketPath: db.socketPath ?? '' })).rejects.toThrow(
      /already serving/,
    );
  });
});
