/**
 * Every settings file shipped with the examples (`examples/<name>/ferry*.json`) is what `ferry
 * functions put <fn> --file …` sends as it is: it must pass the API's settings schema and name
 * local mode's admin team, the one a fresh `npm start` registers functions for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_ADMIN_TEAM } from '../../local/local-runtime.ts';
import { functionSettingsSchema } from '../../services/core/settings.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

const shipped = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(join(EXAMPLES, dir.name))
      .filter((file) => /^ferry.*\.json$/.test(file))
      .map((file) => join(dir.name, file)),
  );

describe('Shipped settings files', () => {
  it('include the hello example’s, which the quick start puts', () => {
    expect(shipped).toContain(join('hello', 'ferry.json'));
  });

  it.each(shipped)('%s passes the settings schema and names the admin team', (file) => {
    const settings = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8'));
    const parsed = functionSettingsSchema.safeParse(settings);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.team).toBe(LOCAL_ADMIN_TEAM);
  });

  it('catches a settings file the API would refuse', () => {
    const parsed = functionSettingsSchema.safeParse({ team: LOCAL_ADMIN_TEAM, sizeBudget: 1 });
    expect(parsed.success).toBe(false);
  });
});
