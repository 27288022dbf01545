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
import { PDFDocument, rgb } from 'pdf-lib';

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

  it('sends a PDF: pdf.js renders it in the sending tab\'s worker, the other tab receives the page', async () => {
    // An A4 PDF with one black box whose place on the page we know.
    const pdf = await PDFDocument.create();
    const a4 = pdf.addPage([595.28, 841.89]);
    a4.drawRectangle({ x: 100, y: 500, width: 300, height: 200, color: rgb(0, 0, 0) });
    const bytes = Buffer.from(await pdf.save());
    const context = await site.browser.newContext();
    const rx = await openPage(site, context, '#loopback?role=receive&room=pdf');
    const tx = await openPage(site, context, '#loopback?role=send&room=pdf');
    await rx.page.waitForSelector('[data-testid=lb-start]');
    await tx.page.waitForSelector('[data-testid=lb-start]');
    await tx.page.setInputFiles('#lb-doc', { name: 'box.pdf', mimeType: 'application/pdf', buffer: bytes });
    await rx.page.click('[data-testid=lb-start]');
    await tx.page.click('[data-testid=lb-start]');
    const canvas = rx.page.locator('[data-testid=lb-pages] canvas');
    await canvas.first().waitFor({ timeout: 150_000 });
    await rx.page.waitForFunction(() => /went through|failed/.test(document.querySelector('[data-testid=lb-result]')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(await rx.page.locator('[data-testid=lb-result]').innerText()).toMatch(/went through: 1 page received/);

    // The page is a fax page (1728 wide at 204 dpi, fine: 196 lines per inch) and its only black is
    // one solid box of 300 x 200 points (4.17 x 2.78 inches), wherever fitting and chopping put it.
    const got = await canvasBits(canvas.first());
    expect(got.width).toBe(1728);
    const stride = got.width >> 3;
    let minx = Infinity, miny = Infinity, maxx = -1, maxy = -1, n = 0;
    for (let y = 0; y < got.height; y++) for (let x = 0; x < got.width; x++) {
      if ((got.data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1) { n++; minx = Math.min(minx, x); maxx = Math.max(maxx, x); miny = Math.min(miny, y); maxy = Math.max(maxy, y); }
    }
    const w = maxx - minx + 1, h = maxy - miny + 1;
    expect(n / (w * h)).toBeGreaterThan(0.99);
    expect(Math.abs(w / 204 / (300 / 72) - 1)).toBeLessThan(0.04);
    expect(Math.abs(h / 196 / (200 / 72) - 1)).toBeLessThan(0.04);
    for (const t of [rx, tx]) {
      expect(t.consoleErrors).toEqual([]);
      expect(t.foreign()).toEqual([]);
    }
    await context.close();
  });
});
