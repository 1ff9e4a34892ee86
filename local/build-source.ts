/**
 * Local mode's build sources, with the same rules as the CodeBuild buildspec: a git repository
 * over https:// or file:// (fetched at the ref, depth 1, like the buildspec), or a plain file://
 * directory (copied, so the build sees a snapshot). Context and Dockerfile paths are checked
 * before (relative, no `..`) and after the checkout (inside it once symlinks are resolved).
 */
import { cp, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A request value that cannot be built; the message says what was wrong and how to fix it. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

// The buildspec's rule for refs: a branch, tag or commit name, never an option.
const REF = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;

/** Throws unless `value` is a relative path with no `..` segment that cannot be read as an option. */
export function checkRelativePath(name: string, value: string): void {
  const segments = value.split('/');
  if (
    value === '' ||
    value.startsWith('/') ||
    value.startsWith('-') ||
    value.includes('\0') ||
    segments.includes('..')
  ) {
    throw new SourceError(`${name} must be a relative path without '..'; got '${value}'`);
  }
}

/** Checks the URL and ref before anything is fetched. s3:// is AWS-only. */
export function checkSource(url: string, ref: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SourceError(`FERRY_SOURCE_URL is not a URL: '${url}'`);
  }
  if (parsed.protocol === 's3:') {
    throw new SourceError(
      `s3:// sources build on AWS only (CodeBuild); local mode builds https:// git repositories and file:// directories or git repositories: got '${url}'`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'file:') {
    throw new SourceError(`FERRY_SOURCE_URL must start with https:// or file://; got '${url}'`);
  }
  if (parsed.username || parsed.password) {
    throw new SourceError('FERRY_SOURCE_URL must not carry credentials');
  }
  if (ref !== '' && !REF.test(ref)) {
    throw new SourceError(`FERRY_SOURCE_REF is not a branch, tag or commit name: '${ref}'`);
  }
  return parsed;
}

/** Runs a command from an argv array (output to the build log); rejects on a non-zero exit. */
export type RunCommand = (command: string, args: readonly string[]) => Promise<void>;

/**
 * Puts the source into `dest` (an empty directory): git fetch for https:// and for file:// git
 * repositories, a copy for other file:// directories (then `ref` must be empty).
 */
export async function fetchSource(
  url: URL,
  ref: string,
  dest: string,
  run: RunCommand,
): Promise<void> {
  if (url.protocol === 'file:') {
    const path = fileURLToPath(url);
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory())
      throw new SourceError(`${url.href} is not a directory on this machine`);
    const isRepository = await stat(join(path, '.git')).then(
      () => true,
      () => false,
    );
    if (!isRepository) {
      if (ref !== '') {
        throw new SourceError(
          `FERRY_SOURCE_REF '${ref}' given, but ${url.href} is not a git repository`,
        );
      }
      // verbatimSymlinks: links are copied as links, then judged by the inside-the-source check.
      await cp(path, dest, {
        recursive: true,
        verbatimSymlinks: true,
        filter: (from) => !relative(path, from).split(sep).includes('.git'),
      });
      return;
    }
  }
  // The buildspec's way: init + fetch the ref at depth 1 works for branches, tags and commits.
  await run('git', ['-C', dest, 'init', '-q']);
  await run('git', ['-C', dest, 'fetch', '-q', '--depth', '1', '--', url.href, ref || 'HEAD']);
  await run('git', ['-C', dest, 'checkout', '-q', 'FETCH_HEAD']);
}

/** Environment for git: never prompt, only the transports Ferry accepts. */
export const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_ALLOW_PROTOCOL: 'https:file' } as const;

/** The real paths of the context and Dockerfile, which must exist inside `root` (symlinks resolved). */
export async function resolveBuildPaths(
  root: string,
  context: string,
  dockerfile: string,
): Promise<{ context: string; dockerfile: string }> {
  checkRelativePath('FERRY_CONTEXT', context);
  checkRelativePath('FERRY_DOCKERFILE', dockerfile);
  const realRoot = await realpath(root);
  const inside = (path: string) => path === realRoot || path.startsWith(realRoot + sep);
  const realContext = await realpath(join(realRoot, context)).catch(() => {
    throw new SourceError(`FERRY_CONTEXT '${context}' does not exist in the source`);
  });
  if (!inside(realContext)) throw new SourceError(`FERRY_CONTEXT '${context}' leaves the source`);
  // Relative to the context, as in the buildspec.
  const realDockerfile = await realpath(join(realContext, dockerfile)).catch(() => {
    throw new SourceError(`FERRY_DOCKERFILE '${dockerfile}' does not exist in the context`);
  });
  if (!inside(realDockerfile)) {
    throw new SourceError(`FERRY_DOCKERFILE '${dockerfile}' leaves the source`);
  }
  return { context: realContext, dockerfile: realDockerfile };
}
