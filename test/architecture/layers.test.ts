/**
 * The layers' import rules, read from the source: entry points adapt and never decide, so the
 * use cases, the triggers, chatops and the web page never reach into the HTTP API, and the use
 * cases know nothing of HTTP.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Every non-test source file under `dir`, relative to the repository. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => join(dir, f));
}

/** The module specifiers a file imports (static imports and re-exports). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)[^;]*?from\s+['"]([^'"]+)['"]/gms)].map(
    (m) => m[1] ?? '',
  );
}

/** Files under `dirs` that import something matching `forbidden`, as `file → specifier`. */
function violations(dirs: readonly string[], forbidden: RegExp): string[] {
  return dirs.flatMap((dir) =>
    sources(dir).flatMap((file) =>
      importsOf(file)
        .filter((spec) => forbidden.test(spec))
        .map((spec) => `${file} → ${spec}`),
    ),
  );
}

const API = /(^|\/)api\//;

describe('Architecture: layers', () => {
  it('keeps the triggers, chatops, the web page and the use cases out of services/api', () => {
    expect(
      violations(['services/triggers', 'services/chatops', 'services/web', 'services/app'], API),
    ).toEqual([]);
  });

  it('keeps HTTP out of the use cases and the core', () => {
    expect(violations(['services/app', 'services/core'], /^hono($|\/)|^@hono\//)).toEqual([]);
  });

  it('keeps the core below the use cases and the entry points', () => {
    expect(
      violations(['services/core'], /(^|\/)(app|api|web|chatops|triggers|workers|adapters)\//),
    ).toEqual([]);
  });

  it('keeps the composition roots on top: nothing they compose imports them', () => {
    const below = ['services/core', 'services/app', 'services/adapters', 'services/auth'];
    expect(violations(below, /(^|\/)compose\//)).toEqual([]);
  });

  it('builds the table’s parts in one place per runtime', () => {
    // The DynamoDB client, the store and the claims: the AWS root and local mode's root only.
    const built = /new (DynamoDBClient|DynamoDeploymentStore|DynamoMessageClaims)\(/;
    const builders = [...sources('services'), ...sources('local')].filter((file) =>
      built.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(builders.sort()).toEqual([
      'local/dynalite-server.ts', // dynalite's own client, handed to the local root
      'local/local-runtime.ts',
      'services/compose/aws-runtime.ts',
    ]);
  });

  it('can fail: the check sees the imports that are there', () => {
    // The HTTP routes do import the use cases and Hono; the same check finds them.
    expect(violations(['services/api/routes'], /(^|\/)app\//).length).toBeGreaterThan(3);
    expect(violations(['services/api'], /^hono($|\/)|^@hono\//).length).toBeGreaterThan(3);
  });
});
