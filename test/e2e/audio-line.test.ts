// The Send & receive view's audio line in Chromium with its fake capture device (a test tone) and
// permission prompts auto-accepted: Start opens the line (getUserMedia, AudioContext, the line
// worklet, its port handed to the engine worker), line audio flows through the T.30 endpoint
// block by block (the line-time counter advances), and Hang up ends the call cleanly, with no
// console error and no request to another origin. (No fax can answer a fake microphone: this
// proves the plumbing, the loopback and Class 1 tests prove the calls.)
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser } from 'playwright';
import { startSite, openPage, CHROMIUM_ARGS, type Site } from './harness';
import { fixture } from '../helpers/peers';

let site: Site;
let browser: Browser;
beforeAll(async () => {
  site = await startSite();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
});
afterAll(async () => { await browser?.close(); await site?.close(); });

describe('audio line', () => {
  it('opens the line, runs the endpoint on live audio blocks, and hangs up', async () => {
    const context = await browser.newContext({ permissions: ['microphone'] });
    const w = await openPage(site, context);
    const { page } = w;
    await page.waitForSelector('#view-send h2');
    await page.setInputFiles('#sr-doc', fixture('pages', 'chart_std_1p_g3-1d.tif'));
    await page.getByRole('button', { name: 'Start the call' }).click();
    // Two seconds of line audio through the worklet and the worker.
    await page.waitForFunction(() => /^([2-9]|\d\d+) s of line audio/.test(document.querySelector('[data-testid=sr-line]')?.textContent ?? ''), null, { timeout: 30_000 });
    expect(await page.locator('[data-testid=sr-status]').innerText()).toMatch(/Calling/);
    await page.getByRole('button', { name: 'Hang up' }).click();
    await page.waitForFunction(() => /Hung up|failed/i.test(document.querySelector('[data-testid=sr-status]')?.textContent ?? ''), null, { timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Start the call' }).isEnabled()).toBe(true);
    expect(w.consoleErrors).toEqual([]);
    expect(w.foreign()).toEqual([]);
    await context.close();
  });
});
