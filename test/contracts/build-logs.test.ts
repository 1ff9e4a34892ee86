/**
 * The BuildLogs contract against the fake, local mode's log files (as the buildah builder names
 * and writes them) and the CodeBuild adapter on moto: a project and its builds in moto's
 * CodeBuild, their lines in moto's CloudWatch Logs.
 *
 * moto's BatchGetBuilds answers `logs` with a deep link and the ARN of a group and stream named
 * "null", never `groupName`/`streamName` (CodeBuild's answer once a build has started logging),
 * and writes its times as text where CodeBuild sends epoch seconds (the SDK cannot read them).
 * The stand-ins: a middleware on the test's CodeBuild client that fills those two fields with the
 * group and stream the test created for the build and turns the times into numbers, on moto's raw
 * answer; everything else is moto's.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  type Build,
  CodeBuildClient,
  CreateProjectCommand,
  StartBuildCommand,
} from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe } from 'vitest';
import { CodeBuildBuildLogs } from '../../services/adapters/aws/codebuild-build-logs.ts';
import { LocalBuildLogs } from '../../services/adapters/local/local-build-logs.ts';
import { FakeBuildLogs } from '../fakes/fake-build-logs.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { describeBuildLogsContract } from './build-logs.contract.ts';

describe('fake', () => {
  let n = 0;
  describeBuildLogsContract({
    name: 'fake',
    make: async () => {
      const logs = new FakeBuildLogs();
      return {
        logs,
        unknownId: 'ferry-build:unknown',
        start: async () => {
          const id = `ferry-build:${++n}`;
          logs.start(id);
          return id;
        },
        write: async (id, lines) => logs.write(id, lines),
      };
    },
  });
});

describe('local build log files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-build-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  describeBuildLogsContract({
    name: 'local',
    make: async () => {
      const logDir = join(dir, randomUUID());
      mkdirSync(logDir);
      const file = (id: string) => join(logDir, `${id.split(':')[1]}.log`);
      return {
        logs: new LocalBuildLogs(logDir),
        unknownId: `ferry-local:${randomUUID()}`,
        start: async () => {
          const id = `ferry-local:${randomUUID()}`;
          writeFileSync(file(id), '', { mode: 0o600 });
          return id;
        },
        write: async (id, lines) => appendFileSync(file(id), lines.map((l) => `${l}\n`).join('')),
      };
    },
  });
});

describe('CodeBuild and CloudWatch Logs (moto)', () => {
  let moto: MotoServer;
  let codebuild: CodeBuildClient;
  let cloudwatch: CloudWatchLogsClient;
  const streams = new Map<string, { groupName: string; streamName: string }>();
  let clock = Date.now() - 60_000;
  beforeAll(async () => {
    moto = await startMotoServer();
    codebuild = new CodeBuildClient(motoClientConfig(moto.endpoint));
    cloudwatch = new CloudWatchLogsClient(motoClientConfig(moto.endpoint));
    // The stand-ins (see the module doc), on the raw answer before the SDK reads it.
    codebuild.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const response = result.response as {
          body: AsyncIterable<Uint8Array>;
          headers: Record<string, string>;
        };
        const chunks: Uint8Array[] = [];
        for await (const chunk of response.body) chunks.push(chunk);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}', (key, value) =>
          // moto writes times as text; CodeBuild (and so the SDK) uses epoch seconds.
          typeof value === 'string' && /Time$/.test(key) ? Date.parse(value) / 1000 : value,
        ) as { builds?: Build[]; build?: Build };
        for (const build of body.builds ?? []) {
          const names = build.id ? streams.get(build.id) : undefined;
          if (names) build.logs = { ...build.logs, ...names };
        }
        const text = Buffer.from(JSON.stringify(body));
        response.body = Readable.from([text]);
        response.headers['content-length'] = String(text.length);
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'motoCodeBuildAnswers' },
    );
    await codebuild.send(
      new CreateProjectCommand({
        name: 'ferry-build-x86_64',
        source: { type: 'NO_SOURCE', location: 'inline' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_MEDIUM',
        },
        serviceRole: 'arn:aws:iam::123456789012:role/ferry-build',
      }),
    );
    await cloudwatch.send(new CreateLogGroupCommand({ logGroupName: '/ferry/builds' }));
  }, 60_000);
  afterAll(async () => {
    codebuild?.destroy();
    cloudwatch?.destroy();
    await moto?.close();
  });

  describeBuildLogsContract({
    name: 'moto',
    make: async () => ({
      logs: new CodeBuildBuildLogs(codebuild, cloudwatch),
      unknownId: `ferry-build-x86_64:${randomUUID()}`,
      start: async () => {
        const { build } = await codebuild.send(
          new StartBuildCommand({ projectName: 'ferry-build-x86_64' }),
        );
        const id = build?.id ?? '';
        const streamName = id.split(':')[1] ?? id;
        await cloudwatch.send(
          new CreateLogStreamCommand({ logGroupName: '/ferry/builds', logStreamName: streamName }),
        );
        streams.set(id, { groupName: '/ferry/builds', streamName });
        return id;
      },
      write: async (id, lines) => {
        const names = streams.get(id);
        if (!names) throw new Error(`no stream for ${id}`);
        await cloudwatch.send(
          new PutLogEventsCommand({
            logGroupName: names.groupName,
            logStreamName: names.streamName,
            // CodeBuild writes one event a line, each ending in a line break.
            logEvents: lines.map((l) => ({ timestamp: ++clock, message: `${l}\n` })),
          }),
        );
      },
    }),
  });
});
