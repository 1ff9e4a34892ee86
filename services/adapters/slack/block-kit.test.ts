import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../../test/fakes/deployments.ts';
import { aJudgement, aTraffic } from '../../../test/fakes/traffic.ts';
import { sampleOf } from '../../core/cold-start.ts';
import type { Deployment } from '../../core/deployment.ts';
import { evaluateSizeGrowth } from '../../core/gates.ts';
import { evaluateInitGrowth } from '../../core/init-growth.ts';
import { deploymentMessage } from './block-kit.ts';

const MiB = 1024 ** 2;

const aRejected = (overrides: Partial<Deployment> = {}): Deployment =>
  aDeployment({
    functionName: 'orders-api',
    status: 'REJECTED',
    updatedAt: '2026-11-28T12:01:00.000Z',
    request: { image: 'team/api:v2' },
    ...overrides,
  });

const text = (message: ReturnType<typeof deploymentMessage>) => JSON.stringify(message.blocks);

describe('Function: deploymentMessage', () => {
  it('puts a failed cold-start gate’s figures side by side, failed gates first', () => {
    // Prepare
    const init = evaluateInitGrowth({
      sample: sampleOf([900, 900, 900, 900, 900]),
      requested: 5,
      live: sampleOf([200]),
      baseline: 'recorded',
      maxInitGrowthRatio: 1.5,
      minInitDeltaMs: 50,
    });
    const size = evaluateSizeGrowth({
      compressedBytes: 42 * MiB,
      liveCompressedBytes: 40 * MiB,
      maxGrowthRatio: 1.5,
    });
    const d = aRejected({
      reason: `init-growth gate failed: ${init.summary}`,
      smoke: {
        passed: false,
        verdict: 'reject',
        statusCode: 200,
        responseExcerpt: '{}',
        initDurationMs: 900,
        durationMs: 12.5,
        maxMemoryUsedMb: 64,
        gates: [init],
      },
    });
    const withScan = {
      ...d,
      scan: {
        verdict: 'pass' as const,
        reasons: [],
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        architecture: 'x86_64',
        compressedBytes: 42 * MiB,
        uncompressedBytes: null,
        layerCount: 3,
        largestLayers: [],
        budgetBytes: 250 * MiB,
        liveCompressedBytes: 40 * MiB,
        growthRatio: 1.05,
        maxGrowthRatio: 1.5,
        gates: [size],
      },
    };

    // Act
    const message = deploymentMessage(withScan, 'REJECTED', false);

    // Assess
    const gates = message.blocks[2] as { text: { text: string } };
    const [first, second] = gates.text.text.split('\n');
    expect(first).toBe(
      `:x: *init-growth* failed: median Init Duration 900.0 ms (IQR 900.0–900.0, n=5) vs live 200.0 ms (n=1, recorded): 4.50×, +700.0 ms, limit 1.5× beyond a 50 ms noise floor: cold start grew, beyond the spreads too; slim the image or its init code, or raise coldStart.maxInitGrowthRatio`,
    );
    expect(second).toContain(
      ':white_check_mark: *size-growth* passed: compressed size 42.0 MiB vs 40.0 MiB live (1.05×, +2.0 MiB), limit 1.5×',
    );
    expect(text(message)).toContain('*Init duration*\\n900 ms');
    expect(text(message)).toContain('*Duration*\\n12.5 ms');
    expect(text(message)).toContain('42.0 MiB in 3 layers');
  });

  it('says "not reported" for a missing Init Duration and shows why the gate was inconclusive', () => {
    const init = evaluateInitGrowth({
      sample: null,
      requested: 5,
      live: sampleOf([200]),
      baseline: 'recorded',
      maxInitGrowthRatio: 1.5,
      minInitDeltaMs: 50,
    });
    const d = aRejected({
      status: 'SUCCEEDED',
      smoke: {
        passed: true,
        statusCode: 200,
        responseExcerpt: '{}',
        initDurationMs: null,
        durationMs: 3,
        maxMemoryUsedMb: 64,
        gates: [init],
      },
    });

    const message = deploymentMessage(d, 'SUCCEEDED', false);

    expect(text(message)).toContain('*Init duration*\\nnot reported');
    expect(text(message)).toContain(
      ':warning: *init-growth* inconclusive: Init Duration not reported vs live 200.0 ms (n=1, recorded)',
    );
  });

  it("quotes a failed build's reason and links its log: the console's, or the local file's path", () => {
    const reason =
      'build failed: RUN exit 3 (Dockerfile line 5): make — last lines: cc -c widget.c | widget.c:12: error: <oops> & more';
    const failed = (buildLogsUrl: string) =>
      aDeployment({
        status: 'FAILED',
        request: { source: { url: 'https://git.example.com/a.git' } },
        reason,
        buildLogsUrl,
      });

    const aws = text(
      deploymentMessage(
        failed('https://console.aws.amazon.com/codesuite/codebuild/b/1'),
        'FAILED',
        false,
      ),
    );
    const local = text(
      deploymentMessage(failed('file:///srv/ferry/builds/0b6f.log'), 'FAILED', false),
    );
    const odd = text(deploymentMessage(failed('javascript:alert(1)'), 'FAILED', false));

    expect(aws).toContain('widget.c:12: error: &lt;oops&gt; &amp; more');
    expect(aws).toContain(
      '*Build log*\\n<https://console.aws.amazon.com/codesuite/codebuild/b/1|open the build log>',
    );
    expect(local).toContain('*Build log*\\n`/srv/ferry/builds/0b6f.log`');
    expect(odd).not.toContain('Build log');
  });

  it('adds no gate section for records without gates', () => {
    const message = deploymentMessage(aRejected({ reason: 'x' }), 'FAILED', false);
    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
  });

  it('carries the release: strategy, final weight, last judgement, provisioned concurrency, who aborted', () => {
    const d = aRejected({
      status: 'ROLLED_BACK',
      reason: 'aborted by slack:T1:U1',
      release: { version: '7', digest: null, imageUri: null },
      traffic: aTraffic({
        weight: 0,
        phase: 'rolled-back',
        judgements: [
          aJudgement({ outcome: 'fail', action: 'rollback', reason: 'errors <5%> & more' }),
        ],
        provisionedConcurrency: {
          version: '7',
          requested: 5,
          status: 'READY',
          requestedAt: '2026-11-28T12:01:00.000Z',
          removedFrom: '7',
        },
      }),
      abort: { by: 'slack:T1:U1', at: '2026-11-28T12:04:00.000Z' },
    });

    const message = deploymentMessage(d, 'ROLLED_BACK', false);

    const blocks = text(message);
    expect(blocks).toContain('*Release*\\ncanary 10% for 5 min, then all');
    expect(blocks).toContain('*Traffic*\\n0% → version 7 · step 1/2 · rolled back');
    expect(blocks).toContain(
      '*Last judgement*\\nstep 1 (10%): fail → rollback — errors &lt;5%&gt; &amp; more',
    );
    expect(blocks).toContain(
      '*Provisioned concurrency*\\n5 on version 7, READY; removed from version 7',
    );
    expect(blocks).toContain('*Aborted*\\nby slack:T1:U1');
    // Slack refuses a section of more than 10 fields.
    for (const block of message.blocks as { fields?: unknown[] }[])
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
  });
});
