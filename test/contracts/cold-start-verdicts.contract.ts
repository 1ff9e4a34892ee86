/** The ColdStartVerdicts contract: one verdict per function and digest, the last one put, as written. */
import { describe, expect, it } from 'vitest';
import { sampleOf } from '../../services/core/cold-start.ts';
import type { ColdStartVerdict } from '../../services/core/cold-start-verdict.ts';
import type { ColdStartVerdicts } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

const DIGEST = `sha256:${'d'.repeat(64)}`;

/** A verdict on `digest` of `functionName`, judged by `deploymentId`. */
export const verdictRecord = (
  functionName: string,
  deploymentId: string,
  outcome: ColdStartVerdict['outcome'] = 'failed',
  digest = DIGEST,
): ColdStartVerdict => ({
  functionName,
  digest,
  outcome,
  deploymentId,
  version: '7',
  judgedAt: '2026-12-01T10:00:00.000Z',
  settings: { maxInitGrowthRatio: 1.5, minInitDeltaMs: 100, samples: 5 },
  gate: {
    gate: 'init-growth',
    outcome,
    blocks: outcome === 'failed',
    unit: 'ms',
    value: 2026.8,
    live: 23.1,
    ratio: 87.74,
    delta: 2003.7,
    maxRatio: 1.5,
    minDelta: 100,
    sample: sampleOf([2026.8, 2031.5, 2019.9, 2040.2, 2024.4]),
    liveSample: null,
    baseline: 'recorded',
    summary:
      'median Init Duration 2026.8 ms (IQR 2024.4–2031.5, n=5) vs live 23.1 ms (n=1, recorded)',
  },
});

/** Registers the ColdStartVerdicts contract for one implementation. */
export function describeColdStartVerdictsContract(
  implementation: string,
  make: MakeSubject<ColdStartVerdicts>,
): void {
  describe(`ColdStartVerdicts contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const verdicts = () => subject().port;

    it('has no verdict for a digest never judged', async () => {
      await expect(verdicts().getVerdict('orders', DIGEST)).resolves.toBeNull();
    });

    it('keeps one verdict per function and digest: the last one put, figures and all', async () => {
      const other = `sha256:${'e'.repeat(64)}`;
      await verdicts().putVerdict(verdictRecord('orders', 'd-1', 'failed'));
      await verdicts().putVerdict(verdictRecord('orders', 'd-2', 'passed'));
      await verdicts().putVerdict(verdictRecord('orders', 'd-3', 'inconclusive', other));
      await verdicts().putVerdict(verdictRecord('billing', 'd-4', 'failed'));
      await expect(verdicts().getVerdict('orders', DIGEST)).resolves.toEqual(
        verdictRecord('orders', 'd-2', 'passed'),
      );
      await expect(verdicts().getVerdict('orders', other)).resolves.toEqual(
        verdictRecord('orders', 'd-3', 'inconclusive', other),
      );
      await expect(verdicts().getVerdict('billing', DIGEST)).resolves.toEqual(
        verdictRecord('billing', 'd-4', 'failed'),
      );
    });

    it('is idempotent: putting the same verdict again changes nothing', async () => {
      await verdicts().putVerdict(verdictRecord('orders', 'd-1'));
      await verdicts().putVerdict(verdictRecord('orders', 'd-1'));
      await expect(verdicts().getVerdict('orders', DIGEST)).resolves.toEqual(
        verdictRecord('orders', 'd-1'),
      );
    });

    it('hands out copies: changing what was read changes nothing stored', async () => {
      await verdicts().putVerdict(verdictRecord('orders', 'd-1'));
      const read = (await verdicts().getVerdict('orders', DIGEST)) as ColdStartVerdict;
      (read as { outcome: string }).outcome = 'passed';
      read.gate.sample?.samplesMs.push(1);
      await expect(verdicts().getVerdict('orders', DIGEST)).resolves.toEqual(
        verdictRecord('orders', 'd-1'),
      );
    });
  });
}
