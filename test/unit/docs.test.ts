import { describe, it, expect } from 'vitest';
import { encode as encodeJpeg } from 'jpeg-js';
import { PDFBool, PDFDict, PDFDocument, PDFName, PDFRawStream, StandardFonts, rgb } from 'pdf-lib';
import { pageLines, nearestResolution, parsePaper, parseResolution, resolutionYDpi } from '../../core/docs/geometry';
import { fitToPages, resample, rescaleLines } from '../../core/docs/scale';
import { loadDocument, prepareDocument, sniffDocument } from '../../core/docs/prepare';
import { encodePng } from '../../core/formats/png';
import { encodePdf, extractFaxPages } from '../../core/formats/pdf';
import { writePbm } from '../../core/formats/pbm';
import { writeTiff } from '../../core/formats/tiff';
import { createGrey } from '../../core/docs/raster';
import { getPel, pixelDiff, randomPage } from '../helpers/pages';
import type { BilevelImage } from '../../core/t4/image';

function ink(b: BilevelImage, x0 = 0, y0 = 0, x1 = b.width, y1 = b.height): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) n += getPel(b, x, y);
  return n;
}

describe('page geometry', () => {
  it('gives the T.4 page lengths for A4 and Letter', () => {
    expect(['standard', 'fine', 'superfine'].map((r) => pageLines('a4', parseResolution(r)))).toEqual([1143, 2286, 4573]);
    expect(['standard', 'fine', 'superfine'].map((r) => pageLines('letter', parseResolution(r)))).toEqual([1075, 2151, 4302]);
    expect(resolutionYDpi('fine')).toBe(196);
    expect(nearestResolution(200)).toBe('fine');
    expect(nearestResolution(97.79)).toBe('standard');
    expect(parsePaper('Letter')).toBe('letter');
    expect(() => parsePaper('b5')).toThrow(/unknown paper/);
  });
});

describe('scaling', () => {
  it('area-averages when shrinking (a 1-pel line turns grey, not lost) and keeps flat areas flat', () => {
    const g = createGrey(400, 10);
    for (let y = 0; y < 10; y++) g.data[y * 400 + 101] = 0;
    const s = resample(g, 100, 10);
    expect(s.data[25]).toBe(Math.round(255 * 3 / 4));
    expect(s.data[60]).toBe(255);
  });

  it('fits an image into the page keeping its physical aspect, centred', () => {
    // A square 1000x1000 image: 1728 pels wide would need 8.47 in of height: fits on A4.
    const [p] = fitToPages(createGrey(1000, 1000), { paper: 'a4', resolution: 'standard' });
    expect([p!.width, p!.height, p!.xDpi, p!.yDpi]).toEqual([1728, 1143, 204, 98]);
    // A tall strip is shrunk to the page height and centred across.
    const tall = createGrey(100, 1000);
    tall.data.fill(0);
    const [q] = fitToPages(tall, { paper: 'letter', resolution: 'fine' });
    expect(q!.height).toBe(2151);
    const row = q!.data.subarray(0, 1728);
    const first = row.indexOf(0), last = row.lastIndexOf(0);
    expect(Math.abs(first + last - 1727)).toBeLessThanOrEqual(2);
    expect(Math.abs((last - first + 1) / 204 - (2151 / 196) / 10)).toBeLessThan(0.02); // inches wide = height / 10
  });

  it('fit width splits a long image over pages', () => {
    const pages = fitToPages(createGrey(1000, 3000), { paper: 'a4', resolution: 'standard', fit: 'width' });
    // 8.47 in wide -> 25.4 in tall = 2490 lines = 1143 + 1143 + 204
    expect(pages.map((p) => p.height)).toEqual([1143, 1143, Math.round((1728 / 204) * 3 * 98) - 2286]);
  });

  it('rescales bilevel lines: up repeats, down ORs', () => {
    const p = randomPage(64, 10, 3, 204, 98);
    const up = rescaleLines(p, 196);
    expect(up.height).toBe(20);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 64; x++) expect(getPel(up, x, y)).toBe(getPel(p, x, y >> 1));
    expect(pixelDiff(rescaleLines(up, 98), p)).toBe(0);
  });
});

describe('prepareDocument', () => {
  it('sniffs every supported kind', async () => {
    const page = randomPage(1728, 20, 1);
    expect(sniffDocument(await encodePng(page))).toBe('png');
    expect(sniffDocument(await encodePdf([page]))).toBe('pdf');
    expect(sniffDocument(writePbm(page))).toBe('pbm');
    expect(sniffDocument(writeTiff([page]))).toBe('tiff');
    expect(sniffDocument(encodeJpeg({ width: 8, height: 8, data: new Uint8Array(256) }, 90).data)).toBe('jpeg');
    expect(sniffDocument(new TextEncoder().encode('hello'))).toBeUndefined();
    await expect(prepareDocument(new TextEncoder().encode('hello'))).rejects.toThrow(/unrecognised document/);
  });

  it('passes fax pages through untouched (PBM, TIFF, 1-bit PNG, fax PDF)', async () => {
    const page = randomPage(1728, 300, 2, 204, 196);
    for (const bytes of [writeTiff([page]), await encodePng(page), await encodePdf([page])]) {
      const [out] = await prepareDocument(bytes, { chop: 'none' });
      expect(pixelDiff(out!, page)).toBe(0);
      expect(out!.yDpi).toBe(196);
    }
    const [fromPbm] = await prepareDocument(writePbm(page), { chop: 'none' });
    expect(pixelDiff(fromPbm!, page)).toBe(0);
  });

  it('moves a fax-width page with a non-T.4 line density to the nearest resolution unless told to keep it', async () => {
    const p300 = randomPage(1728, 300, 6, 300, 300);
    const [sent] = await prepareDocument(writeTiff([p300]), { chop: 'none' });
    expect([sent!.yDpi, sent!.height]).toEqual([391, Math.round((300 * 391) / 300)]);
    const [kept] = await prepareDocument(writeTiff([p300]), { chop: 'none', keepLineDensity: true });
    expect(pixelDiff(kept!, p300)).toBe(0);
    const p200 = randomPage(1728, 100, 6, 200, 200); // 200 lpi is within 3 % of fine: kept
    expect(pixelDiff((await prepareDocument(writeTiff([p200]), { chop: 'none' }))[0]!, p200)).toBe(0);
  });

  it('reads a fax PDF losslessly, honours BlackIs1, and declines PDFs with other content', async () => {
    const page = randomPage(1000, 50, 4, 204, 391);
    const pages = await extractFaxPages(await encodePdf([page, page]));
    expect(pages?.length).toBe(2);
    expect(pixelDiff(pages![1]!, page)).toBe(0);
    expect(pages![1]!.yDpi).toBe(391);
    const doc = await PDFDocument.create();
    doc.addPage().drawText('x');
    expect(await extractFaxPages(await doc.save())).toBeUndefined();
    // BlackIs1 true: the coded 1s are white on paper, so the visible page is the inverse.
    const inv = await PDFDocument.load(await encodePdf([page]));
    const [, obj] = inv.context.enumerateIndirectObjects().find(([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'))!;
    ((obj as PDFRawStream).dict.lookup(PDFName.of('DecodeParms')) as PDFDict).set(PDFName.of('BlackIs1'), PDFBool.True);
    const [flipped] = (await extractFaxPages(await inv.save()))!;
    expect(pixelDiff(flipped!, page)).toBe(page.width * page.height);
    expect(await extractFaxPages(new Uint8Array(10))).toBeUndefined();
  });

  it('renders, fits and dithers a PDF with text and a grey box; chops the last page; images the tagline', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([612, 792]); // Letter
    page.drawText('Hello fax', { x: 72, y: 700, size: 48, font, color: rgb(0, 0, 0) });
    page.drawRectangle({ x: 72, y: 500, width: 200, height: 100, color: rgb(0.5, 0.5, 0.5) });
    const out = await prepareDocument(await doc.save(), { paper: 'letter', resolution: 'fine', tagline: 'From %n|Page %p of %t', ident: 'TEST', date: 'x' });
    expect(out.length).toBe(1);
    const p = out[0]!;
    expect([p.width, p.xDpi, p.yDpi]).toEqual([1728, 204, 196]);
    // Letter on Letter: 8.5 in shrinks to the 8.47 in scan width; the text is 1 in from the left
    // and 1.2 in from the top (points / 72).
    const x72 = Math.round((72 / 612) * 1728);
    const textTop = Math.round(((792 - 700 - 40) / 72) * 196 * (1728 / 204 / 8.5));
    expect(ink(p, x72, textTop - 20, x72 + 500, textTop + 60)).toBeGreaterThan(2000);
    // The grey box is dithered to about half black.
    const bx0 = x72 + 20, by0 = Math.round(((792 - 600) / 72) * 196 * (1728 / 204 / 8.5)) + 20;
    const density = ink(p, bx0, by0, bx0 + 400, by0 + 200) / (400 * 200);
    expect(Math.abs(density - 0.5)).toBeLessThan(0.1);
    // Chopped below the box (3+ inches of white went), keeping everything above it.
    expect(p.height).toBeLessThan(2151);
    expect(p.height).toBeGreaterThan(by0 + 200);
    // Tagline band has ink.
    expect(ink(p, 0, 0, 1728, 16)).toBeGreaterThan(100);
  }, 30_000);

  it('turns a JPEG photo into a dithered page of the asked size', async () => {
    const w = 320, h = 240;
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < w * h; i++) { const v = Math.round(((i % w) / (w - 1)) * 255); rgba.set([v, v, v, 255], i * 4); }
    const jpeg = encodeJpeg({ width: w, height: h, data: rgba }, 90).data;
    const [pj] = await prepareDocument(new Uint8Array(jpeg), { paper: 'a4', resolution: 'standard', chop: 'none', rotate: 'none' });
    expect([pj!.width, pj!.height]).toEqual([1728, 1143]);
    // Left (dark) end mostly black, right end white, fits the width: 1728 / (4/3) in lines of 98 lpi.
    const imgLines = Math.round((1728 / 204) * (3 / 4) * 98);
    expect(ink(pj!, 0, 10, 100, imgLines - 10) / (100 * (imgLines - 20))).toBeGreaterThan(0.85);
    expect(ink(pj!, 1650, 10, 1728, imgLines - 10)).toBe(0);
    expect(ink(pj!, 0, imgLines + 2, 1728, 1143)).toBe(0);
    // By default the landscape photo is turned a quarter to fill the sheet: its dark left edge
    // goes to the bottom, and it is 1728 wide and 8.47 x 4/3 in tall.
    const [pr] = await prepareDocument(new Uint8Array(jpeg), { paper: 'a4', resolution: 'standard', chop: 'none' });
    const tall = Math.round((1728 / 204) * (4 / 3) * 98);
    expect(ink(pr!, 10, tall - 90, 1718, tall - 10) / (1708 * 80)).toBeGreaterThan(0.85);
    expect(ink(pr!, 10, 10, 1718, 60)).toBe(0);
    expect(ink(pr!, 0, tall + 2, 1728, 1143)).toBe(0);
    const src = await loadDocument(new Uint8Array(jpeg));
    expect(src[0]!.kind).toBe('grey');
    await expect(prepareDocument(Uint8Array.from([0xff, 0xd8, 0xff, 0, 1, 2]))).rejects.toThrow(/JPEG/);
  });

  it('turns JPEG photos upright per their EXIF orientation', async () => {
    const w = 48, h = 24;
    const rgba = new Uint8Array(w * h * 4).fill(255);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) rgba.fill(0, (y * w + x) * 4, (y * w + x) * 4 + 3); // dark block, stored top-left
    const exif = (o: number) => Uint8Array.from([
      0x45, 0x78, 0x69, 0x66, 0, 0, // "Exif\0\0"
      0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, // big-endian TIFF, IFD at 8
      0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0, // Orientation = o
    ]);
    // Where the block lands (which corner) for each orientation.
    const corner: Record<number, [number, number]> = { 1: [0, 0], 3: [1, 1], 6: [1, 0], 8: [0, 1], 5: [0, 0], 2: [1, 0] };
    for (const [o, [cx, cy]] of Object.entries(corner)) {
      const jpeg = encodeJpeg({ width: w, height: h, data: rgba, exifBuffer: exif(+o) } as Parameters<typeof encodeJpeg>[0], 95).data;
      const [src] = await loadDocument(new Uint8Array(jpeg));
      const g = src!.image as { width: number; height: number; data: Uint8Array };
      expect([g.width, g.height]).toEqual(+o >= 5 ? [h, w] : [w, h]);
      const at = (x: number, y: number) => g.data[y * g.width + x]!;
      expect(at(cx ? g.width - 3 : 2, cy ? g.height - 3 : 2), `orientation ${o}`).toBeLessThan(60);
      expect(at(cx ? 2 : g.width - 3, cy ? g.height - 3 : 2), `orientation ${o}`).toBeGreaterThan(200);
    }
  });

  it('survives 200 mutated JPEGs: decoded or a clear JPEG error, nothing else', async () => {
    const w = 96, h = 64;
    const rgba = new Uint8Array(w * h * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37) & 0xff;
    const seed = encodeJpeg({ width: w, height: h, data: rgba }, 80).data;
    let s = 7;
    const rnd = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
    let ok = 0, bad = 0;
    for (let i = 0; i < 200; i++) {
      const b = new Uint8Array(seed);
      for (let k = 0; k < 1 + rnd(6); k++) b[3 + rnd(b.length - 3)] = rnd(256);
      try {
        await loadDocument(i % 5 === 0 ? b.subarray(0, 3 + rnd(b.length - 3)) : b);
        ok++;
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^JPEG: /);
        bad++;
      }
    }
    expect(ok + bad).toBe(200);
  });

  it('scales a bilevel image that is not fax-sized by threshold, not dither', async () => {
    const small = randomPage(500, 300, 8, 100, 100);
    const [p] = await prepareDocument(writePbm(small), { resolution: 'fine', chop: 'none' });
    expect(p!.width).toBe(1728);
    // No pels where the scaled source is clearly white: no dither texture, only edges.
    const g = p!;
    let lone = 0;
    for (let y = 1; y < 1000; y++) for (let x = 1; x < 1700; x++) {
      if (!getPel(g, x, y)) continue;
      if (!getPel(g, x - 1, y) && !getPel(g, x + 1, y) && !getPel(g, x, y - 1) && !getPel(g, x, y + 1)) lone++;
    }
    expect(lone).toBe(0);
  });
});
