/**
 * The web page in a real browser (Debian's chromium, driven by playwright-core) against local
 * mode with the real parts: sign in through the form, find the demo's releases, open the
 * rolled-back one and read why, see the trend charts drawn at a desktop's and a phone's width,
 * roll back from the page and see the alias move, a form from another origin refused, and a
 * failed build's log on its deployment page.
 * JavaScript is off in the browser: the pages must work without it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../local/demo.ts';
import { hostFetch } from '../../local/function-host/signed-fetch.ts';
import { checkLocalTools } from '../../local/preflight.ts';
import { type LocalFerry, startLocalFerry } from '../../local/start.ts';
import { silentLogger } from '../../services/core/logger.ts';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'ferry_web_ui_admin_token_0123456789';
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'ferry-web-'));
let ferry: LocalFerry | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  // CI installs chromium (.ci/run); elsewhere, as root with apt, the same preflight as npm start.
  await checkLocalTools({
    install: process.env.FERRY_NO_INSTALL !== '1',
    log: (line) => process.stderr.write(`${line}\n`),
    tools: [{ tool: 'chromium', pkg: 'chromium', why: 'the web page browser test' }],
  });
  expect(await runDemo(home)).toBe(0);
  ferry = await startLocalFerry({ home, port: 0, adminToken: TOKEN, logger: silentLogger });
  // --no-sandbox: chromium's sandbox refuses to run as root, which the test machine is.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox'],
  });
  mkdirSync(OUTPUT, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await ferry?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('Web page in a browser (local mode, JavaScript off)', () => {
  it('signs in, shows the demo releases and charts, and tells why the broken release rolled back', async () => {
    const context = await (browser as Browser).newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const base = (ferry as LocalFerry).apiUrl;

    // Unauthenticated: sent to the login form, which brings us back after signing in.
    await page.goto(`${base}/functions/hello`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=token]', TOKEN);
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/functions/hello');
    const cookie = (await context.cookies()).find((c) => c.name === 'ferry_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // The demo's five releases, newest first: v2, broken, oversized, then the two canaries.
    const statuses = await page.locator('#history tbody .status').allTextContents();
    expect(statuses).toEqual(['ROLLED_BACK', 'SUCCEEDED', 'REJECTED', 'ROLLED_BACK', 'SUCCEEDED']);
    // Every release was scanned: five points on the size chart, each with a tooltip.
    expect(await page.locator('#chart-size circle.point').count()).toBe(5);
    expect(await page.locator('#chart-size > title').textContent()).toBe(
      'Compressed image size per release',
    );
    expect(await page.locator('#chart-init circle.point').count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(OUTPUT, 'web-ui-function.png'), fullPage: true });

    // The canary rolled back at its step: its page shows the judge's figures.
    await page
      .locator('#history tbody tr', { hasText: 'ROLLED_BACK' })
      .locator('a')
      .first()
      .click();
    expect(await page.locator('#reason').textContent()).toMatch(
      /^Reason: step 1 failed: version \d+: \d+ errors in \d+ invocations/,
    );
    expect(await page.locator('#judgements tbody tr').count()).toBe(1);
    expect(await page.locator('#traffic').textContent()).toContain('rolled back');
    await page.screenshot({ path: join(OUTPUT, 'web-ui-canary.png'), fullPage: true });
    await page.goBack();

    // Open the broken release from its row and read the reason.
    await page.locator('#history tbody tr', { hasText: 'ROLLED_BACK' }).locator('a').last().click();
    expect(new URL(page.url()).pathname).toMatch(/^\/deployments\/d-/);
    const reason = (await page.locator('#reason').textContent()) ?? '';
    expect(reason).toMatch(/^Reason: the new version raised a FunctionError .*broken on purpose/);
    expect(await page.locator('#steps li', { hasText: 'Rollback' }).count()).toBe(1);
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0);
    await page.screenshot({ path: join(OUTPUT, 'web-ui-rolled-back.png'), fullPage: true });

    // The index shows the live release: the good canary, version 4, still behind the alias.
    await page.goto(`${base}/`);
    const row = page.locator('tr', { hasText: 'hello' });
    expect(await row.locator('.status').textContent()).toBe('ROLLED_BACK');
    expect(await row.textContent()).toContain('live → v4');
    await page.screenshot({ path: join(OUTPUT, 'web-ui-functions.png'), fullPage: true });
    await context.close();
  });

  it('marks the live release, shows the failed smoke failed, draws charts to the page’s width, and rolls back from the page', async () => {
    const ferryNow = ferry as LocalFerry;
    const base = ferryNow.apiUrl;
    const context = await (browser as Browser).newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await signIn(page, `${base}/functions/hello`);

    // The live release is marked, once, on the good canary (version 4 behind the alias).
    expect(await page.locator('#history thead th').allTextContents()).toEqual(
      expect.arrayContaining(['Version', 'Reason']),
    );
    const liveRow = page.locator('#history tbody tr', { has: page.locator('.mark.live') });
    expect(await liveRow.count()).toBe(1);
    expect(await liveRow.locator('td').nth(2).textContent()).toBe('4');
    // A failed release's row says why; the broken one's smoke step is shown failed.
    const brokenRow = page.locator('#history tbody tr', { hasText: 'raised a FunctionError' });
    expect(await brokenRow.count()).toBe(1);
    expect(await brokenRow.locator('.status').textContent()).toBe('ROLLED_BACK');
    const chart = (await page.locator('#chart-size').boundingBox()) as { width: number };
    expect(chart.width).toBeGreaterThan(500);
    await page.screenshot({ path: join(OUTPUT, 'web-ui-history-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 400, height: 900 });
    const narrow = (await page.locator('#chart-size').boundingBox()) as {
      x: number;
      width: number;
    };
    expect(narrow.x + narrow.width).toBeLessThanOrEqual(400);
    expect(narrow.width).toBeGreaterThan(300);
    await page.screenshot({ path: join(OUTPUT, 'web-ui-history-400.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await brokenRow.locator('a').first().click();
    const smoke = page.locator('#steps li', { hasText: 'SmokeInvoke' });
    expect(await smoke.getAttribute('class')).toBe('o-failed');
    expect(await smoke.locator('span').first().textContent()).toBe('failed');
    await page.screenshot({ path: join(OUTPUT, 'web-ui-failed-smoke-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 400, height: 900 });
    await page.screenshot({ path: join(OUTPUT, 'web-ui-failed-smoke-400.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // A form on another origin of this host (same site, so the SameSite cookie goes along)
    // posting to the rollback: refused, nothing started.
    const before = await history(base);
    const hostile = await hostilePage(`${base}/functions/hello/rollback`);
    try {
      await page.goto(hostile.url);
      await page.click('button');
      expect(await page.locator('h1').textContent()).toBe('Refused');
    } finally {
      await new Promise((done) => hostile.server.close(done));
    }
    expect((await history(base)).length).toBe(before.length);

    // Roll back from the page: the button names the release it restores.
    await page.goto(`${base}/functions/hello`);
    const button = page.locator('#rollback button');
    const label = (await button.textContent()) ?? '';
    const target = /to version (\d+)$/.exec(label.trim())?.[1];
    expect(target).toBeDefined();
    await button.click();
    expect(new URL(page.url()).pathname).toBe('/functions/hello');
    expect(await page.locator('#flash').textContent()).toMatch(/^Rollback started: d-/);
    const id = ((await page.locator('#flash a').getAttribute('href')) ?? '').split('/').pop() ?? '';
    await ferryNow.workflow.idle();
    const done = await api<Released>(base, `/v1/deployments/${id}`);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.trigger.kind).toBe('rollback');
    const restored = await api<Released>(
      base,
      `/v1/deployments/${done.request.reason?.replace('rollback to ', '')}`,
    );
    expect(restored.release?.version).toBe(target);
    expect(done.release?.digest).toBe(restored.release?.digest);

    // The history shows the rollback, now the live release.
    await page.reload();
    const rows = page.locator('#history tbody tr');
    const trigger = rows.first().locator('td').nth(3);
    expect(await trigger.textContent()).toMatch(/^rollback/);
    // Done as the signed-in team: the admin token's principal.
    expect(await trigger.locator('.who').textContent()).toMatch(/^token:platform:/);
    expect(await rows.first().locator('.mark.live').count()).toBe(1);
    expect(await page.locator('#history .mark.live').count()).toBe(1);
    await page.screenshot({
      path: join(OUTPUT, 'web-ui-rolled-back-from-page.png'),
      fullPage: true,
    });

    // The alias really moved: Ferry's API and the function host agree, and the alias answers
    // with the restored release's code.
    const fns = await api<{ items: Array<{ name: string; live: { version: string } | null }> }>(
      base,
      '/v1/functions',
    );
    expect(fns.items.find((f) => f.name === 'hello')?.live?.version).toBe(done.release?.version);
    const invoked = await hostFetch(ferryNow.functionHostCredentials)(
      `${ferryNow.functionHostUrl}/2015-03-31/functions/hello/invocations?Qualifier=live`,
      { method: 'POST', body: '{}' },
    );
    expect(invoked.headers.get('x-amz-executed-version')).toBe(done.release?.version);
    // The example answers with its VERSION build argument.
    expect(JSON.parse(await invoked.text())).toEqual({
      ok: true,
      version: restored.request.source?.buildArgs?.VERSION,
    });
    await context.close();
  }, 180_000);
  it('shows a failed build’s reason and the last lines of its log on the deployment page', async () => {
    const base = (ferry as LocalFerry).apiUrl;
    // A source whose RUN step fails with exit 3 after printing a line the log must show.
    const context = mkdtempSync(join(tmpdir(), 'ferry-web-build-'));
    try {
      writeFileSync(
        join(context, 'Dockerfile'),
        'FROM localhost/ferry/busybox\nRUN echo "compiling the handler" && echo "error: broken on purpose" >&2 && exit 3\n',
      );
      const started = await fetch(`${base}/v1/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ function: 'hello', source: { url: `file://${context}` } }),
      });
      expect(started.status).toBe(202);
      const { id } = (await started.json()) as { id: string };
      const deadline = Date.now() + 120_000;
      let status = 'PENDING';
      while (!['FAILED', 'SUCCEEDED', 'ROLLED_BACK', 'REJECTED'].includes(status)) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 500));
        status = (await api<{ status: string }>(base, `/v1/deployments/${id}`)).status;
      }
      expect(status).toBe('FAILED');

      const browserContext = await (browser as Browser).newContext({ javaScriptEnabled: false });
      const page = await browserContext.newPage();
      await signIn(page, `${base}/deployments/${id}`);
      const reason = (await page.locator('body').textContent()) ?? '';
      expect(reason).toMatch(/build failed: RUN exit 3/);
      const log = (await page.locator('#build-log pre').textContent()) ?? '';
      expect(log).toContain('compiling the handler');
      expect(log).toContain('error: broken on purpose');
      await page.screenshot({ path: join(OUTPUT, 'web-ui-failed-build.png'), fullPage: true });
      await browserContext.close();
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  }, 180_000);
});

/** The fields of a deployment this test reads. */
interface Released {
  status: string;
  trigger: { kind: string };
  request: { reason?: string; source?: { buildArgs?: Record<string, string> } };
  release?: { version: string; digest: string };
}

/** Signs in through the login form from `url`'s redirect, and lands on `url`. */
async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=token]', TOKEN);
  await page.click('button[type=submit]');
  expect(page.url()).toBe(url);
}

/** An admin GET of Ferry's API. */
async function api<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** hello's history, newest first. */
async function history(base: string): Promise<Array<{ id: string }>> {
  return (await api<{ items: Array<{ id: string }> }>(base, '/v1/functions/hello/deployments'))
    .items;
}

/** A page on another port of 127.0.0.1 with a form that posts to `action` (a forged token too). */
async function hostilePage(action: string): Promise<{ server: Server; url: string }> {
  const html = `<!DOCTYPE html><form method="post" action="${action}"><input type="hidden" name="csrf" value="guessed"><button type="submit">Win a prize</button></form>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
