/**
 * Reads infra/buildspec.yml's shell commands (its `- |` block scalars and one-line commands)
 * and finds FERRY_* expansions outside double quotes: a small shell-quoting scanner, enough for
 * the subset the buildspec uses (no heredocs, no backslash-escaped quotes outside strings).
 */
import { readFileSync } from 'node:fs';
import { BUILDSPEC_PATH } from '../../../infra/constructs/build-projects.ts';

/** The buildspec's text. */
export function buildspecText(): string {
  return readFileSync(BUILDSPEC_PATH, 'utf8');
}

/** Each command of every phase, as the shell receives it. */
export function buildspecCommands(text = buildspecText()): string[] {
  const lines = text.split('\n');
  const commands: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const block = /^(\s*)- \|\s*$/.exec(line);
    if (block) {
      const body: string[] = [];
      const indent = (block[1] as string).length;
      while (i + 1 < lines.length) {
        const next = lines[i + 1] as string;
        if (next.trim() !== '' && next.search(/\S/) <= indent) break;
        body.push(next);
        i++;
      }
      const margin = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
      commands.push(body.map((l) => l.slice(margin)).join('\n'));
    } else if (/^\s*- (?!\|)/.test(line) && /^\s{6,}/.test(line)) {
      commands.push(line.replace(/^\s*- /, ''));
    }
  }
  return commands;
}

/** A FERRY_* expansion found outside double quotes. */
export interface UnquotedExpansion {
  readonly line: string;
  readonly variable: string;
}

/**
 * FERRY_* expansions (`$FERRY_X`, `${FERRY_X…}`) not inside double quotes. Tracks single and
 * double quotes, comments, and `$( … )` / `<( … )`, which open a fresh quoting context.
 */
export function unquotedFerryExpansions(script: string): UnquotedExpansion[] {
  const found: UnquotedExpansion[] = [];
  const contexts: Array<{ quote: '"' | "'" | null }> = [{ quote: null }];
  const lineAt = (i: number) =>
    script
      .slice(script.lastIndexOf('\n', i) + 1)
      .split('\n')[0]
      ?.trim() ?? '';
  for (let i = 0; i < script.length; i++) {
    const c = script[i] as string;
    const top = contexts[contexts.length - 1] as { quote: '"' | "'" | null };
    if (top.quote === "'") {
      if (c === "'") top.quote = null;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    const next = script[i + 1];
    if (top.quote === null && c === '#' && (i === 0 || /\s/.test(script[i - 1] as string))) {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
    } else if ((c === '$' || c === '<') && next === '(') {
      contexts.push({ quote: null });
      i++;
    } else if (c === ')' && top.quote === null && contexts.length > 1) {
      contexts.pop();
    } else if (c === '"') {
      top.quote = top.quote === '"' ? null : '"';
    } else if (c === "'" && top.quote === null) {
      top.quote = "'";
    } else if (c === '$') {
      const match = /^\$\{?(FERRY_[A-Z0-9_]+)/.exec(script.slice(i));
      if (match && top.quote !== '"') found.push({ line: lineAt(i), variable: match[1] as string });
    }
  }
  return found;
}

/**
 * FERRY_* variables a script expands (`$FERRY_X`, `${FERRY_X…}`) and never assigns: its inputs.
 * Full-line comments are skipped; assignments are `NAME=` at a word start, all this buildspec uses.
 */
export function ferryInputs(script: string): string[] {
  const code = script.replace(/^\s*#.*$/gm, '');
  const expanded = new Set([...code.matchAll(/\$\{?(FERRY_[A-Z0-9_]+)/g)].map((m) => m[1]));
  const assigned = new Set(
    [...code.matchAll(/(?:^|[\s;&|(])(?:export\s+)?(FERRY_[A-Z0-9_]+)=/gm)].map((m) => m[1]),
  );
  return [...expanded].filter((name): name is string => !!name && !assigned.has(name)).sort();
}

/** How a script's FERRY_* inputs differ from the variables it should read. */
export function inputDrift(
  script: string,
  expected: readonly string[],
): { missing: string[]; unexpected: string[] } {
  const inputs = ferryInputs(script);
  return {
    missing: expected.filter((name) => !inputs.includes(name)).sort(),
    unexpected: inputs.filter((name) => !expected.includes(name)),
  };
}
