/**
 * Auto-rollout rules can only be set where pushes reach Ferry: on AWS, the repositories the
 * stack's ECR push rule watches. A rule for any other repository would never fire, so it is
 * refused, naming the setting to change, and nothing is stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld } from './api-world.ts';

const rule = { tagPattern: 'release-*', functions: ['orders'] };
let w: ApiWorld | undefined;
afterEach(() => w?.close());

describe('PUT /v1/rules/{repository}', () => {
  it('refuses a rule for a repository whose pushes never reach Ferry, and stores nothing', async () => {
    w = await createApiWorld({ watchedRepositories: ['team/orders'] });
    const res = await w.call('platform', 'PUT', '/v1/rules/team%2Fsearch', rule);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.stringContaining('repository-not-watched'),
      detail: expect.stringContaining('"ferry:repositories"'),
    });
    expect((res.body as { detail: string }).detail).toContain('team/search');
    expect((await w.call('platform', 'GET', '/v1/rules/team%2Fsearch')).status).toBe(404);
  });

  it('accepts a rule for a watched repository', async () => {
    w = await createApiWorld({ watchedRepositories: ['team/orders'] });
    expect((await w.call('platform', 'PUT', '/v1/rules/team%2Forders', rule)).status).toBe(200);
  });

  it('accepts any repository where every push reaches Ferry (the local registry)', async () => {
    w = await createApiWorld();
    expect((await w.call('platform', 'PUT', '/v1/rules/team%2Fsearch', rule)).status).toBe(200);
  });
});
