import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every problem kind the API answers with; `type` is `urn:ferry:problem:<kind>` and never changes. */
export const PROBLEM_KINDS = {
  validation: 'Invalid request',
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed',
  'not-found': 'Not found',
  'function-not-registered': 'Function not registered with Ferry',
  conflict: 'Conflict',
  'deployment-in-progress': 'A deployment of this function is in progress',
  'idempotency-key-reuse': 'Idempotency key reused with a different request',
  'nothing-to-roll-back-to': 'Nothing to roll back to',
  'image-collected': "The release's image was removed by ferry gc",
  'not-running': 'The deployment is not running',
  'not-awaiting-approval': 'The deployment is not waiting for an approval',
  'already-aborted': 'The deployment was aborted',
  'repository-not-watched': 'Pushes to this repository do not reach Ferry',
  'payload-too-large': 'Request body too large',
  'unsupported-media-type': 'Unsupported media type',
  'invalid-cursor': 'Invalid pagination cursor',
  'workflow-unavailable': 'The deploy workflow could not be started',
  unavailable: 'Temporarily unavailable',
  internal: 'Internal error',
} as const;

/** A problem kind. */
export type ProblemKind = keyof typeof PROBLEM_KINDS;

/** The `type` URI of a problem kind. */
export const problemType = (kind: ProblemKind) => `urn:ferry:problem:${kind}`;

/** An RFC 9457 problem raised by a route; `app.onError` renders it. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly kind: ProblemKind,
    readonly detail: string,
    /** Extension members of the problem document (`errors`, `holder`, `id`…). */
    readonly extensions: Record<string, unknown> = {},
    /** Response headers (`WWW-Authenticate`, `Retry-After`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

// Clients may retry a 503 after this many seconds (RFC 9110 §10.2.3).
const RETRY_AFTER_SECONDS = '5';

/** Renders a problem as `application/problem+json`. */
export function problemResponse(c: Context, problem: ApiProblem): Response {
  const body = {
    type: problemType(problem.kind),
    title: PROBLEM_KINDS[problem.kind],
    status: problem.status,
    detail: problem.detail,
    instance: c.req.path,
    ...problem.extensions,
  };
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    ...(problem.status === 401 ? { 'www-authenticate': 'Bearer realm="ferry"' } : {}),
    ...(problem.status === 503 ? { 'retry-after': RETRY_AFTER_SECONDS } : {}),
  };
  for (const [name, value] of Object.entries(problem.headers)) headers[name.toLowerCase()] = value;
  return new Response(JSON.stringify(body), { status: problem.status, headers });
}

/** Validation issues (zod) as problem `errors` members. */
export function validationProblem(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  where = 'request body',
): ApiProblem {
  const errors = issues
    .slice(0, 20)
    .map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  const first = errors[0];
  return new ApiProblem(
    400,
    'validation',
    `the ${where} is invalid${first ? `: ${first.path}: ${first.message}` : ''}`,
    { errors },
  );
}
