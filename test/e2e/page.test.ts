// The page loads in Chromium, names the product and its three jobs, switches views by tab and
// by keyboard, and logs no console error and requests nothing from any other origin.
// With SCREENSHOTS=1 it also writes docs/screenshots/*.png for the README.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSite, openPage, type Site } from './harness';
import { repoRoot } from '../helpers/peers';

let site: Site;
beforeAll(async () => { site = await startSite(); });
afterAll(async () => { await site?.close(); });

describe('the webfax page', () => {
  it('shows the product name and the three things it does, with no console error', async () => {
    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const w = await openPage(site, context);
    const { page } = w;
    await page.waitForSelector('#view-send h2');
    expect(await page.locator('h1').innerText()).toMatch(/webfax/i);
    const tabs = await page.locator('[role=tab] strong').allInnerTexts();
    expect(tabs).toEqual(['Send & receive', 'Loopback between tabs', 'Decode a recording']);
    expect(await page.locator('#view-send').isVisible()).toBe(true);
    expect(await page.locator('#tab-send').getAttribute('aria-selected')).toBe('true');

    const shots = process.env.SCREENSHOTS === '1' ? resolve(repoRoot, 'docs/screenshots') : null;
    if (shots) { mkdirSync(shots, { recursive: true }); await page.screenshot({ path: resolve(shots, 'send-receive.png'), fullPage: true }); }

    await page.click('#tab-loopback');
    await page.waitForSelector('#view-loopback h2');
    expect(await page.locator('#view-loopback h2').innerText()).toBe('Loopback between tabs');
    expect(await page.locator('#view-send').isHidden()).toBe(true);
    if (shots) await page.screenshot({ path: resolve(shots, 'loopback.png'), fullPage: true });

    // Keyboard: arrow right moves to the next tab.
    await page.focus('#tab-loopback');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#view-decode h2');
    expect(await page.locator('#tab-decode').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('[data-testid=decode-drop]').isVisible()).toBe(true);
    if (shots) await page.screenshot({ path: resolve(shots, 'decode-empty.png'), fullPage: true });

    // Every form control has an accessible name.
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('input:not([type=hidden]), select, button')]
      .filter((el) => !(el as HTMLElement).closest('[hidden]'))
      .filter((el) => {
        const e = el as HTMLInputElement;
        return !(e.labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || (e.tagName === 'BUTTON' && e.textContent?.trim()));
      }).map((el) => el.outerHTML.slice(0, 80)));
    expect(unnamed).toEqual([]);

    // Let the service worker and the engine worker settle, then check the record.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    expect(w.consoleErrors).toEqual([]);
    expect(w.requests.length).toBeGreaterThan(0);
    expect(w.foreign()).toEqual([]);
    await context.close();
  });

  it('works offline after one visit (service worker)', async () => {
    const context = await site.browser.newContext();
    const w = await openPage(site, context);
    const { page } = w;
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    // Once the service worker controls the page, a reload stores every file the page uses.
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    await page.click('#tab-decode');
    await page.waitForSelector('#view-decode h2');
    await context.setOffline(true);
    await page.reload();
    await page.waitForSelector('#view-decode h2', { timeout: 10_000 });
    expect(await page.locator('[role=tab] strong').allInnerTexts()).toEqual(['Send & receive', 'Loopback between tabs', 'Decode a recording']);
    // The engine worker starts offline too: ask it what it can do.
    await page.click('#tab-send');
    await page.waitForSelector('#view-send h2');
    await context.setOffline(false);
    expect(w.consoleErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
    await context.close();
  });
});
