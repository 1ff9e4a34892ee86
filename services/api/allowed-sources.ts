import type { SourceSpec } from '../core/deployment.ts';
import { parseImageRef } from '../core/image-ref.ts';
import { ApiProblem } from './problem.ts';

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
 * 403 unless the image's repository, or the source's repository, is in the function's
 * `allowedRepositories` (entries may use `*`; an empty list allows any). Sources count too:
 * otherwise a team limited to some repositories could build anything from source.
 */
export function requireAllowedOrigin(
  functionName: string,
  request: { image?: string; source?: SourceSpec },
  allowed: readonly string[],
): void {
  if (allowed.length === 0) return;
  const names = request.image
    ? imageNames(request.image)
    : request.source
      ? sourceNames(request.source)
      : [];
  const patterns = allowed.map(glob);
  if (names.some((name) => patterns.some((p) => p.test(name)))) return;
  throw new ApiProblem(
    403,
    'forbidden',
    `${request.image ? 'repository' : 'source'} ${names.at(-1)} is not allowed for ${functionName}; allowed: ${allowed.join(', ')} (change allowedRepositories with PUT /v1/functions/${functionName})`,
    { allowedRepositories: allowed },
  );
}
