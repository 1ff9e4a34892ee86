/**
 * The README and the pages under docs/ link to each other, to their headings and to files in the
 * repository: every such link must land (the file exists; a `#fragment` is one of its headings).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PAGES = [
  'README.md',
  'examples/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchor: lower case, markup and punctuation dropped, spaces to dashes. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The markdown text outside fenced code blocks. */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    return !fenced && !line.startsWith('```');
  });
}

function anchors(file: string): Set<string> {
  const lines = prose(readFileSync(file, 'utf8'));
  return new Set(
    lines.filter((l) => /^#{1,6} /.test(l)).map((l) => anchorOf(l.replace(/^#+/, ''))),
  );
}

function links(file: string): string[] {
  const text = prose(readFileSync(file, 'utf8'))
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
}

describe('documentation links', () => {
  it('has pages to check', () => {
    expect(PAGES.length).toBeGreaterThan(10);
  });

  it.each(PAGES)('every relative link in %s lands on a file and heading', (page) => {
    const from = join(ROOT, page);
    const broken: string[] = [];
    for (const link of links(from)) {
      if (/^[a-z]+:/.test(link)) continue;
      const [path, fragment] = link.split('#') as [string, string | undefined];
      const target = path === '' ? from : resolve(dirname(from), path);
      if (!existsSync(target)) {
        broken.push(`${link}: ${relative(ROOT, target)} does not exist`);
        continue;
      }
      if (fragment !== undefined && target.endsWith('.md') && !anchors(target).has(fragment)) {
        broken.push(`${link}: no heading #${fragment} in ${relative(ROOT, target)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('reads headings as GitHub anchors them', () => {
    expect(anchorOf(' Local functions are configured like `Lambda`’s ')).toBe(
      'local-functions-are-configured-like-lambdas',
    );
    expect(anchors(join(ROOT, 'docs/local-mode.md')).has('what-local-mode-protects')).toBe(true);
    expect(anchors(join(ROOT, 'docs/local-mode.md')).has('no-such-heading')).toBe(false);
  });
});
