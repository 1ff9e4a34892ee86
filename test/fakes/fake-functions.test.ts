/** The fake Lambda's cold starts, which the worker tests rely on: Lambda's, and the local host's. */
import { describe, expect, it } from 'vitest';
import { FakeFunctions } from './fake-functions.ts';

const IMAGE = `team/api@sha256:${'a'.repeat(64)}`;
const inits = (results: ReadonlyArray<{ report: { initDurationMs: number | null } | null }>) =>
  results.map((r) => r.report?.initDurationMs ?? null);

describe('Class: FakeFunctions', () => {
  it('starts an environment per concurrent invoke of a version nothing runs yet; later ones are warm', async () => {
    const functions = new FakeFunctions();
    functions.createFunction('api', IMAGE);

    expect(inits(await functions.invokeConcurrently('api', '1', '{}', 3))).toEqual([150, 150, 150]);
    // Lambda keeps the three environments: three invokes are warm, a fourth starts one more.
    expect(inits(await functions.invokeConcurrently('api', '1', '{}', 4))).toEqual([
      null,
      null,
      null,
      150,
    ]);
    expect((await functions.invoke('api', 'live', '{}')).report?.initDurationMs).toBeNull();
  });

  it('has no pairedColdStarts, as Lambda has none, unless built with the local host’s capability', async () => {
    expect(new FakeFunctions().pairedColdStarts).toBeUndefined();
    const functions = new FakeFunctions({ pairedColdStarts: true });
    functions.createFunction('api', IMAGE);
    await functions.invoke('api', '1', '{}');

    const pairs = await functions.pairedColdStarts?.('api', '1', 'live', '{}', 2);

    expect(inits(pairs?.version ?? [])).toEqual([150, 150]);
    expect(inits(pairs?.baseline ?? [])).toEqual([150, 150]);
  });
});
