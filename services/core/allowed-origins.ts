/**
 * Which images and sources a function may be deployed from (its settings' `allowedRepositories`).
 * The one home of the rule: the API refuses a request with it, and Prepare checks the recorded
 * request with it again, so an entry point and the workflow can never disagree.
 */
import type { SourceSpec } from './deployment.ts';
import { AccessDeniedError } from './errors.ts';
import { parseImageRef } from './image-ref.ts';

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The names an image is known by: `repo` and `registry/repo`. */
function imageNames(image: string): string[] {
  const ref = parseImageRef(image);
  return [ref.repository, ...(ref.registry ? [`${ref.registry}/${ref.repository}`] : [])];
}

/** The names a source is known by: the URL and `host/path` (no scheme, no `.git`, no trailing /). */
function sourceNames(source: SourceSpec): string[] {
  const url = new URL(source.url);
  const path = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
  return [source.url, `${url.host}${path}`];
}

/**
 * AccessDeniedError unless the image's repository, or the source's repository, matches the
 * function's `allowedRepositories` (entries may use `*`; an empty list allows any). Sources count
 * too: otherwise a team limited to some repositories could build anything from source.
 */
export function requireAllowedOrigin(
  functionName: string,
  request: { readonly image?: string | undefined; readonly source?: SourceSpec | undefined },
  allowed: readonly string[],
): void {
  if (allowed.length === 0) return;
  const names = request.source
    ? sourceNames(request.source)
    : request.image
      ? imageNames(request.image)
      : [];
  const patterns = allowed.map(glob);
  if (names.some((name) => patterns.some((p) => p.test(name)))) return;
  throw new AccessDeniedError(
    `${request.source ? 'source' : 'repository'} ${names.at(-1)} is not allowed for ${functionName}; allowed: ${allowed.join(', ')} (change allowedRepositories with PUT /v1/functions/${functionName})`,
    { allowedRepositories: allowed },
  );
}
