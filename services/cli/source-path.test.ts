import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './commands.ts';
import { sourceUrl } from './source-path.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferry source path '));
writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI: --source', () => {
  it('sends a relative directory as the file:// URL of its absolute path', () => {
    expect(sourceUrl('.', dir)).toBe(`file://${encodeURI(dir)}`);
    expect(new URL(sourceUrl('.', dir)).pathname).toBe(encodeURI(dir));
  });

  it('sends an absolute directory as its file:// URL', () => {
    expect(decodeURI(sourceUrl(dir))).toBe(`file://${dir}`);
  });

  it('passes URLs on as given', () => {
    for (const url of ['https://github.com/acme/app.git', 'file:///srv/app', 's3://bucket/app.zip'])
      expect(sourceUrl(url, dir)).toBe(url);
  });

  it('refuses a path that is not a directory, naming it', () => {
    expect(() => sourceUrl('Dockerfile', dir)).toThrow(UsageError);
    expect(() => sourceUrl('Dockerfile', dir)).toThrow(
      `--source Dockerfile: not a directory (${join(dir, 'Dockerfile')})`,
    );
    expect(() => sourceUrl('missing', dir)).toThrow('--source missing: no such directory');
  });
});
