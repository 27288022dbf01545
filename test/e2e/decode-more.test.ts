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
import { dropFile, groundTruth, frameList, type FrameRow } from '../helpers/decode-view';

let site: Site;
beforeAll(async () => { site = await startSite(); });
afterAll(async () => { await site?.close(); });

/** Drop a file and wait until the view says it is decoded; the frame list then. */
async function decodeIn(page: Page, name: string, bytes: Uint8Array, type: string): Promise<FrameRow[]> {
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

  it('shows advancing progress on a long recording while the page keeps drawing and answers a tab click', async () => {
    const name = 'v27ter_4800_noecm'; // 145 s of line time
    const context = await site.browser.newContext();
    const w = await openPage(site, context, '#decode');
    const { page } = w;
    await page.waitForSelector('[data-testid=decode-drop]');
    // In the page: a requestAnimationFrame loop and a 20 ms timer, each noting the progress bar's
    // value whenever it is shown. A value seen by the rAF loop was seen in a frame the main
    // thread drew during the decode.
    await page.evaluate(() => {
      const probe = { frames: [] as number[], timers: [] as number[] };
      (window as unknown as { probe: typeof probe }).probe = probe;
      const bar = document.querySelector('#view-decode progress') as HTMLProgressElement;
      const note = (list: number[]) => { if (!bar.hidden) list.push(bar.value); };
      const tick = () => { note(probe.frames); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      setInterval(() => note(probe.timers), 20);
    });
    await dropFile(page, `${name}.wav`, new Uint8Array(readFileSync(fixture('calls', `${name}.wav`))), 'audio/wav');
    // Once the analysis is under way, click another tab: the view must switch while it runs.
    await page.waitForFunction(() => { const b = document.querySelector('#view-decode progress') as HTMLProgressElement; return !b.hidden && b.value > 0; }, null, { timeout: 60_000 });
    await page.click('#tab-send');
    await page.waitForFunction(() => !document.getElementById('view-send')!.hidden && document.getElementById('view-decode')!.hidden, null, { timeout: 10_000 });
    const during = await page.evaluate(() => { const b = document.querySelector('#view-decode progress') as HTMLProgressElement; return { hidden: b.hidden, value: b.value }; });
    expect(during.hidden).toBe(false); // still decoding when the other view showed
    expect(during.value).toBeLessThan(1);
    await page.click('#tab-decode');
    await page.waitForFunction((n) => (document.querySelector('[data-testid=decode-status]')?.textContent ?? '').startsWith(`Decoded ${n}`), `${name}.wav`, { timeout: 150_000 });

    const probe = await page.evaluate(() => (window as unknown as { probe: { frames: number[]; timers: number[] } }).probe);
    const inside = (l: number[]) => [...new Set(l.filter((v) => v > 0 && v < 1))].sort((a, b) => a - b);
    const byFrames = inside(probe.frames);
    const byTimers = inside(probe.timers);
    console.log(`progress values seen by rAF: ${byFrames.length} (${byFrames.map((v) => v.toFixed(2)).join(' ')}); by timer: ${byTimers.length}; rAF samples while shown: ${probe.frames.length}, timer samples: ${probe.timers.length}`);
    expect(byFrames.length).toBeGreaterThanOrEqual(5);
    expect(byTimers.length).toBeGreaterThanOrEqual(5);
    // The bar only moves forward.
    const seq = probe.frames.filter((v) => v > 0);
    expect(seq.every((v, i) => i === 0 || v >= seq[i - 1]!)).toBe(true);
    // And the decode it tracked is right.
    const frames = await frameList(page);
    expect(frames.map((f) => f.name)).toEqual(groundTruth(name));
    expect(w.consoleErrors).toEqual([]);
    await context.close();
  });

  it('renders the downloaded fax.pdf with the page\'s pdf.js pixel-identical to the decoded pages', async () => {
    const name = 'v17_14400_ecm';
    const context = await site.browser.newContext();
    const w = await openPage(site, context, '#decode');
    const { page } = w;
    await page.waitForSelector('[data-testid=decode-drop]');
    await decodeIn(page, `${name}.wav`, new Uint8Array(readFileSync(fixture('calls', `${name}.wav`))), 'audio/wav');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PDF' }).click()]);
    const pdf = readFileSync((await dl.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const figures = page.locator('[data-testid=page-list] figure');
    const n = await figures.count();
    expect(n).toBe(3);
    const drawn: { width: number; height: number; data: Uint8Array }[] = [];
    const dpi: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      drawn.push(await canvasBits(figures.nth(i).locator('canvas')));
      const m = (await figures.nth(i).locator('figcaption').innerText()).match(/(\d+)\u00d7(\d+) dpi/);
      expect(m).not.toBeNull();
      dpi.push([Number(m![1]), Number(m![2])]);
    }
    // Every page of these calls has one resolution; pdf.js renders the PDF at it (one device
    // pixel per fax pel: the PDF page is pels / dpi inches), and grey < 128 counts as black.
    expect(new Set(dpi.map((d) => d.join('x'))).size).toBe(1);
    const [xDpi, yDpi] = dpi[0]!;
    const rendered = await page.evaluate(async ({ b64, xDpi, yDpi }) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
      const render = (window as unknown as { webfaxRenderPdf: (b: Uint8Array, x: number, y: number) => Promise<{ width: number; height: number; data: Uint8Array }[]> }).webfaxRenderPdf;
      return (await render(bytes, xDpi, yDpi)).map((g) => {
        const stride = (g.width + 7) >> 3;
        const bits = new Uint8Array(stride * g.height);
        let grey = 0;
        for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) {
          const v = g.data[y * g.width + x]!;
          if (v !== 0 && v !== 255) grey++;
          if (v < 128) bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
        }
        let s = '';
        for (let k = 0; k < bits.length; k++) s += String.fromCharCode(bits[k]!);
        return { width: g.width, height: g.height, grey, b64: btoa(s) };
      });
    }, { b64: pdf.toString('base64'), xDpi, yDpi });
    expect(rendered.length).toBe(n);
    const black = (d: Uint8Array) => d.reduce((a, b) => { let c = 0; for (let v = b; v; v &= v - 1) c++; return a + c; }, 0);
    for (let i = 0; i < n; i++) {
      const got = rendered[i]!;
      const bits = new Uint8Array(Buffer.from(got.b64, 'base64'));
      console.log(`page ${i + 1}: ${got.width}x${got.height} at ${xDpi}x${yDpi} dpi, black pels drawn ${black(drawn[i]!.data)}, rendered ${black(bits)}, grey (neither 0 nor 255) ${got.grey}, bytes differing ${byteDiff(bits, drawn[i]!.data)}`);
      expect(black(drawn[i]!.data)).toBeGreaterThan(1000);
      expect([got.width, got.height]).toEqual([drawn[i]!.width, drawn[i]!.height]);
      expect(black(bits)).toBe(black(drawn[i]!.data));
      expect(byteDiff(bits, drawn[i]!.data)).toBe(0);
    }
    expect(w.consoleErrors).toEqual([]);
    expect(w.foreign()).toEqual([]);
    await context.close();
  });
});
