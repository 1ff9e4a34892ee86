import type { ColdStartVerdict } from '../../services/core/cold-start-verdict.ts';
import type { ColdStartVerdicts } from '../../services/core/ports.ts';
import { copyOut } from './copy.ts';

/** In-memory ColdStartVerdicts: one verdict per function and digest, copied in and out. */
export class MemoryColdStartVerdicts implements ColdStartVerdicts {
  readonly verdicts = new Map<string, ColdStartVerdict>();

  async getVerdict(functionName: string, digest: string): Promise<ColdStartVerdict | null> {
    const verdict = this.verdicts.get(`${functionName}\n${digest}`);
    return verdict ? copyOut(verdict) : null;
  }

  async putVerdict(verdict: ColdStartVerdict): Promise<void> {
    this.verdicts.set(`${verdict.functionName}\n${verdict.digest}`, copyOut(verdict));
  }
}
