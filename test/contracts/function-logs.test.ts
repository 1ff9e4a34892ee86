/**
 * The FunctionLogs contract against the fake, the local function host's log store (on a temp
 * directory, fed the invocation logs the host builds) and the CloudWatch adapter on moto's
 * CloudWatch Logs, holding streams named the way Lambda names them. moto answers
 * FilterLogEvents with any number of stream names, so the adapter's chunking is also checked by
 * watching the requests it sends.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionLogStore } from '../../local/function-host/log-store.ts';
import {
  CloudWatchFunctionLogs,
  logGroupOf,
  MAX_STREAMS_PER_CALL,
} from '../../services/adapters/aws/cloudwatch-function-logs.ts';
import { requestIdOf, streamDay } from '../../services/core/lambda-log-lines.ts';
import { FakeFunctionLogs } from '../fakes/fake-function-logs.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { describeFunctionLogsContract, invocationLines } from './function-logs.contract.ts';

describe('fake', () => {
  describeFunctionLogsContract({
    name: 'fake',
    make: async () => {
      const logs = new FakeFunctionLogs();
      return {
        logs,
        record: async (invocations) => {
          for (const inv of invocations) {
            const lines = invocationLines(inv);
            const initLines = inv.init?.length ?? 0;
            logs.write(
              inv.name,
              inv.at,
              lines.map((message, i) => ({
                version: inv.version,
                ...(i >= initLines ? { requestId: inv.requestId } : {}),
                message,
              })),
            );
          }
        },
      };
    },
  });
});

describe('local log store', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  describeFunctionLogsContract({
    name: 'local',
    make: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ferry-logs-'));
      dirs.push(dir);
      const logs = new FunctionLogStore(join(dir, 'logs'));
      return {
        logs,
        record: async (invocations) => {
          for (const inv of invocations) {
            logs.append({
              functionName: inv.name,
              version: inv.version,
              requestId: inv.requestId,
              log: `${invocationLines(inv).join('\n')}\n`,
              at: inv.at.getTime(),
            });
          }
        },
      };
    },
  });
});

describe('moto', () => {
  let moto: MotoServer;
  let client: CloudWatchLogsClient;
  /** logStreamNames of every FilterLogEvents request the adapter sent. */
  const filtered: Array<string[] | undefined> = [];
  const groups = new Set<string>();
  const streams = new Map<string, string>();

  beforeAll(async () => {
    moto = await startMotoServer();
    client = new CloudWatchLogsClient(motoClientConfig(moto.endpoint));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'FilterLogEventsCommand')
          filtered.push((args.input as { logStreamNames?: string[] }).logStreamNames);
        return next(args);
      },
      { step: 'initialize', name: 'recordFilteredStreamNames' },
    );
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.close();
  });

  /** A stream named as Lambda names an execution environment's, created once. */
  async function streamOf(name: string, version: string, at: Date, fresh = false) {
    const group = logGroupOf(name);
    if (!groups.has(group)) {
      await client.send(new CreateLogGroupCommand({ logGroupName: group }));
      groups.add(group);
    }
    const key = `${name}\n${version}`;
    const known = streams.get(key);
    if (known && !fresh) return known;
    const stream = `${streamDay(at)}/[${version}]${randomBytes(16).toString('hex')}`;
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    streams.set(key, stream);
    return stream;
  }

  async function put(name: string, stream: string, at: Date, lines: readonly string[]) {
    await client.send(
      new PutLogEventsCommand({
        logGroupName: logGroupOf(name),
        logStreamName: stream,
        logEvents: lines.map((message) => ({ timestamp: at.getTime(), message })),
      }),
    );
  }

  describeFunctionLogsContract({
    name: 'moto',
    make: async () => ({
      logs: new CloudWatchFunctionLogs(client),
      record: async (invocations) => {
        for (const inv of invocations) {
          const stream = await streamOf(inv.name, inv.version, inv.at);
          await put(inv.name, stream, inv.at, invocationLines(inv));
        }
      },
    }),
  });

  it(`reads a version's streams ${MAX_STREAMS_PER_CALL} names a call`, async () => {
    const name = 'logs-moto-many-streams';
    const at = new Date(Date.now() - 60_000);
    const count = MAX_STREAMS_PER_CALL + 5;
    for (let i = 0; i < count; i++) {
      const stream = await streamOf(name, '3', at, true);
      await put(name, stream, new Date(at.getTime() + i), [`line ${i}`]);
    }
    await put(name, await streamOf(name, '4', at, true), at, ['other version']);
    filtered.length = 0;
    const logs = new CloudWatchFunctionLogs(client);
    const page = await logs.read(name, {
      version: '3',
      since: new Date(at.getTime() - 1000),
      limit: 1000,
    });
    expect(page.events.map((e) => e.message)).toEqual(
      Array.from({ length: count }, (_, i) => `line ${i}`),
    );
    expect(filtered.map((names) => names?.length)).toEqual([MAX_STREAMS_PER_CALL, 5]);
  });

  it("reads a version's streams of the day before too, listed newest day first", async () => {
    const name = 'logs-moto-days';
    const group = logGroupOf(name);
    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    const now = Date.now();
    // An environment started yesterday still writes to yesterday's stream; older days are not read.
    const streamsByDay = [
      [now - 10 * 86_400_000, 'old'],
      [now - 86_400_000, 'yesterday'],
      [now, 'today'],
    ] as const;
    for (const [day, label] of streamsByDay) {
      const stream = `${streamDay(new Date(day))}/[5]${label}`;
      await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      if (label !== 'old') await put(name, stream, new Date(now - 30_000), [`from ${label}`]);
    }
    const page = await new CloudWatchFunctionLogs(client).read(name, {
      version: '5',
      since: new Date(now - 600_000),
      limit: 10,
    });
    expect(page.events.map((e) => e.message).sort()).toEqual(['from today', 'from yesterday']);
  });

  it('answers a function without a log group with an empty page', async () => {
    const page = await new CloudWatchFunctionLogs(client).read('logs-moto-never', {
      version: '1',
      since: new Date(Date.now() - 60_000),
      limit: 10,
    });
    expect(page.events).toEqual([]);
  });
});

describe('Function: requestIdOf', () => {
  it("reads the platform's lines and the Node.js runtime's", () => {
    const id = '6f1c2a3b-1111-4222-8333-444455556666';
    expect(requestIdOf(`START RequestId: ${id} Version: 3`)).toBe(id);
    expect(requestIdOf(`END RequestId: ${id}`)).toBe(id);
    expect(requestIdOf(`REPORT RequestId: ${id}\tDuration: 1 ms`)).toBe(id);
    expect(requestIdOf(`2026-12-01T10:00:00.000Z\t${id}\tINFO\thello`)).toBe(id);
    expect(requestIdOf('hello world')).toBeUndefined();
  });
});
