// The Decode view in Chromium: a call recording dropped on the page is analysed in the worker and
// its frame list appears, matching the call's ground truth (spandsp's frame log of that call, in
// order, every FCS good), and its three pages appear as images pixel-identical to the document
// that was sent (read independently with core's TIFF reader); garbage dropped gives a one-line message, not a hang or a stack trace;
// nothing is requested from any other origin and no console error is logged.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { startSite, openPage, canvasBits, byteDiff, type Site } from './harness';
import { readTiff } from '../../core/formats/tiff';
import { fixture } from '../helpers/peers';
import { dropFile, groundTruth, frameList } from '../helpers/decode-view';

let site: Site;
beforeAll(async () => { site = await startSite(); });
afterAll(async () => { await site?.close(); });

describe('Decode view', () => {
  it('shows the frame list of a dropped recording, as the call had it', async () => {
    const name = 'v29_9600_noecm';
    const truth = groundTruth(name);
    expect(truth.length).toBeGreaterThan(10);

    const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const w = await openPage(site, context, '#decode');
    const { page } = w;
    await page.waitForSelector('[data-testid=decode-drop]');
    // Record every status the view shows while it works (progress comes from the worker).
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=decode-status]')!;
      const seen: string[] = ((window as unknown as { statuses: string[] }).statuses = []);
      new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await dropFile(page, `${name}.wav`, new Uint8Array(readFileSync(fixture('calls', `${name}.wav`))), 'audio/wav');
    await page.waitForSelector('[data-testid=frame-list] details', { timeout: 120_000 });

    const frames = await frameList(page);
    expect(frames.map((f) => f.name)).toEqual(truth);
    expect(frames.every((f) => f.ok)).toBe(true);
    expect(await page.locator('[data-testid=decode-status]').innerText()).toMatch(/Decoded v29_9600_noecm\.wav/);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    const percents = statuses.map((t) => t.match(/Analysing\u2026 (\d+)%/)?.[1]).filter(Boolean).map(Number);
    expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
    expect(await page.locator('[data-testid=decode-summary]').innerText()).toMatch(/V\.29 9600/);

    // A frame opens to its fields and bytes.
    const dcs = page.locator('[data-testid=frame-list] details[data-frame=DCS]').first();
    await dcs.locator('summary').click();
    expect(await dcs.locator('.fields').innerText()).toMatch(/9600/);
    expect(await dcs.locator('.bits').first().innerText()).toMatch(/^hex: ff 13 83/);

    // The pages, as drawn, against the document the call sent.
    const sent = readTiff(new Uint8Array(readFileSync(fixture('pages', 'doc_std_3p_g3-2d.tif')))).map((p) => p.image);
    const canvases = page.locator('[data-testid=page-list] canvas');
    expect(await canvases.count()).toBe(sent.length);
    for (let i = 0; i < sent.length; i++) {
      const got = await canvasBits(canvases.nth(i));
      expect([got.width, got.height]).toEqual([sent[i]!.width, sent[i]!.height]);
      expect(byteDiff(got.data, sent[i]!.data)).toBe(0);
    }

    // Downloads: a PDF and a TIFF-F of the pages, and report.json.
    const fetchDownload = async (label: string): Promise<Buffer> => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
      const path = await dl.path();
      return readFileSync(path!);
    };
    expect((await fetchDownload('Download PDF')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const tif = await fetchDownload('Download TIFF-F');
    expect(readTiff(new Uint8Array(tif)).length).toBe(sent.length);
    expect(JSON.parse((await fetchDownload('Download report.json')).toString('utf8')).frames.length).toBe(truth.length);

    if (process.env.SCREENSHOTS === '1') {
      await page.evaluate(() => document.getElementById('dec-pages')!.scrollIntoView());
      await page.screenshot({ path: 'docs/screenshots/decode-pages.png', fullPage: false });
      await page.evaluate(() => document.getElementById('dec-verdict')!.scrollIntoView());
      await page.screenshot({ path: 'docs/screenshots/decode.png', fullPage: false });
    }

    // Garbage: a clear one-line message, and the view still works afterwards.
    const junk = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) & 0xff);
    await dropFile(page, 'junk.bin', junk, 'application/octet-stream');
    await page.waitForFunction(() => /Could not decode junk\.bin/.test(document.querySelector('[data-testid=decode-status]')?.textContent ?? ''), null, { timeout: 30_000 });
    const msg = await page.locator('[data-testid=decode-status]').innerText();
    expect(msg.split('\n').length).toBe(1);
    expect(msg).not.toMatch(/\bat \w+ \(|\.ts:\d+/); // no stack trace

    expect(w.consoleErrors).toEqual([]);
    expect(w.foreign()).toEqual([]);
    await context.close();
  });

  it('decodes a FLAC recording through the browser\'s own decoder (16 kHz stereo, resampled to 8 kHz)', async () => {
    const name = 'v29_9600_noecm';
    const dir = mkdtempSync(join(tmpdir(), 'webfax-flac-'));
    const flac = join(dir, `${name}.flac`);
    try {
      execFileSync('sox', [fixture('calls', `${name}.stereo.wav`), '-r', '16000', flac], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(`sox could not make the FLAC test file (npm test installs sox through the spandsp peer's build.sh): ${(e as Error).message.split('\n')[0]}`);
    }
    const bytes = new Uint8Array(readFileSync(flac));
    rmSync(dir, { recursive: true, force: true });
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('fLaC');

    const context = await site.browser.newContext();
    const w = await openPage(site, context, '#decode');
    await w.page.waitForSelector('[data-testid=decode-drop]');
    await dropFile(w.page, `${name}.flac`, bytes, 'audio/flac');
    await w.page.waitForSelector('[data-testid=frame-list] details', { timeout: 120_000 });
    const frames = await frameList(w.page);
    expect(frames.map((f) => f.name)).toEqual(groundTruth(name));
    expect(frames.every((f) => f.ok)).toBe(true);
    expect(w.consoleErrors).toEqual([]);
    expect(w.foreign()).toEqual([]);
    await context.close();
  });

  it('decodes a real VoIP capture (pcap, G.711 A-law RTP) dropped on the page', async () => {
    const context = await site.browser.newContext();
    const w = await openPage(site, context, '#decode');
    await w.page.waitForSelector('[data-testid=decode-drop]');
    const name = 'wireshark-sample_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap';
    await dropFile(w.page, name, new Uint8Array(readFileSync(fixture('pcap', name))), 'application/vnd.tcpdump.pcap');
    await w.page.waitForSelector('[data-testid=frame-list] details', { timeout: 120_000 });
    const names = (await frameList(w.page)).filter((f) => f.ok).map((f) => f.name);
    // fixtures/README.md: CSI+DIS five times one way; TSI, DCS, EOP x3, DCN the other.
    expect(names.filter((n) => n === 'DIS').length).toBe(5);
    for (const n of ['CSI', 'TSI', 'DCS', 'EOP', 'DCN']) expect(names).toContain(n);
    expect(await w.page.locator('[data-testid=decode-summary]').innerText()).toMatch(/V\.17 14400/);
    expect(w.consoleErrors).toEqual([]);
    expect(w.foreign()).toEqual([]);
    await context.close();
  });
});
