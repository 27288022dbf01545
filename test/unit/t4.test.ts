/**
 * T.4/T.6 codec round trips and decoder behaviour on damaged input. The interop tests against
 * libtiff are in test/interop/t4-libtiff.test.ts; these check our own encode -> decode.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { readPbm } from '../../core/formats/pbm';
import { encodeImage, T4PageBitSource, T4Encoder } from '../../core/t4/encode';
import { decodeImage, T4Decoder } from '../../core/t4/decode';
import { createImage, strideOf, type BilevelImage } from '../../core/t4/image';
import { copyQuality } from '../../core/t4/quality';
import { REVERSE } from '../../core/t4/rows';
import type { Coding } from '../../core/t4/encode';

function diffRows(a: BilevelImage, b: BilevelImage): number {
  const stride = strideOf(a.width);
  let n = 0;
  for (let y = 0; y < Math.max(a.height, b.height); y++) {
    for (let i = 0; i < stride; i++) {
      if (a.data[y * stride + i] !== b.data[y * stride + i]) { n++; break; }
    }
  }
  return n;
}

/** Deterministic pseudo-random test page with runs of all lengths, edges at 0 and width-1. */
function randomPage(width: number, height: number, seed: number): BilevelImage {
  const img = createImage(width, height);
  const stride = strideOf(width);
  let s = seed >>> 0;
  const rnd = (): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  for (let y = 0; y < height; y++) {
    const kind = y % 5;
    let x = 0;
    let black = rnd() < 0.5;
    while (x < width) {
      const run = kind === 0 ? 1 + Math.floor(rnd() * 3) : kind === 1 ? Math.floor(rnd() * 3000) : 1 + Math.floor(rnd() * 80);
      if (black) for (let i = x; i < Math.min(width, x + run); i++) img.data[y * stride + (i >> 3)] |= 0x80 >> (i & 7);
      x += run;
      black = !black;
    }
  }
  return img;
}

const codings: Coding[] = ['mh', 'mr', 'mmr'];

/** Bit positions just after each EOL (11+ zeros then a one) in MSB-first bytes. */
function eolEnds(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let zeros = 0;
  for (let i = 0; i < bytes.length * 8; i++) {
    if ((bytes[i >> 3] >> (7 - (i & 7))) & 1) {
      if (zeros >= 11) out.push(i + 1);
      zeros = 0;
    } else {
      zeros++;
    }
  }
  return out;
}

describe('t4 round trip', () => {
  it('ITU chart 1 and 4 encode and decode losslessly in MH, MR and MMR', () => {
    for (const n of [1, 4]) {
      const img = readPbm(readFileSync(fixture('itu', `itu${n}.pbm`)));
      for (const coding of codings) {
        const bytes = encodeImage(img, { coding, k: 4 });
        const r = decodeImage(bytes, { width: img.width, coding });
        expect(r.badRows).toBe(0);
        expect(r.rtcSeen).toBe(true);
        expect(r.rows).toBe(img.height);
        expect(diffRows(img, r.image)).toBe(0);
      }
    }
  });

  it('random pages at 1728/2048/2432 and odd widths, both fill orders, k=2, padding, alignment', () => {
    for (const width of [1728, 2048, 2432, 1, 13, 2600]) {
      const img = randomPage(width, 60, width);
      for (const coding of codings) {
        for (const fillOrder of [1, 2] as const) {
          const bytes = encodeImage(img, { coding, k: 2, fillOrder, minBitsPerRow: 400, eolAlign: fillOrder === 1 });
          const r = decodeImage(bytes, { width, coding, fillOrder });
          expect(r.badRows, `${width} ${coding} ${fillOrder}`).toBe(0);
          expect(r.rows).toBe(60);
          expect(diffRows(img, r.image), `${width} ${coding} ${fillOrder}`).toBe(0);
        }
      }
    }
  });

  it('T.4 without EOLs and byte-aligned rows (PDF EndOfLine false / EncodedByteAlign, TIFF RLE)', () => {
    const img = randomPage(1728, 40, 17);
    for (const coding of codings) {
      for (const byteAlign of [false, true]) {
        for (const rtc of [false, true]) {
          const bytes = encodeImage(img, { coding, eol: false, byteAlign, rtc, fillOrder: 1 });
          const r = decodeImage(bytes, { width: 1728, coding, eol: false, byteAlign, fillOrder: 1 });
          const what = `${coding} align=${byteAlign} rtc=${rtc}`;
          expect([r.rows, r.badRows], what).toEqual([40, 0]);
          expect(r.rtcSeen, what).toBe(rtc);
          expect(diffRows(img, r.image), what).toBe(0);
        }
      }
    }
    // Without EOLs there is nothing to find for an EOL-delimited decoder.
    const noEol = encodeImage(img, { coding: 'mh', eol: false, rtc: false });
    expect(decodeImage(noEol, { width: 1728, coding: 'mh' }).rows).toBe(0);
  });

  it('MR puts a 1-D row every K rows, K from the resolution by default (T.4 4.2.1)', () => {
    // Count tag bits: after each EOL of an MR page, 1 = 1-D row.
    const tags = (bytes: Uint8Array): string => {
      let out = '';
      const ends = eolEnds(bytes);
      for (const e of ends) out += (bytes[e >> 3] >> (7 - (e & 7))) & 1;
      return out;
    };
    for (const [yDpi, k] of [[98, 2], [196, 4], [300, 6], [391, 8], [400, 8]]) {
      const img = { ...randomPage(1728, 24, 1), yDpi };
      const t = tags(encodeImage(img, { coding: 'mr', rtc: false, fillOrder: 1 }));
      expect(t.length).toBe(24);
      expect(t).toBe(Array.from({ length: 24 }, (_, i) => (i % k === 0 ? '1' : '0')).join(''));
    }
  });

  it('rejects bad options with an Error', () => {
    expect(() => decodeImage(new Uint8Array(10), { width: 0, coding: 'mh' })).toThrow(/width/);
    expect(() => decodeImage(new Uint8Array(10), { width: 1728, coding: 'mh', rows: -1 })).toThrow(/rows/);
    expect(() => encodeImage(createImage(8, 1), { coding: 'mr', k: 0 })).toThrow(/k/);
  });

  it('property: 400 random images, widths 1..3000, random options, round trip exactly', () => {
    let seed = 77;
    const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
    for (let t = 0; t < 400; t++) {
      const width = 1 + rnd(3000);
      const height = 1 + rnd(12);
      const img = createImage(width, height, 204, [98, 196, 300, 391][rnd(4)]);
      const stride = strideOf(width);
      const density = rnd(4);
      for (let y = 0; y < height; y++) {
        for (let i = 0; i < stride; i++) {
          img.data[y * stride + i] = density === 0 ? 0 : density === 1 ? 0xff : density === 2 ? rnd(256) : (rnd(8) === 0 ? rnd(256) : 0);
        }
        if (width & 7) img.data[y * stride + stride - 1] &= (0xff << (8 - (width & 7))) & 0xff;
      }
      const coding = codings[rnd(3)];
      const eol = rnd(4) !== 0;
      const opts = {
        coding, eol, k: 1 + rnd(8), fillOrder: (1 + rnd(2)) as 1 | 2, byteAlign: rnd(2) === 0,
        eolAlign: rnd(2) === 0, minBitsPerRow: rnd(3) * 200, rtc: rnd(3) !== 0,
      };
      const bytes = encodeImage(img, opts);
      const r = decodeImage(bytes, { width, coding, fillOrder: opts.fillOrder, eol, byteAlign: opts.byteAlign, rows: rnd(2) ? height : undefined });
      const what = `#${t} ${JSON.stringify(opts)} ${width}x${height}`;
      expect([r.rows, r.badRows], what).toEqual([height, 0]);
      expect(diffRows(img, r.image), what).toBe(0);
    }
  });

  it('minBitsPerRow pads every T.4 row and eolAlign ends every EOL on a byte boundary', () => {
    const img = createImage(1728, 20); // all white: each row is tiny without padding
    const plain = encodeImage(img, { coding: 'mh', rtc: false });
    const padded = encodeImage(img, { coding: 'mh', rtc: false, minBitsPerRow: 1000 });
    expect(plain.length * 8).toBeLessThan(20 * 40);
    expect(padded.length * 8).toBeGreaterThanOrEqual(20 * 1000 - 1000);
    const aligned = encodeImage(img, { coding: 'mh', rtc: false, eolAlign: true, fillOrder: 1 });
    const ends = eolEnds(aligned);
    expect(ends.length).toBe(20);
    expect(ends.filter((e) => e % 8 !== 0)).toEqual([]);
    const unaligned = eolEnds(encodeImage(img, { coding: 'mh', rtc: false, fillOrder: 1 }));
    expect(unaligned.filter((e) => e % 8 !== 0).length).toBeGreaterThan(10);
  });

  it('T4PageBitSource produces the same bits as encodeImage, then END_OF_DATA', () => {
    const img = randomPage(1728, 40, 7);
    for (const coding of codings) {
      const whole = encodeImage(img, { coding, fillOrder: 2 });
      const src = new T4PageBitSource(img, { coding });
      const bits: number[] = [];
      for (let b = src.getBit(); b >= 0; b = src.getBit()) bits.push(b);
      expect(bits.length).toBe(whole.length * 8);
      let mismatches = 0;
      for (let i = 0; i < bits.length; i++) if (((whole[i >> 3] >> (i & 7)) & 1) !== bits[i]) mismatches++;
      expect(mismatches).toBe(0);
      expect(src.getBit()).toBe(-1);
    }
  });

  it('row-by-row encoder with takeBytes in pieces equals the whole-page encoder', () => {
    const img = randomPage(2048, 30, 3);
    const whole = encodeImage(img, { coding: 'mr', k: 4 });
    const enc = new T4Encoder({ width: 2048, coding: 'mr', k: 4 });
    const parts: Uint8Array[] = [];
    for (let y = 0; y < 30; y++) { enc.encodeRow(img.data, y * strideOf(2048)); parts.push(enc.takeBytes()); }
    enc.finish();
    parts.push(enc.takeBytes());
    const joined = Uint8Array.from(parts.flatMap((p) => [...p]));
    expect(joined).toEqual(whole);
  });
});

describe('t4 streaming decoder', () => {
  it('bit-by-bit feeding gives the same rows as one putBytes', () => {
    const img = randomPage(1728, 50, 11);
    for (const coding of codings) {
      const bytes = encodeImage(img, { coding, k: 4 });
      const rows: Uint8Array[] = [];
      const dec = new T4Decoder({ width: 1728, coding, onRow: (row) => rows.push(row.slice()) });
      for (let i = 0; i < bytes.length * 8; i++) dec.putBit((bytes[i >> 3] >> (i & 7)) & 1);
      // RTC/EOFB ends the page before end() is called.
      expect(dec.result.done).toBe(true);
      expect(dec.result.rtcSeen).toBe(true);
      const stats = dec.end();
      expect(stats.rows).toBe(50);
      expect(stats.badRows).toBe(0);
      const out = new Uint8Array(rows.length * strideOf(1728));
      rows.forEach((r, i) => out.set(r, i * r.length));
      expect(diffRows(img, { ...img, data: out })).toBe(0);
    }
  });

  it('leading garbage before the first EOL is skipped (T.4)', () => {
    const img = randomPage(1728, 10, 5);
    const bytes = encodeImage(img, { coding: 'mr', k: 2 });
    const junk = Uint8Array.from([0xff, 0x5a, 0xa5, 0x13, 0x37]);
    const r = decodeImage(Uint8Array.from([...junk, ...bytes]), { width: 1728, coding: 'mr' });
    expect(r.rows).toBe(10);
    expect(r.badRows).toBe(0);
    expect(diffRows(img, r.image)).toBe(0);
  });

  it('a corrupted MH row is counted bad, replaced by the previous row, and decoding resyncs', () => {
    const img = randomPage(1728, 30, 9);
    const bytes = encodeImage(img, { coding: 'mh', fillOrder: 1, eolAlign: true });
    // Damage row 12, just after its EOL (byte aligned thanks to eolAlign).
    const start = eolEnds(bytes)[12] >> 3;
    const damaged = bytes.slice();
    damaged[start + 2] ^= 0xff;
    damaged[start + 3] ^= 0x0f;
    const r = decodeImage(damaged, { width: 1728, coding: 'mh', fillOrder: 1 });
    expect(r.rows).toBe(30);
    expect(r.badRows).toBe(1);
    expect(r.maxConsecutiveBadRows).toBe(1);
    // Row 12 is a copy of row 11; every other row is intact.
    const stride = strideOf(1728);
    expect(r.image.data.subarray(12 * stride, 13 * stride)).toEqual(img.data.subarray(11 * stride, 12 * stride));
    const rest = { ...img, data: img.data.slice() };
    rest.data.set(img.data.subarray(11 * stride, 12 * stride), 12 * stride);
    expect(diffRows(rest, r.image)).toBe(0);
  });

  it('a damaged RTC is not a bad row, and still ends the page', () => {
    const img = randomPage(1728, 20, 33);
    for (const coding of ['mh', 'mr'] as Coding[]) {
      const bytes = encodeImage(img, { coding, fillOrder: 1 });
      const ends = eolEnds(bytes);
      const rtcStart = ends[ends.length - 6]; // bit just after the first RTC EOL
      // Damage the fourth RTC EOL (flip a bit among its zeros).
      const damaged = bytes.slice();
      const fourth = ends[ends.length - 3] - 6;
      damaged[fourth >> 3] ^= 0x80 >> (fourth & 7);
      const r = decodeImage(damaged, { width: 1728, coding, fillOrder: 1 });
      expect([r.rows, r.badRows, r.rtcSeen], coding).toEqual([20, 0, true]);
      expect(rtcStart).toBeGreaterThan(0);
      // A damaged row right after the page's first EOLs is still a bad row, though.
      const early = bytes.slice();
      const row3 = ends[3] + (coding === 'mr' ? 1 : 0) + 2;
      early[row3 >> 3] ^= 0xff;
      const e = decodeImage(early, { width: 1728, coding, fillOrder: 1 });
      expect(e.badRows, coding).toBeGreaterThan(0);
    }
  });

  it('MMR data error ends the page with an error; missing expected rows are filled and counted', () => {
    const img = randomPage(1728, 40, 21);
    const bytes = encodeImage(img, { coding: 'mmr', fillOrder: 1 });
    const damaged = bytes.slice(0, bytes.length >> 1);
    damaged.fill(0x00, damaged.length - 20); // seven zeros cannot be a mode code
    const r = decodeImage(damaged, { width: 1728, coding: 'mmr', fillOrder: 1, rows: 40 });
    expect(r.rows).toBe(40);
    expect(r.badRows).toBeGreaterThan(0);
    expect(r.error).toBeTruthy();
  });

  it('stops at maxRows on endless data', () => {
    const ones = new Uint8Array(20000).fill(0xff); // MMR: every bit is V0, a white row each
    const r = decodeImage(ones, { width: 1728, coding: 'mmr', maxRows: 5000 });
    expect(r.rows).toBe(5000);
    expect(r.error).toMatch(/limit/);
  });

  it('garbage with no EOL gives a clear error, no rows', () => {
    const r = decodeImage(Uint8Array.from({ length: 500 }, (_, i) => (i * 37) | 0x11), { width: 1728, coding: 'mh' });
    expect(r.rows).toBe(0);
    expect(r.error).toMatch(/no EOL/);
  });

  it('REVERSE is an involution', () => {
    for (let i = 0; i < 256; i++) expect(REVERSE[REVERSE[i]]).toBe(i);
  });
});

describe('t4 decoder under line errors', () => {
  // A chart sent with random bit errors: the decoder must find the damage (bad rows), and rows it
  // calls good must be real rows of the page (compared within +-80 rows, since a corrupted EOL
  // merges two rows and shifts the rest).
  const img = readPbm(readFileSync(fixture('itu', 'itu4.pbm')));
  const stride = strideOf(img.width);
  function run(coding: Coding, ber: number, seed: number) {
    const bytes = encodeImage(img, { coding, k: 4 });
    let s = seed;
    let flips = 0;
    for (let i = 0; i < bytes.length * 8; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      if (s / 4294967296 < ber) { bytes[i >> 3] ^= 1 << (i & 7); flips++; }
    }
    let y = 0;
    let goodButWrong = 0;
    const dec = new T4Decoder({
      width: img.width, coding,
      onRow(row, bad) {
        if (!bad) {
          let found = false;
          for (let yy = Math.max(0, y - 80); yy < Math.min(img.height, y + 80) && !found; yy++) {
            let same = true;
            for (let i = 0; i < stride && same; i++) same = row[i] === img.data[yy * stride + i];
            found = same;
          }
          if (!found) goodButWrong++;
        }
        y++;
      },
    });
    dec.putBytes(bytes);
    return { ...dec.end(), flips, goodButWrong };
  }

  it('MH: every error is caught or harmless at BER 1e-5..1e-4, verdicts follow the damage', () => {
    const a = run('mh', 1e-5, 99);
    expect(a.flips).toBeGreaterThan(0);
    expect(a.badRows).toBe(a.flips);
    expect(a.goodButWrong).toBe(0);
    expect(copyQuality(a)).toBe('MCF');
    const b = run('mh', 1e-4, 99);
    expect(b.badRows).toBeGreaterThan(b.flips * 0.8);
    expect(b.goodButWrong).toBeLessThanOrEqual(2);
    expect(b.rtcSeen).toBe(true);
    const c = run('mh', 1e-3, 99);
    expect(c.goodButWrong).toBeLessThan(c.badRows / 20);
    expect(copyQuality(c)).toBe('RTN');
  });

  it('MR (K=4): damage is caught; 2-D rows after a bad row are decoded against the last good row', () => {
    const a = run('mr', 1e-4, 7);
    expect(a.badRows).toBeGreaterThan(a.flips * 0.8);
    expect(a.rtcSeen).toBe(true);
    // Undetected wrong rows come from 2-D rows coded against a row we had to replace.
    expect(a.goodButWrong).toBeLessThan(a.badRows / 2);
  });
});

describe('copy quality', () => {
  it('follows HylaFAX PercentGoodLines / MaxConsecutiveBadLines', () => {
    expect(copyQuality({ rows: 1000, badRows: 0, maxConsecutiveBadRows: 0 })).toBe('MCF');
    expect(copyQuality({ rows: 1000, badRows: 10, maxConsecutiveBadRows: 1 })).toBe('MCF');
    expect(copyQuality({ rows: 1000, badRows: 30, maxConsecutiveBadRows: 2 })).toBe('RTP');
    expect(copyQuality({ rows: 1000, badRows: 51, maxConsecutiveBadRows: 1 })).toBe('RTN'); // 94 %
    expect(copyQuality({ rows: 1000, badRows: 50, maxConsecutiveBadRows: 1 })).toBe('RTP'); // 95 %
    expect(copyQuality({ rows: 1000, badRows: 6, maxConsecutiveBadRows: 6 })).toBe('RTN');
    expect(copyQuality({ rows: 1000, badRows: 5, maxConsecutiveBadRows: 5 })).toBe('MCF');
    expect(copyQuality({ rows: 2000, badRows: 6, maxConsecutiveBadRows: 6 }, { yDpi: 196 })).toBe('MCF');
    expect(copyQuality({ rows: 2000, badRows: 11, maxConsecutiveBadRows: 11 }, { yDpi: 196 })).toBe('RTN');
    expect(copyQuality({ rows: 0, badRows: 0, maxConsecutiveBadRows: 0 })).toBe('RTN');
    expect(copyQuality({ rows: 100, badRows: 50, maxConsecutiveBadRows: 50 }, { percentGoodLines: 0, maxConsecutiveBadLines: 0, rtpPercentBadLines: 100 })).toBe('MCF');
  });
});
