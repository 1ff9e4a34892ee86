/**
 * What a failed source build says on its deployment. Both builders fail the way a
 * `codebuild:startBuild.sync` Task fails: the Catch's Cause is the Build as JSON (Step Functions
 * writes its keys PascalCase, the CodeBuild API camelCase; local mode's builder writes the same
 * shape). The reason names the phase that failed and its message, then the log's last lines.
 */

/** How many log lines a failure's reason quotes. */
export const BUILD_REASON_LINES = 10;
/** How many of the log's last lines are searched for what failed (docker prints it above its last lines). */
export const BUILD_SCAN_LINES = 40;
/** A failure's reason is at most this long: the record, Slack and the execution's Cause keep it whole. */
export const BUILD_REASON_MAX_CHARS = 1000;
// One quoted line at most this long, so one huge line cannot crowd out the others.
const LINE_MAX_CHARS = 240;
const SUMMARY_MAX_CHARS = 400;

/** The parts of a failed Build a reason is made from. */
export interface FailedBuild {
  readonly id: string;
  readonly status: string;
  /** The phase that did not succeed, with its context (statusCode, message), when reported. */
  readonly phase?: { readonly type: string; readonly code?: string; readonly message?: string };
  /** The console or file link to the build's log. */
  readonly link?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
/** A key in either casing (`BuildStatus` or `buildStatus`). */
const pick = (o: Json, key: string): unknown =>
  o[key] ?? o[key.charAt(0).toLowerCase() + key.slice(1)];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The failed Build in a `.sync` Cause (a JSON string, or already parsed), or null when it holds none. */
export function failedBuildOf(cause: unknown): FailedBuild | null {
  let value = cause;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!isObject(value)) return null;
  const build = isObject(pick(value, 'Build')) ? (pick(value, 'Build') as Json) : value;
  const id = str(pick(build, 'Id'));
  if (!id) return null;
  const phases = pick(build, 'Phases');
  const failed = Array.isArray(phases)
    ? phases.filter(isObject).find((p) => {
        const status = str(pick(p, 'PhaseStatus'));
        return status !== undefined && status !== 'SUCCEEDED';
      })
    : undefined;
  const contexts = failed ? pick(failed, 'Contexts') : undefined;
  const context = Array.isArray(contexts) ? contexts.find(isObject) : undefined;
  const logs = pick(build, 'Logs');
  const link = isObject(logs) ? str(pick(logs, 'DeepLink')) : undefined;
  const code = context ? str(pick(context, 'StatusCode')) : undefined;
  const message = context ? str(pick(context, 'Message')) : undefined;
  return {
    id,
    status: str(pick(build, 'BuildStatus')) ?? 'FAILED',
    ...(failed
      ? {
          phase: {
            type: str(pick(failed, 'PhaseType')) ?? 'BUILD',
            ...(code ? { code } : {}),
            ...(message ? { message } : {}),
          },
        }
      : {}),
    ...(link ? { link } : {}),
  };
}

// CSI sequences (colours, cursor moves) and other C0 controls but tab: a reason is plain text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** A log line without terminal escapes (colours, cursor moves) and other control characters. */
export function stripControls(line: string): string {
  return line.replace(ANSI, '');
}

/** A log line as a reason quotes it: no terminal escapes, trimmed. */
export function plainLine(line: string): string {
  return stripControls(line).trim();
}

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

// The buildspec's own refusals (`fail` in infra/buildspec.yml).
const BUILDSPEC_FAIL = /^ferry build: (.+)$/;
// BuildKit's last word on a failed RUN, and on anything else it could not do.
const SOLVE_RUN =
  /failed to solve: process "(?:\/bin\/sh -c )?((?:[^"\\]|\\.)*)" did not complete successfully: exit code: (\d+)/;
const SOLVE = /ERROR: (?:failed to build: )?failed to solve: (.+)$/;
// BuildKit names the failing instruction's file and line above its excerpt: `Dockerfile:41`.
const DOCKERFILE_LINE = /(?:^|\s)Dockerfile[\w.-]*:(\d+)\s*$/;
// CodeBuild's context message quotes the whole phase script; its Reason is what is worth keeping.
const CODEBUILD_REASON = /^Error while executing command: [\s\S]*\. Reason: (.+)$/;

/** What failed according to the build's own output (the buildspec's refusal, BuildKit's error), or null. */
export function failureInLog(lines: readonly string[]): string | null {
  const plain = lines.map(plainLine);
  const refusal = plain.findLast((l) => BUILDSPEC_FAIL.test(l));
  if (refusal) return BUILDSPEC_FAIL.exec(refusal)?.[1] ?? null;
  const at = plain.findLast((l) => DOCKERFILE_LINE.test(l));
  const where = at ? ` (Dockerfile line ${DOCKERFILE_LINE.exec(at)?.[1]})` : '';
  for (const line of [...plain].reverse()) {
    const run = SOLVE_RUN.exec(line);
    if (run) return `RUN exit ${run[2]}${where}: ${(run[1] ?? '').replace(/\\"/g, '"')}`;
    const other = SOLVE.exec(line);
    if (other) return `${other[1]}${where}`;
  }
  return null;
}

/** What failed, in one bounded line (the Build step's detail): from the log when it says, else from CodeBuild's phases. */
export function buildFailureSummary(build: FailedBuild, lines: readonly string[] = []): string {
  const phase = build.phase;
  const reason = phase?.message ? CODEBUILD_REASON.exec(phase.message)?.[1] : undefined;
  const what =
    failureInLog(lines) ??
    (reason
      ? `${phase?.type} phase: ${reason}`
      : phase?.message
        ? phase.message
        : phase
          ? `${phase.type} phase failed${phase.code ? ` (${phase.code})` : ''}`
          : `build ${build.id} ended ${build.status}`);
  return cut(plainLine(what), SUMMARY_MAX_CHARS);
}

/**
 * `build failed: <what failed> — last lines: <line> | <line> …`, at most
 * {@link BUILD_REASON_MAX_CHARS}: the newest lines are kept when they do not all fit.
 * What failed: the build's own output when it says (see {@link failureInLog}), else the failed
 * phase's message (a local build names the Dockerfile instruction, its exit code and line), else
 * the phase and its status code, else the build's status.
 */
export function buildFailureReason(build: FailedBuild, lastLines: readonly string[]): string {
  const head = `build failed: ${buildFailureSummary(build, lastLines)}`;
  const lines = lastLines
    .map(plainLine)
    .filter((l) => l !== '')
    .slice(-BUILD_REASON_LINES)
    .map((l) => cut(l, LINE_MAX_CHARS));
  if (lines.length === 0) return head;
  const kept: string[] = [];
  let length = head.length + ' — last lines: '.length;
  for (const line of [...lines].reverse()) {
    const added = line.length + (kept.length ? 3 : 0);
    if (length + added > BUILD_REASON_MAX_CHARS) break;
    kept.unshift(line);
    length += added;
  }
  return kept.length ? `${head} — last lines: ${kept.join(' | ')}` : head;
}
