/**
 * The bundles' zod (FERRY_BUNDLING aliases `zod` to infra/bundling/zod-without-locales.mjs) is
 * the installed zod's API, export for export, minus only the locales: after a zod upgrade this
 * fails until the file is regenerated.
 */

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
import { FERRY_BUNDLING, ZOD_WITHOUT_LOCALES } from '../../infra/constructs/ferry-function.ts';

const SHIM = fileURLToPath(new URL(`../../${ZOD_WITHOUT_LOCALES}`, import.meta.url));

describe('Bundling: zod without its locales', () => {
  it('has every export of the installed zod but locales and core, the same values', async () => {
    const shim = (await import(SHIM)) as Record<string, unknown> & {
      z: Record<string, unknown>;
    };
    const expected = Object.keys(zod)
      .filter((k) => !['z', 'default', 'locales', 'core'].includes(k))
      .sort();
    expect(Object.keys(shim.z).sort()).toEqual(expected);
    expect(
      Object.keys(shim)
        .filter((k) => !['z', 'default'].includes(k))
        .sort(),
    ).toEqual(expected);
    for (const name of expected)
      expect(shim.z[name], name).toBe((zod as Record<string, unknown>)[name]);
    expect(shim.default).toBe(shim.z);
  });

  it('speaks English, as zod does by default', async () => {
    const { z } = (await import(SHIM)) as { z: typeof zod.z };
    expect(z.string().safeParse(1).error?.issues[0]?.message).toBe(
      'Invalid input: expected string, received number',
    );
  });

  it('is what every Lambda bundle gets for `zod`', () => {
    expect(FERRY_BUNDLING.esbuildArgs?.['--alias:zod']).toBe(ZOD_WITHOUT_LOCALES);
  });
});
