/** A request helper for tests that build their own app (other auth, other config). */

/** Any app with Hono's `request`. */
export interface RequestableApp {
  request(path: string, init?: RequestInit, env?: unknown): Response | Promise<Response>;
}

/** Sends a JSON request (string bodies as they are) and returns status, headers and parsed body. */
export async function send(
  app: RequestableApp,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; env?: unknown } = {},
) {
  const raw =
    typeof options.body === 'string' || options.body === undefined
      ? options.body
      : JSON.stringify(options.body);
  const res = await app.request(
    path,
    {
      method,
      headers: {
        ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(raw !== undefined ? { body: raw } : {}),
    },
    options.env,
  );
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, headers: res.headers, body, text };
}
