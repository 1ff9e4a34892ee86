/**
 * The web page in a real browser (Debian's chromium, driven by playwright-core) against local
 * mode with the real parts: sign in through the form, find the demo's releases, open the
 * rolled-back one and read why, see the trend charts drawn. JavaScript is off in the browser:
 * the pages must work for reading without it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../local/demo.ts';
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
});
