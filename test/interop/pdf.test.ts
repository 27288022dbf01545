import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePdf, extractFaxPages, isPdf, rasterisePdf } from '../../core/formats/pdf';
import { encodeImage } from '../../core/t4/encode';
import { thresholdGrey } from '../../core/docs/raster';
import { fixture } from '../helpers/peers';
import { pageFromPbm, pixelDiff, randomPage } from '../helpers/pages';

const itu = (n: number, yDpi: number) => pageFromPbm(new Uint8Array(readFileSync(fixture('itu', `itu${n}.pbm`))), 204, yDpi);

function hasPoppler(): boolean {
  try { execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' }); return true; } catch { return false; }
}

describe('PDF written by webfax', () => {
  // Standard and fine charts, plus an odd width that is not a whole number of bytes.
  const pages = [itu(1, 196), itu(4, 98), randomPage(1001, 333, 7, 204, 391)];

  for (const coding of ['mmr', 'mr', 'mh'] as const) it(`renders pixel-identical in poppler (pdftoppm at each page's own dpi), ${coding}`, async () => {
    if (!hasPoppler()) throw new Error('pdftoppm (poppler-utils) is needed for this test');
    const dir = mkdtempSync(join(tmpdir(), 'webfax-pdf-'));
    try {
      writeFileSync(join(dir, 'doc.pdf'), await encodePdf(pages, { coding }));
      pages.forEach((p, i) => {
        execFileSync('pdftoppm', ['-rx', String(p.xDpi), '-ry', String(p.yDpi), '-mono', '-f', String(i + 1), '-l', String(i + 1), '-singlefile', join(dir, 'doc.pdf'), join(dir, `p${i}`)]);
        const got = pageFromPbm(new Uint8Array(readFileSync(join(dir, `p${i}.pbm`))), p.xDpi, p.yDpi);
        expect([got.width, got.height]).toEqual([p.width, p.height]);
        expect(pixelDiff(got, p)).toBe(0);
      });
      // The images really are CCITT (not re-encoded bitmaps).
      const list = execFileSync('pdfimages', ['-list', join(dir, 'doc.pdf')]).toString();
      expect(list.match(/ ccitt /g)?.length).toBe(pages.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  for (const coding of ['mmr', 'mr', 'mh'] as const) it(`renders pixel-identical in pdf.js (pdfjs-dist with @napi-rs/canvas), ${coding}`, async () => {
    const pdf = await encodePdf(pages, { coding });
    // And reads back losslessly through our own decoder.
    expect((await extractFaxPages(pdf))!.map((p, i) => pixelDiff(p, pages[i]!))).toEqual([0, 0, 0]);
    expect(isPdf(pdf)).toBe(true);
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i]!;
      const [g] = await rasterisePdf(pdf, { xDpi: p.xDpi, yDpi: p.yDpi, pages: [i + 1] });
      expect(pixelDiff(thresholdGrey(g!), p)).toBe(0);
      // No anti-aliased grey: pels land exactly on pixels.
      expect(g!.data.every((v) => v === 0 || v === 255)).toBe(true);
    }
  }, 60_000);

  it('keeps a 10-page fax small: the MMR data plus a little per page', async () => {
    const doc = Array.from({ length: 10 }, (_, i) => itu((i % 8) + 1, 98));
    const mmr = doc.reduce((n, p) => n + encodeImage(p, { coding: 'mmr' }).length, 0);
    const pdf = await encodePdf(doc);
    expect(pdf.length).toBeLessThan(mmr + 10 * 600);
  });

  it('refuses an empty document', async () => {
    await expect(encodePdf([])).rejects.toThrow(/no pages/);
  });
});

describe('PDF in', () => {
  it('fails cleanly on something that is not a PDF', async () => {
    await expect(rasterisePdf(new TextEncoder().encode('%PDF-1.4 garbage'))).rejects.toThrow(/PDF/);
  });

  it('reads the CCITT pages of a PDF made by libtiff tiff2pdf bit for bit (0.0000 matrix entries, K -1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webfax-pdf-'));
    try {
      const tif = fixture('pages', 'chart_std_1p_g3-1d.tif');
      execFileSync('tiff2pdf', ['-o', join(dir, 'doc.pdf'), tif]);
      const pages = await extractFaxPages(new Uint8Array(readFileSync(join(dir, 'doc.pdf'))));
      expect(pages?.length).toBe(1);
      // Oracle: poppler's render of the same PDF at the page's own resolution.
      execFileSync('pdftoppm', ['-rx', '204', '-ry', '98', '-mono', '-singlefile', join(dir, 'doc.pdf'), join(dir, 'p')]);
      const ref = pageFromPbm(new Uint8Array(readFileSync(join(dir, 'p.pbm'))), 204, 98);
      expect([pages![0]!.width, pages![0]!.height, pages![0]!.yDpi]).toEqual([1728, 1143, 98]);
      expect(pixelDiff(pages![0]!, ref)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
