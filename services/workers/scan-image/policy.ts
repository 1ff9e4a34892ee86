import { blockingGateReasons, evaluateSizeGrowth, type GateResult } from '../../core/gates.ts';
import type { Architecture } from '../../core/ports.ts';
import { LAMBDA_MAX_UNCOMPRESSED_BYTES } from '../../core/settings.ts';

/** What a manifest-only scan found, as the policy needs it. */
export interface ScanFacts {
  readonly mediaType: string;
  /** Set when the manifest is a multi-architecture index: its children. */
  readonly indexManifests: ReadonlyArray<{ digest: string; platform?: string }> | null;
  /** The image's architecture in Lambda's naming (`x86_64`, `arm64`), another OCI name as is, or null. */
  readonly architecture: string | null;
  /** The function's architecture. */
  readonly functionArchitecture: Architecture;
  readonly compressedBytes: number;
  /** The live release's compressed size, null when there is none or it could not be read. */
  readonly liveCompressedBytes: number | null;
}

/** The function's size policy. */
export interface ScanPolicy {
  readonly sizeBudgetBytes: number;
  /** null turns the growth check off. */
  readonly maxGrowthRatio: number | null;
  /** False on a rollback: growth is reported, never blocking; hard limits still apply. @default true */
  readonly enforceGrowth?: boolean;
}

/** The gate's decision; its arrays go into the ScanReport as they are (the report's types). */
export interface ScanVerdict {
  readonly verdict: 'pass' | 'reject';
  /** One line per broken rule; empty when passed. */
  readonly reasons: string[];
  /** New / live compressed size (3 decimals), null when the live size is unknown. */
  readonly growthRatio: number | null;
  /** The size-growth gate's figures side by side (absent for a multi-architecture index). */
  readonly gates: GateResult[];
}

/** OCI `architecture` → Lambda architecture. */
const LAMBDA_ARCHITECTURES: Readonly<Record<string, Architecture>> = {
  amd64: 'x86_64',
  x86_64: 'x86_64',
  arm64: 'arm64',
  aarch64: 'arm64',
};

/** The Lambda name of an OCI architecture (`amd64` → `x86_64`); other names unchanged. */
export function lambdaArchitecture(ociArchitecture: string): string {
  return LAMBDA_ARCHITECTURES[ociArchitecture] ?? ociArchitecture;
}

/** The OCI platform to build or pick for a Lambda architecture. */
function platformOf(architecture: Architecture): string {
  return architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}

/** Bytes as MiB with one decimal: `312.4 MiB`. */
export function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/**
 * Applies a function's size policy to what the scan found: single architecture matching the
 * function, compressed size within the budget and Lambda's limit, growth vs the live release
 * within the max ratio. Pure: figures in, verdict and reasons out.
 */
export function evaluateScanPolicy(facts: ScanFacts, policy: ScanPolicy): ScanVerdict {
  const wanted = platformOf(facts.functionArchitecture);
  if (facts.indexManifests) {
    const children = facts.indexManifests
      .map((m) => `${m.platform ?? 'unknown platform'} ${m.digest}`)
      .join(', ');
    return {
      verdict: 'reject',
      reasons: [
        `multi-architecture index: Lambda runs one architecture; deploy the ${facts.functionArchitecture} (${wanted}) manifest digest${children ? ` (the index holds: ${children})` : ''}`,
      ],
      growthRatio: null,
      gates: [],
    };
  }
  const reasons: string[] = [];
  if (facts.architecture !== null && facts.architecture !== facts.functionArchitecture) {
    reasons.push(
      `image is built for ${facts.architecture} but the function runs ${facts.functionArchitecture}: build the image for ${wanted}, or change the function's architecture`,
    );
  }
  const size = mib(facts.compressedBytes);
  if (facts.compressedBytes > policy.sizeBudgetBytes) {
    reasons.push(
      `compressed size ${size} is over the budget of ${mib(policy.sizeBudgetBytes)}: slim the image (see the largest layers) or raise the function's sizeBudgetBytes`,
    );
  }
  if (facts.compressedBytes > LAMBDA_MAX_UNCOMPRESSED_BYTES) {
    reasons.push(
      `compressed size ${size} is over Lambda's limit of ${mib(LAMBDA_MAX_UNCOMPRESSED_BYTES)} (10 GiB) uncompressed, and an image is at least its compressed size unpacked: Lambda cannot run it; slim the image`,
    );
  }
  const growth = evaluateSizeGrowth({
    compressedBytes: facts.compressedBytes,
    liveCompressedBytes: facts.liveCompressedBytes,
    maxGrowthRatio: policy.maxGrowthRatio,
    enforced: policy.enforceGrowth ?? true,
  });
  reasons.push(...blockingGateReasons([growth]));
  return {
    verdict: reasons.length > 0 ? 'reject' : 'pass',
    reasons,
    growthRatio: growth.ratio,
    gates: [growth],
  };
}
