/**
 * The web page's actions as plain HTML forms over the real store (dynalite): roll back, approve
 * and abort call the API's use cases as the signed-in team; a form without the session's token,
 * with a wrong one, or from another site is a 403 that changes nothing; the result comes back as
 * a message on the page the form was on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import { liveReleaseOf } from '../../services/core/live.ts';
import { type ApiWorld, createApiWorld } from '../api/api-world.ts';
import { aTraffic } from '../fakes/traffic.ts';
import { deploymentFixture } from './fixtures.ts';

const ORIGIN = 'http://localhost';
let world: ApiWorld;
let older: Deployment;
let current: Deployment;
let waiting: Deployment;
let holding: Deployment;

beforeAll(async () => {
  world = await createApiWorld();
  older = deploymentFixture('orders', 1);
  current = deploymentFixture('orders', 2);
  const running = { status: 'RUNNING', endedAt: undefined } as const;
  waiting = deploymentFixture('orders', 3, {
    ...running,
    traffic: aTraffic({ phase: 'awaiting-approval', step: 1, weight: 0.1 }),
  });
  holding = deploymentFixture('orders', 4, { ...running, traffic: aTraffic() });
  for (const d of [older, current, waiting, holding]) await world.store.create(d);
  await world.store.putLive(
    liveReleaseOf(current, null) as NonNullable<ReturnType<typeof liveReleaseOf>>,
  );
  const since = new Date().toISOString();
  const expiresAt = Math.floor(Date.now() / 1000) + 3600;
  await world.store.putHold({
    deploymentId: waiting.id,
    kind: 'approval',
    token: 'tok-approve',
    since,
    expiresAt,
  });
  await world.store.putHold({
    deploymentId: holding.id,
    kind: 'step',
    token: 'tok-hold',
    since,
    expiresAt,
  });
});
afterAll(() => world?.close());

/** Signs in through the login form; the cookies a browser would then send. */
async function signIn(as: 'payments' | 'search'): Promise<string> {
  const res = await world.app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    body: new URLSearchParams({ token: world.token[as] }).toString(),
  });
  expect(res.status).toBe(303);
  return cookiesOf(res, '');
}

/** `jar` updated with the response's Set-Cookie headers (Max-Age=0 removes). */
function cookiesOf(res: Response, jar: string): string {
  const cookies = new Map(
    jar
      .split('; ')
      .filter(Boolean)
      .map((c) => [c.split('=')[0] ?? '', c] as const),
  );
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    const name = pair.split('=')[0] ?? '';
    if (/Max-Age=0/i.test(line)) cookies.delete(name);
    else cookies.set(name, pair);
  }
  return [...cookies.values()].join('; ');
}

const get = async (path: string, cookie: string) => {
  const res = await world.app.request(path, { headers: { cookie } });
  return { res, body: await res.text() };
};

/** The hidden form token on a page. */
const formTokenOn = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

const post = (path: string, cookie: string, form: Record<string, string>, origin = ORIGIN) =>
  world.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie },
    body: new URLSearchParams(form).toString(),
  });

const historyLength = async () => (await world.store.listByFunction('orders')).items.length;

describe('Web page: actions are refused without the session’s form token', () => {
  it('answers 403 and changes nothing for a missing, a wrong, or another session’s token', async () => {
    const cookie = await signIn('payments');
    const other = formTokenOn((await get('/functions/orders', await signIn('payments'))).body);
    const before = await historyLength();
    const forms: Record<string, string>[] = [
      {},
      { csrf: 'x'.repeat(43) },
      { csrf: other },
      { csrf: '' },
    ];
    for (const form of forms) {
      const res = await post('/functions/orders/rollback', cookie, form);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('Refused');
    }
    for (const action of ['approve', 'abort']) {
      const res = await post(`/deployments/${waiting.id}/${action}`, cookie, { csrf: other });
      expect(res.status).toBe(403);
    }
    expect(await historyLength()).toBe(before);
    expect(world.workflow.started).toEqual([]);
    expect(world.callbacks.resumed).toEqual([]);
    const untouched = await world.store.get(waiting.id);
    expect(untouched?.approval).toBeUndefined();
    expect(untouched?.abort).toBeUndefined();
  });

  it('refuses a form posted from another site even with the right token', async () => {
    const cookie = await signIn('payments');
    const csrf = formTokenOn((await get('/functions/orders', cookie)).body);
    expect(csrf).not.toBe('');
    const res = await post('/functions/orders/rollback', cookie, { csrf }, 'https://evil.example');
    expect(res.status).toBe(403);
    expect(world.workflow.started).toEqual([]);
  });

  it('refuses a bearer-authenticated POST: actions need a signed-in session', async () => {
    const res = await world.app.request(`/deployments/${holding.id}/abort`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: ORIGIN,
        authorization: `Bearer ${world.token.payments}`,
      },
      body: 'csrf=anything',
    });
    expect(res.status).toBe(403);
    expect((await world.store.get(holding.id))?.abort).toBeUndefined();
  });

  it('shows the commands instead of forms to a viewer without a session', async () => {
    const res = await world.app.request('/functions/orders', {
      headers: { authorization: `Bearer ${world.token.payments}` },
    });
    const body = await res.text();
    expect(body).not.toContain('name="csrf"');
    expect(body).toContain('<code>ferry rollback orders</code>');
    const release = await world.app.request(`/deployments/${holding.id}`, {
      headers: { authorization: `Bearer ${world.token.payments}` },
    });
    const html = await release.text();
    expect(html).not.toContain('<form');
    expect(html).toContain(`<code>ferry abort ${holding.id}</code>`);
  });
});

describe('Web page: sessions started before form tokens', () => {
  it('get a session id on their next page, and its forms work', async () => {
    const legacy = (await signIn('payments'))
      .split('; ')
      .filter((c) => c.startsWith('ferry_session='))
      .join('; ');
    const page = await get(`/deployments/${older.id}`, legacy);
    expect(page.res.headers.getSetCookie().join()).toMatch(/ferry_form=[^;]+;.*HttpOnly/);
    const cookie = cookiesOf(page.res, legacy);
    const res = await post(`/deployments/${older.id}/abort`, cookie, {
      csrf: formTokenOn(page.body),
    });
    // Accepted as this session's form (the use case then refuses: the deployment has ended).
    expect(res.status).toBe(303);
  });
});

describe('Web page: roll back', () => {
  it('rolls back to the previous release and says so on the function page', async () => {
    let cookie = await signIn('payments');
    const page = await get('/functions/orders', cookie);
    expect(page.body).toContain('action="/functions/orders/rollback"');
    expect(page.body).toContain(`name="to" value="${older.id}"`);
    const res = await post('/functions/orders/rollback', cookie, {
      csrf: formTokenOn(page.body),
      to: older.id,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/functions/orders');
    // For that page only, briefly, out of reach of script.
    const flash = res.headers.getSetCookie().find((c) => c.startsWith('ferry_flash=')) ?? '';
    expect(flash).toContain('Path=/functions/orders;');
    expect(flash).toMatch(/Max-Age=20;.*HttpOnly.*SameSite=Strict/);
    cookie = cookiesOf(res, cookie);
    const started = world.workflow.started.at(-1) as string;
    const created = await world.store.get(started);
    expect(created?.trigger).toMatchObject({
      kind: 'rollback',
      actor: expect.stringMatching(/^token:payments:/),
    });
    expect(created?.request.image).toContain(older.release?.digest);
    const after = await get('/functions/orders', cookie);
    expect(after.body).toContain('id="flash"');
    expect(after.body).toContain(`Rollback started: ${started}`);
    expect(after.body).toContain(`href="/deployments/${started}"`);
    // The page reloads itself while the rollback runs: the message stays through its reloads.
    expect(after.body).toContain('http-equiv="refresh"');
    expect((await get('/functions/orders', cookiesOf(after.res, cookie))).body).toContain(
      'id="flash"',
    );
  });

  it('brings the use case’s refusal back as the message: the live release is no target', async () => {
    let cookie = await signIn('payments');
    const csrf = formTokenOn((await get('/functions/orders', cookie)).body);
    const before = await historyLength();
    const res = await post('/functions/orders/rollback', cookie, { csrf, to: current.id });
    expect(res.status).toBe(303);
    cookie = cookiesOf(res, cookie);
    const { body } = await get('/functions/orders', cookie);
    expect(body).toContain('class="flash error"');
    expect(body).toContain('which is live already');
    expect(await historyLength()).toBe(before);
  });

  it('answers another team with the use case’s refusal, and starts nothing', async () => {
    let cookie = await signIn('search');
    const csrf = formTokenOn((await get('/', cookie)).body);
    const started = world.workflow.started.length;
    const res = await post('/functions/orders/rollback', cookie, { csrf });
    expect(res.status).toBe(303);
    cookie = cookiesOf(res, cookie);
    const { body } = await get('/functions/orders', cookie);
    expect(body).toContain('class="flash error"');
    expect(body).toContain('belongs to team payments');
    expect(world.workflow.started.length).toBe(started);
  });
});

describe('Web page: approve and abort', () => {
  it('approves a release that waits for approval, as the signed-in caller', async () => {
    let cookie = await signIn('payments');
    const page = await get(`/deployments/${waiting.id}`, cookie);
    expect(page.body).toContain(`action="/deployments/${waiting.id}/approve"`);
    expect(page.body).toContain(`action="/deployments/${waiting.id}/abort"`);
    const res = await post(`/deployments/${waiting.id}/approve`, cookie, {
      csrf: formTokenOn(page.body),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/deployments/${waiting.id}`);
    expect(world.callbacks.resumed).toContainEqual({
      token: 'tok-approve',
      decision: { action: 'approve', by: expect.stringMatching(/^token:payments:/) },
    });
    cookie = cookiesOf(res, cookie);
    const after = await get(`/deployments/${waiting.id}`, cookie);
    expect(after.body).toContain('class="flash ok"');
    expect(after.body).toContain('Approved');
  });

  it('offers no approve while the release holds, and aborts it', async () => {
    let cookie = await signIn('payments');
    const page = await get(`/deployments/${holding.id}`, cookie);
    expect(page.body).not.toContain(`/deployments/${holding.id}/approve`);
    const res = await post(`/deployments/${holding.id}/abort`, cookie, {
      csrf: formTokenOn(page.body),
    });
    expect(res.status).toBe(303);
    expect((await world.store.get(holding.id))?.abort?.by).toMatch(/^token:payments:/);
    cookie = cookiesOf(res, cookie);
    expect((await get(`/deployments/${holding.id}`, cookie)).body).toContain('Abort recorded');
  });

  it('brings a refused approve back as the message', async () => {
    let cookie = await signIn('payments');
    // The page of an ended deployment has no form but sign-out's, which carries the token too.
    const csrf = formTokenOn((await get(`/deployments/${older.id}`, cookie)).body);
    const res = await post(`/deployments/${older.id}/approve`, cookie, { csrf });
    expect(res.status).toBe(303);
    cookie = cookiesOf(res, cookie);
    const shown = await get(`/deployments/${older.id}`, cookie);
    expect(shown.body).toContain('class="flash error"');
    expect(shown.body).toContain('there is nothing left to decide');
    // A page that does not reload itself shows it once.
    const again = await get(`/deployments/${older.id}`, cookiesOf(shown.res, cookie));
    expect(again.body).not.toContain('id="flash"');
  });
});
