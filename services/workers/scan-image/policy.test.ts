import { describe, expect, it } from 'vitest';
import { LAMBDA_MAX_UNCOMPRESSED_BYTES } from '../../core/settings.ts';
import { evaluateScanPolicy, lambdaArchitecture, mib, type ScanFacts } from './policy.ts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function facts(overrides: Partial<ScanFacts> = {}): ScanFacts {
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    indexManifests: null,
    architecture: 'x86_64',
    functionArchitecture: 'x86_64',
    compressedBytes: 100 * MiB,
    liveCompressedBytes: null,
    ...overrides,
  };
}

const policy = { sizeBudgetBytes: 250 * MiB, maxGrowthRatio: 1.5 };

describe('evaluateScanPolicy', () => {
  it('passes an image under the budget with no live release', () => {
    // Act
    const result = evaluateScanPolicy(facts(), policy);

    // Assess
    expect(result).toMatchObject({ verdict: 'pass', reasons: [], growthRatio: null });
    expect(result.gates).toEqual([
      expect.objectContaining({ gate: 'size-growth', outcome: 'not-evaluated' }),
    ]);
  });

  it('passes an image exactly at the budget', () => {
    expect(evaluateScanPolicy(facts({ compressedBytes: 250 * MiB }), policy).verdict).toBe('pass');
  });

  it('rejects an image over the budget, giving both figures in MiB', () => {
    // Act
    const result = evaluateScanPolicy(facts({ compressedBytes: 315_000_000 }), policy);

    // Assess
    expect(result.verdict).toBe('reject');
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toContain(
      'compressed size 300.4 MiB is over the budget of 250.0 MiB',
    );
    expect(result.reasons[0]).toContain('sizeBudgetBytes');
  });

  it('rejects growth over the max ratio, giving both sizes and the ratio', () => {
    // Act
    const result = evaluateScanPolicy(
      facts({ compressedBytes: 200 * MiB, liveCompressedBytes: 80 * MiB }),
      policy,
    );

    // Assess
    expect(result.verdict).toBe('reject');
    expect(result.growthRatio).toBe(2.5);
    expect(result.reasons).toEqual([
      expect.stringContaining(
        'size-growth gate failed: compressed size 200.0 MiB vs 80.0 MiB live (2.50×, +120.0 MiB), limit 1.5×',
      ),
    ]);
    expect(result.gates).toEqual([
      expect.objectContaining({ outcome: 'failed', value: 200 * MiB, live: 80 * MiB, ratio: 2.5 }),
    ]);
  });

  it('passes growth within the max ratio', () => {
    // Act
    const result = evaluateScanPolicy(
      facts({ compressedBytes: 120 * MiB, liveCompressedBytes: 90 * MiB }),
      policy,
    );

    // Assess
    expect(result).toMatchObject({ verdict: 'pass', reasons: [], growthRatio: 1.333 });
    expect(result.gates[0]?.outcome).toBe('passed');
  });

  it('skips the growth rule when the max ratio is null, still reporting the ratio', () => {
    // Act
    const result = evaluateScanPolicy(
      facts({ compressedBytes: 200 * MiB, liveCompressedBytes: 20 * MiB }),
      { ...policy, maxGrowthRatio: null },
    );

    // Assess
    expect(result).toMatchObject({ verdict: 'pass', reasons: [], growthRatio: 10 });
    expect(result.gates[0]?.outcome).toBe('off');
  });

  it('rejects an arm64 image for an x86_64 function, saying which platform to build', () => {
    // Act
    const result = evaluateScanPolicy(facts({ architecture: 'arm64' }), policy);

    // Assess
    expect(result.verdict).toBe('reject');
    expect(result.reasons).toEqual([
      expect.stringMatching(
        /built for arm64 but the function runs x86_64: build the image for linux\/amd64/,
      ),
    ]);
  });

  it('does not reject an image whose config names no architecture', () => {
    expect(evaluateScanPolicy(facts({ architecture: null }), policy).verdict).toBe('pass');
  });

  it('rejects a multi-architecture index, listing its manifests', () => {
    // Act
    const result = evaluateScanPolicy(
      facts({
        mediaType: 'application/vnd.oci.image.index.v1+json',
        architecture: null,
        functionArchitecture: 'arm64',
        compressedBytes: 0,
        indexManifests: [
          { digest: 'sha256:aaa', platform: 'linux/amd64' },
          { digest: 'sha256:bbb', platform: 'linux/arm64/v8' },
        ],
      }),
      policy,
    );

    // Assess
    expect(result.verdict).toBe('reject');
    expect(result.reasons).toEqual([
      'multi-architecture index: Lambda runs one architecture; deploy the arm64 (linux/arm64) manifest digest (the index holds: linux/amd64 sha256:aaa, linux/arm64/v8 sha256:bbb)',
    ]);
  });

  it("rejects an image over Lambda's 10 GiB limit even with a larger budget", () => {
    // Act
    const result = evaluateScanPolicy(facts({ compressedBytes: 11 * GiB }), {
      sizeBudgetBytes: 20 * GiB,
      maxGrowthRatio: null,
    });

    // Assess
    expect(LAMBDA_MAX_UNCOMPRESSED_BYTES).toBe(10 * GiB);
    expect(result.verdict).toBe('reject');
    expect(result.reasons).toEqual([
      expect.stringContaining(
        "compressed size 11264.0 MiB is over Lambda's limit of 10240.0 MiB (10 GiB)",
      ),
    ]);
  });

  it('gives one reason per broken rule', () => {
    // Act
    const result = evaluateScanPolicy(
      facts({ architecture: 'arm64', compressedBytes: 300 * MiB, liveCompressedBytes: 100 * MiB }),
      policy,
    );

    // Assess
    expect(result.reasons).toHaveLength(3);
  });
});

describe('lambdaArchitecture', () => {
  it('maps OCI names to Lambda names and leaves others as they are', () => {
    expect(lambdaArchitecture('amd64')).toBe('x86_64');
    expect(lambdaArchitecture('arm64')).toBe('arm64');
    expect(lambdaArchitecture('s390x')).toBe('s390x');
  });
});

describe('mib', () => {
  it('formats bytes as MiB with one decimal', () => {
    expect(mib(1_572_864)).toBe('1.5 MiB');
  });
});
