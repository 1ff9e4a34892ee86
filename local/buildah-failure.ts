/**
 * Names what failed in a `buildah bud` run from its log: the last `STEP n/m: …` buildah printed is
 * the instruction it was running, its `Error: building at STEP "…": …` line the error, and a
 * `RUN` step's `exit status N` its exit code. The instruction's line comes from the Dockerfile
 * (buildah prints instructions with continuations joined, so they are compared the same way).
 */
import { plainLine } from '../services/core/build-failure.ts';

const STEP = /^STEP (\d+)\/(\d+): (.*)$/;
const ERROR = /^Error: (?:building at STEP "(?:[^"]|"(?!: ))*": )?(.*)$/;
const EXIT = /exit status (\d+)/;

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Each instruction of a Dockerfile with its first line number, continuations joined. */
export function dockerfileInstructions(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let first = 0;
  let parts: string[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    // Blank and comment lines, also inside a continued instruction (the parser drops them there).
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (parts.length === 0) first = index + 1;
    const continued = /\\\s*$/.test(line);
    parts.push(continued ? line.replace(/\\\s*$/, '') : line);
    if (!continued) {
      out.push({ line: first, text: squash(parts.join(' ')) });
      parts = [];
    }
  }
  if (parts.length > 0) out.push({ line: first, text: squash(parts.join(' ')) });
  return out;
}

/**
 * What failed, in one line: `RUN exit 3 (Dockerfile line 5): make` for a command, `<instruction>
 * (Dockerfile line N): <buildah's error>` for another instruction, `fallback` when the log names
 * no step (the failure came before buildah built anything).
 */
export function describeBuildahFailure(
  log: readonly string[],
  dockerfile: string | undefined,
  fallback: string,
): string {
  const lines = log.map(plainLine);
  const stepIndex = lines.findLastIndex((l) => STEP.test(l));
  if (stepIndex < 0) return fallback;
  const after = lines.slice(stepIndex + 1);
  // A failure after the last step (the build's commit, say) is not the step's.
  const errorLine = after.find((l) => ERROR.test(l));
  if (!errorLine) return fallback;
  const step = squash(STEP.exec(lines[stepIndex] ?? '')?.[3] ?? '');
  const error = ERROR.exec(errorLine)?.[1] ?? '';
  const at = dockerfile
    ? dockerfileInstructions(dockerfile).find((i) => squash(plainLine(i.text)) === step)
    : undefined;
  const where = at ? ` (Dockerfile line ${at.line})` : '';
  const [keyword = '', ...rest] = step.split(' ');
  const exit = EXIT.exec(error);
  if (keyword.toUpperCase() === 'RUN' && exit) {
    return `RUN exit ${exit[1]}${where}: ${rest.join(' ')}`;
  }
  return `${step}${where}: ${error}`;
}
