// Two tabs of one Chromium fax each other over the BroadcastChannel loopback line (what the
// receiving tab hears impaired with noise and a frequency offset): the sending tab is given a
// one-page TIFF, the receiving tab must show the received page, pixel-identical to the page in
// the file (read independently in Node with core's TIFF reader), and both tabs must report
// success in words, with no console error and no request to another origin.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { startSite, openPage, canvasBits, byteDiff, type Site } from './harness';
import { fixture } from '../helpers/peers';
import { readTiff } from '../../core/formats/tiff';

let site: Site;
beforeAll(async () => { site = await startSite(); });
afterAll(async () => { await site?.close(); });

describe('two-tab loopback', () => {
  it('the receiving tab shows the page the sending tab sent', async () => {
    const doc = fixture('pages', 'chart_std_1p_g3-1d.tif');
    const sent = readTiff(new Uint8Array(readFileSync(doc)))[0]!.image;
    const context = await site.browser.newContext({ viewport: { width: 1200, height: 900 } });
    const rx = await openPage(site, context, '#loopback?role=receive&room=e2e');
    const tx = await openPage(site, context, '#loopback?role=send&room=e2e');
    await rx.page.waitForSelector('[data-testid=lb-start]');
    await tx.page.waitForSelector('[data-testid=lb-start]');
    expect(await rx.page.locator('input[name=lb-role][value=receive]').isChecked()).toBe(true);
    await tx.page.setInputFiles('#lb-doc', doc);
    // The receiving tab hears an impaired line: noise at -45 dBm0 (31 dB below the signal) and a
    // 3 Hz frequency offset (core's line model); with ECM the page must still arrive intact.
    await rx.page.fill('#lb-noise', '-45');
    await rx.page.fill('#lb-offset', '3');
    await rx.page.click('[data-testid=lb-start]');
    const t0 = Date.now();
    await tx.page.click('[data-testid=lb-start]');

    const canvas = rx.page.locator('[data-testid=lb-pages] canvas');
    await canvas.first().waitFor({ timeout: 150_000 });
    await rx.page.waitForFunction(() => /went through|failed/.test(document.querySelector('[data-testid=lb-result]')?.textContent ?? ''), null, { timeout: 60_000 });
    await tx.page.waitForFunction(() => /went through|failed/.test(document.querySelector('[data-testid=lb-result]')?.textContent ?? ''), null, { timeout: 60_000 });
    // For the README: line time against wall time (printed, never asserted).
    console.log(`loopback: ${(await rx.page.locator('[data-testid=lb-result]').innerText()).match(/in ([\d.]+) s of line time/)?.[1]} s of line in ${((Date.now() - t0) / 1000).toFixed(1)} s wall`);
    expect(await rx.page.locator('[data-testid=lb-result]').innerText()).toMatch(/went through: 1 page received/);
    expect(await tx.page.locator('[data-testid=lb-result]').innerText()).toMatch(/went through: 1 page sent/);
    expect(await canvas.count()).toBe(1);

    // The page as drawn, back to packed 1-bit rows, against the file's own pixels.
    const got = await canvasBits(canvas.first());
    expect([got.width, got.height]).toEqual([sent.width, sent.height]);
    expect(byteDiff(got.data, sent.data)).toBe(0);

    for (const w of [rx, tx]) {
      expect(w.consoleErrors).toEqual([]);
      expect(w.foreign()).toEqual([]);
    }
    if (process.env.SCREENSHOTS === '1') {
      await rx.page.locator('[data-testid=lb-pages]').scrollIntoViewIfNeeded();
      await rx.page.screenshot({ path: 'docs/screenshots/loopback-received.png', fullPage: true });
    }
    await context.close();
  });
});
