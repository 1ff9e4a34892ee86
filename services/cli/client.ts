import { type Problem, ProblemError } from './problem.ts';
import type { RequestSigner } from './sigv4.ts';

/** The problem type of a 2xx answer that is not JSON: FERRY_URL is some other server. */
export const NOT_FERRY = 'urn:ferry:problem:not-ferry';

/** How the client authenticates. */
export type ClientAuth =
  | { kind: 'token'; token: string }
  | { kind: 'sigv4'; sign: RequestSigner }
  | { kind: 'none' };

/** A small JSON client for the Ferry API. */
export class FerryClient {
  constructor(
    private readonly baseUrl: URL,
    private readonly auth: ClientAuth,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Sends a request; returns the parsed JSON body; throws ProblemError for a non-2xx answer. */
  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const url = new URL(
      path.replace(/^\//, ''),
      this.baseUrl.href.endsWith('/') ? this.baseUrl : `${this.baseUrl.href}/`,
    );
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      'x-ferry-client': 'cli',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    };
    if (this.auth.kind === 'token') headers.authorization = `Bearer ${this.auth.token}`;
    if (this.auth.kind === 'sigv4')
      headers = await this.auth.sign({
        method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
    } catch (error) {
      throw new ProblemError(
        {
          type: 'urn:ferry:problem:unreachable',
          title: 'Ferry API unreachable',
          status: 0,
          detail: `cannot reach ${this.baseUrl.origin} (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}): check FERRY_URL and that the API is running`,
        },
        { cause: error },
      );
    }
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok)
      throw new ProblemError(asProblem(response.status, parsed, text, this.baseUrl.origin));
    if (text && parsed === undefined)
      throw new ProblemError({
        type: NOT_FERRY,
        title: 'Not the Ferry API',
        status: 0,
        detail: `${this.baseUrl.origin} answered ${response.status} with a body that is not JSON (${brief(text)}): check that FERRY_URL is the Ferry API`,
      });
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asProblem(status: number, parsed: unknown, text: string, origin: string): Problem {
  if (parsed && typeof parsed === 'object' && 'title' in parsed)
    return { status, ...(parsed as object) } as Problem;
  // Not Ferry's answer (a gateway's or proxy's page, API Gateway's `{"message":…}`): say what
  // came back, briefly, and where to look.
  const said = brief(text);
  const fix =
    status >= 500
      ? 'retry shortly; if it persists, check that the Ferry API is running at FERRY_URL'
      : 'check that FERRY_URL is the Ferry API';
  return {
    type: 'about:blank',
    title: `HTTP ${status}`,
    status,
    detail: `${origin} answered without a problem document${said ? ` (${said})` : ''}: ${fix}`,
  };
}

/** The first characters of a body, on one line. */
function brief(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 120);
}
