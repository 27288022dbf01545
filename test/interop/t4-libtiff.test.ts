/**
 * The T.4/T.6 codec and TIFF reader/writer against libtiff (tiffcp, tiffinfo, tiff2pdf from
 * libtiff-tools, and spandsp's tiffpagecmp, which decodes both files with libtiff).
 *  - every valid G3/G4 fixture decodes pixel-identical to libtiff's decode;
 *  - the malformed fixtures degrade (bad rows counted, an error message) and never throw;
 *  - the ITU charts encoded by webfax (MH, MR K=4, MMR; both fill orders; strips) decode in
 *    libtiff identical to the charts, and libtiff's own G3/G4 encodings decode in webfax identical.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowsDiffering } from '../helpers/pages';
import { fixture, peerBin } from '../helpers/peers';
import { readTiff, writeTiff, type TiffCompression } from '../../core/formats/tiff';
import { readPbm } from '../../core/formats/pbm';
import { decodeImage } from '../../core/t4/decode';
import { createImage, strideOf, type BilevelImage } from '../../core/t4/image';

let tmp = '';
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'webfax-t4-')); });
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

/** libtiff's comparison of two TIFFs (tiffpagecmp): JSON result. */
function pageCmp(a: string, b: string): { identical: boolean; pages: { rows_differing: number }[] } {
  const r = spawnSync(peerBin('tiffpagecmp'), [a, b], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as { identical: boolean; pages: { rows_differing: number }[] };
}

/** libtiff's decode: tiffcp -c none, then read that uncompressed file. */
function libtiffDecode(src: string, name: string): BilevelImage[] {
  const out = join(tmp, `${name}.none.tif`);
  execFileSync('tiffcp', ['-c', 'none', src, out], { stdio: ['ignore', 'ignore', 'ignore'] });
  return readTiff(readFileSync(out)).map((p) => p.image);
}

/** Wrap raw coded data in a one-strip TIFF (for the raw .g3 fixture). */
function wrapRawG3(data: Uint8Array, width: number, height: number, fillOrder: 1 | 2): Uint8Array {
  const entries: [number, number, number][] = [
    [256, 4, width], [257, 4, height], [258, 3, 1], [259, 3, 3], [262, 3, 0], [266, 3, fillOrder],
    [273, 4, 8 + data.length + (data.length & 1)], [277, 3, 1], [278, 4, height], [279, 4, data.length], [292, 4, 0],
  ];
  const ifd = 8 + data.length + (data.length & 1);
  const out = new Uint8Array(ifd + 2 + entries.length * 12 + 4);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, ifd, true);
  out.set(data, 8);
  v.setUint16(ifd, entries.length, true);
  entries.forEach(([tag, type, value], i) => {
    const e = ifd + 2 + i * 12;
    v.setUint16(e, tag, true);
    v.setUint16(e + 2, type, true);
    v.setUint32(e + 4, 1, true);
    if (type === 3) v.setUint16(e + 8, value, true);
    else v.setUint32(e + 8, value, true);
  });
  // StripOffsets must point at the data: fix the entry written above.
  v.setUint32(ifd + 2 + 6 * 12 + 8, 8, true);
  return out;
}

const VALID = [
  'CCITT-bounds.tif', 'CCITT_1.TIF', 'CCITT_2.TIF', 'CCITT_3.TIF', 'CCITT_4.TIF', 'CCITT_5.TIF', 'CCITT_6.TIF',
  'CCITT_7.TIF', 'CCITT_8.TIF', 'G31D.TIF', 'G31DS.TIF', 'G32D.TIF', 'G32DS.TIF', 'G4.TIF', 'G4S.TIF',
];

// spandsp-written multi-page pages and received documents.
const SPANDSP = [
  'pages/chart_std_1p_g3-1d.tif', 'pages/doc_fine_3p_g4.tif', 'pages/doc_std_3p_g3-2d.tif',
  'calls/noisy_gated-snr20_v29_noecm.rx.tif', 'calls/v17_14400_ecm.rx.tif', 'calls/v27ter_4800_noecm.rx.tif',
];

describe('libtiff fixtures decode like libtiff', () => {
  for (const path of [...VALID.map((n) => `tiff/${n}`), ...SPANDSP]) {
    it(path, () => {
      const src = fixture(...path.split('/'));
      const name = path.replace('/', '_');
      const ours = readTiff(readFileSync(src));
      const theirs = libtiffDecode(src, name);
      expect(ours.length).toBe(theirs.length);
      for (let i = 0; i < ours.length; i++) {
        expect(ours[i].badRows).toBe(0);
        expect(ours[i].error).toBeUndefined();
        expect(rowsDiffering(ours[i].image, theirs[i])).toBe(0);
      }
      // And the other way round: our decode written uncompressed, compared by libtiff itself.
      const mine = join(tmp, `${name}.ours.tif`);
      writeFileSync(mine, writeTiff(ours.map((p) => p.image), { compression: 'none' }));
      expect(pageCmp(src, mine).identical).toBe(true);
    });
  }

  it('miniswhite-1c-1b.g3 (raw G3 stream, 1728 wide) decodes clean and matches libtiff', () => {
    const raw = readFileSync(fixture('tiff', 'miniswhite-1c-1b.g3'));
    const r = decodeImage(raw, { width: 1728, coding: 'mh', fillOrder: 1 });
    expect(r.rows).toBe(1728);
    expect(r.badRows).toBe(0);
    expect(r.rtcSeen).toBe(true);
    const wrapped = join(tmp, 'miniswhite.tif');
    writeFileSync(wrapped, wrapRawG3(raw, 1728, r.rows, 1));
    const theirs = libtiffDecode(wrapped, 'miniswhite');
    expect(rowsDiffering(r.image, theirs[0])).toBe(0);
  });
});

describe('malformed fixtures degrade like a receiver, never throw', () => {
  it('G3_Premature_EOL.tif and testfax3_bug54_1dnoEOL.tif: libtiff fails; we recover (G3 without EOLs)', () => {
    for (const name of ['G3_Premature_EOL.tif', 'testfax3_bug54_1dnoEOL.tif']) {
      const r = spawnSync('tiffcp', ['-c', 'none', fixture('tiff', name), join(tmp, `${name}.none.tif`)], { encoding: 'utf8' });
      expect(r.stderr).toMatch(/Premature EOL/);
      const [p] = readTiff(readFileSync(fixture('tiff', name)));
      expect(p.rows).toBe(p.image.height);
      expect(p.badRows).toBe(0); // every row sums exactly to the width; poppler agrees (t4-poppler.test.ts)
      expect(p.error).toMatch(/without EOLs/);
    }
  });

  it('G3 data that is neither: garbage strips count every row bad, with an error', () => {
    const bytes = Uint8Array.from(readFileSync(fixture('tiff', 'G31D.TIF')));
    const [clean] = readTiff(bytes);
    const strip = 8; // G31D.TIF's single strip starts right after the header
    for (let i = strip; i < strip + 125556; i++) bytes[i] = ((i * 151) & 0xff) | 0x21; // never 11 zeros: no EOL
    const [p] = readTiff(bytes);
    expect(clean.badRows).toBe(0);
    expect(p.rows).toBe(3248);
    expect(p.badRows).toBe(3248);
    expect(p.error).toMatch(/EOL|rows/);
  });

  it('testfax3_bug_513.tiff: decoded without throwing', () => {
    const [p] = readTiff(readFileSync(fixture('tiff', 'testfax3_bug_513.tiff')));
    expect(p.image.width).toBe(32);
    expect(p.rows).toBe(2);
  });

  it('truncated and corrupted containers give a one-line Error', () => {
    const good = readFileSync(fixture('tiff', 'G32DS.TIF'));
    const cases: Uint8Array[] = [
      good.subarray(0, 4), good.subarray(0, 1000), Uint8Array.from([0x49, 0x49, 43, 0, 8, 0, 0, 0]),
      Uint8Array.from(good).fill(0xff, 4, 8), new Uint8Array(100),
    ];
    for (const c of cases) {
      let msg = '';
      try { readTiff(c); } catch (e) { msg = (e as Error).message; }
      expect(msg).toMatch(/^tiff/);
      expect(msg).not.toMatch(/\n/);
    }
    // A file cut inside its strip data (the IFD is at the end) still fails cleanly.
    const g4 = readFileSync(fixture('tiff', 'G4.TIF'));
    expect(() => readTiff(g4.subarray(0, g4.length >> 1))).toThrow(/^tiff/);
  });
});

const CHARTS = [1, 2, 3, 4, 5, 6, 7, 8];
const CODINGS: TiffCompression[] = ['mh', 'mr', 'mmr'];

describe('ITU charts: webfax encodes, libtiff decodes', () => {
  for (const n of CHARTS) {
    it(`itu${n}: MH, MR (K=4), MMR, CCITT RLE identical in libtiff`, () => {
      const chart = readPbm(readFileSync(fixture('itu', `itu${n}.pbm`)), { xDpi: 200, yDpi: 200 });
      for (const compression of [...CODINGS, 'rle'] as TiffCompression[]) {
        const fillOrder = n % 2 === 0 ? 1 : 2;
        const file = join(tmp, `itu${n}.${compression}.tif`);
        writeFileSync(file, writeTiff([chart], { compression, k: 4, fillOrder, rowsPerStrip: n === 3 ? 128 : undefined }));
        const cmp = pageCmp(fixture('tiff', `CCITT_${n}.TIF`), file);
        expect(cmp.identical, `${compression} fill ${fillOrder}`).toBe(true);
        // tiffinfo decoding the whole image: no warnings or errors.
        const info = spawnSync('tiffinfo', ['-D', file], { encoding: 'utf8' });
        expect(info.status).toBe(0);
        expect(info.stderr).toBe('');
      }
    });
  }

  it('multi-page, strips, EOL alignment, resolutions and PageNumber survive tiffcp and tiff2pdf', () => {
    const pages = [1, 2, 5].map((n, i) => ({
      ...readPbm(readFileSync(fixture('itu', `itu${n}.pbm`))), xDpi: 204, yDpi: [98, 196, 391][i],
    }));
    for (const compression of CODINGS) {
      const file = join(tmp, `multi.${compression}.tif`);
      writeFileSync(file, writeTiff(pages, { compression, rowsPerStrip: 300, eolAlign: true, software: 'webfax' }));
      const info = execFileSync('tiffinfo', [file], { encoding: 'utf8' });
      expect(info.match(/TIFF Directory/g)?.length).toBe(3);
      expect(info).toMatch(/Page Number: 2-3/);
      expect(info).toMatch(/Resolution: 204, 391/);
      // libtiff re-encodes it to G4, big-endian; we read that back identical.
      const big = join(tmp, `multi.${compression}.be.tif`);
      execFileSync('tiffcp', ['-B', '-c', 'g4', file, big]);
      const back = readTiff(readFileSync(big));
      expect(back.map((p) => rowsDiffering(p.image, pages[back.indexOf(p)]))).toEqual([0, 0, 0]);
      expect(back.map((p) => p.pageNumber)).toEqual([[0, 3], [1, 3], [2, 3]]);
      expect(back.map((p) => p.image.yDpi)).toEqual([98, 196, 391]);
      const pdf = join(tmp, `multi.${compression}.pdf`);
      const r = spawnSync('tiff2pdf', ['-o', pdf, file], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    }
  });
});

describe('ITU charts: libtiff encodes, webfax decodes', () => {
  const modes: [string, string[]][] = [
    ['g3:1d', []], ['g3:2d', []], ['g4', []], ['g3:1d,fill', ['-f', 'lsb2msb']], ['g3:2d,fill', ['-f', 'lsb2msb', '-r', '100']],
  ];
  for (const n of CHARTS) {
    it(`itu${n}: tiffcp -c g3:1d / g3:2d / g4 decode identical in webfax`, () => {
      const chart = readPbm(readFileSync(fixture('itu', `itu${n}.pbm`)));
      for (const [c, extra] of modes) {
        const file = join(tmp, `lt${n}.${c.replace(/[:,]/g, '_')}.tif`);
        execFileSync('tiffcp', ['-c', c, ...extra, fixture('tiff', `CCITT_${n}.TIF`), file]);
        const [p] = readTiff(readFileSync(file));
        expect(p.badRows, c).toBe(0);
        expect(rowsDiffering(p.image, chart), c).toBe(0);
      }
    });
  }
});

describe('every code in the tables, both ways through libtiff', () => {
  it('rows with every white and black run length 0..2600 (make-up, extended make-up, repeated 2560)', () => {
    // Row L: white run of L, then black to the end (so black runs 2600-L): every run length of
    // both colours occurs, in MH as codes and in MR/MMR as horizontal and vertical modes.
    const width = 2600;
    const img = createImage(width, width + 1, 204, 196);
    const stride = strideOf(width);
    for (let y = 0; y <= width; y++) {
      for (let x = y; x < width; x++) img.data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
    }
    const none = join(tmp, 'runs.none.tif');
    writeFileSync(none, writeTiff([img], { compression: 'none' }));
    for (const compression of CODINGS) {
      const ours = join(tmp, `runs.${compression}.tif`);
      writeFileSync(ours, writeTiff([img], { compression }));
      expect(pageCmp(none, ours).identical, compression).toBe(true);
    }
    for (const c of ['g3:1d', 'g3:2d', 'g4']) {
      const theirs = join(tmp, `runs.${c.replace(':', '_')}.tif`);
      execFileSync('tiffcp', ['-c', c, none, theirs]);
      const [p] = readTiff(readFileSync(theirs));
      expect(p.badRows, c).toBe(0);
      expect(rowsDiffering(p.image, img), c).toBe(0);
    }
  });
});
