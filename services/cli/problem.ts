/** An RFC 9457 problem the API answered with. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: ReadonlyArray<{ path?: string; message: string }>;
  readonly [extension: string]: unknown;
}

/** Thrown by the client for a non-2xx answer; carries the problem. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly problem: Problem,
    options?: { cause?: unknown },
  ) {
    super(problem.detail ?? problem.title, options);
  }
}

/**
 * One line that says what went wrong and what to fix: `ferry: 404 function-not-registered:
 * function orders is not registered … (field source.url: …)`.
 */
export function problemLine(problem: Problem): string {
  const kind = problem.type.split(':').at(-1) ?? problem.type;
  const detail = problem.detail ?? problem.title;
  // A field whose message the detail already says adds nothing but the repetition.
  const fields = (problem.errors ?? [])
    .filter((e) => !detail.includes(e.message))
    .slice(0, 3)
    .map((e) => (e.path ? `${e.path}: ${e.message}` : e.message))
    .join('; ');
  // about:blank names no kind of its own: the status says it.
  const head = [problem.status || '', problem.type === 'about:blank' ? '' : kind]
    .filter(Boolean)
    .join(' ');
  return `${head}: ${detail}${fields ? ` (${fields})` : ''}`;
}
