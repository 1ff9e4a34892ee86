import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPipedStdin, readUserFile } from './read-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferry-read-'));
const wasTTY = process.stdin.isTTY;
afterEach(() => {
  process.stdin.isTTY = wasTTY;
});

describe('CLI: reading what the user gave', () => {
  it('reads a file', () => {
    writeFileSync(join(dir, 'settings.json'), '{"team":"payments"}');
    expect(readUserFile(join(dir, 'settings.json'), '--file')).toBe('{"team":"payments"}');
  });

  it.each([
    ['nope.json', 'no such file'],
    ['.', 'it is a directory'],
  ])('says why %s cannot be read and what to give', (name, reason) => {
    expect(() => readUserFile(join(dir, name), '--file')).toThrow(
      `cannot read --file ${join(dir, name)} (${reason}): give the path of a readable file`,
    );
  });

  it('asks for --file instead of waiting on a terminal', () => {
    process.stdin.isTTY = true;
    expect(() => readPipedStdin()).toThrow(/^nothing piped in: give --file settings\.json/);
  });
});
