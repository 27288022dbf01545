/**
 * Fuzz: mutated G3/G4 streams through the T.4/T.6 decoder. No exception may escape, every page
 * must end (no hang), output is bounded by maxRows, and - the oracle - feeding the same bytes in
 * random chunks (and bit by bit) must give exactly the rows and counts of a one-shot decode.
 * Seeded PRNG, so every run is the same. FUZZ_N (default 100000) sets the number of streams.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { readPbm } from '../../core/formats/pbm';
import { encodeImage, type Coding } from '../../core/t4/encode';
import { decodeImage, T4Decoder } from '../../core/t4/decode';
import { createImage, strideOf, type BilevelImage } from '../../core/t4/image';

// 100 000 streams: ~28 s with the machine's 2 cores heavily shared (load 16). FUZZ_N=10000 for
// a quick run.
const N = Number(process.env.FUZZ_N ?? 100000);

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

/** Rows [y0, y0 + h) of an image as a new image. */
function band(img: BilevelImage, y0: number, h: number): BilevelImage {
  const stride = strideOf(img.width);
  return { ...img, height: h, data: img.data.slice(y0 * stride, (y0 + h) * stride) };
}

function randomImage(width: number, height: number, rnd: () => number): BilevelImage {
  const img = createImage(width, height);
  for (let i = 0; i < img.data.length; i++) if (rnd() % 4 === 0) img.data[i] = rnd() & 0xff;
  return img;
}

interface Base { bytes: Uint8Array; width: number; coding: Coding; fillOrder: 1 | 2; rows: number; eol: boolean; byteAlign: boolean }

function bases(): Base[] {
  const rnd = prng(12345);
  const out: Base[] = [];
  const charts = [2, 4, 7].map((n) => readPbm(readFileSync(fixture('itu', `itu${n}.pbm`))));
  for (const coding of ['mh', 'mr', 'mmr'] as Coding[]) {
    for (const fillOrder of [1, 2] as const) {
      // T.4 with EOLs (and MMR), and T.4 without EOLs / MMR with byte-aligned rows (PDF, TIFF RLE).
      for (const [eol, byteAlign] of [[true, false], [false, fillOrder === 1]]) {
        if (coding === 'mmr' && !byteAlign && !eol) continue;
        const o = { coding, fillOrder, eol, byteAlign, rtc: eol || rnd() % 2 === 0 };
        for (const chart of charts) {
          const img = band(chart, 300 + (rnd() % 1500), 12);
          out.push({ bytes: encodeImage(img, { ...o, k: 2 }), width: img.width, coding, fillOrder, rows: 12, eol, byteAlign });
        }
        for (const width of [1, 64, 1728, 2432]) {
          const img = randomImage(width, 6, rnd);
          out.push({ bytes: encodeImage(img, { ...o, minBitsPerRow: 96, eolAlign: width === 64 }), width, coding, fillOrder, rows: 6, eol, byteAlign });
        }
      }
    }
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b: Uint8Array = src.slice();
  const kinds = 1 + (rnd() % 3);
  for (let k = 0; k < kinds; k++) {
    const len = b.length;
    const at = len ? rnd() % len : 0;
    switch (rnd() % 8) {
      case 0: for (let i = 0, n = 1 + (rnd() % 8); i < n && len; i++) { const p = rnd() % (len * 8); b[p >> 3] ^= 1 << (p & 7); } break;
      case 1: for (let i = 0, n = 1 + (rnd() % 4); i < n && len; i++) b[rnd() % len] = rnd() & 0xff; break;
      case 2: b = b.slice(0, at); break;
      case 3: { const n = rnd() % 16; b = concat(b.subarray(0, at), b.subarray(Math.min(len, at + n))); break; }
      case 4: { const ins = Uint8Array.from({ length: 1 + (rnd() % 16) }, () => rnd() & 0xff); b = concat(b.subarray(0, at), ins, b.subarray(at)); break; }
      case 5: { const n = 1 + (rnd() % 32); b = concat(b.subarray(0, at + n), b.subarray(at, Math.min(len, at + n)), b.subarray(Math.min(len, at + n))); break; }
      case 6: b = Uint8Array.from({ length: rnd() % 64 }, () => rnd() & 0xff); break;
      case 7: b.fill(rnd() & 1 ? 0 : 0xff, at, at + (rnd() % 8)); break;
    }
  }
  return b;
}

interface Outcome { rows: number; badRows: number; maxConsecutiveBadRows: number; rtcSeen: boolean; hash: number }

function hashRow(h: number, row: Uint8Array, bad: boolean): number {
  for (let i = 0; i < row.length; i++) h = Math.imul(h ^ row[i], 16777619) >>> 0;
  return Math.imul(h ^ (bad ? 1 : 2), 16777619) >>> 0;
}

function decodeChunked(bytes: Uint8Array, setup: { width: number; coding: Coding; fillOrder: 1 | 2; rows?: number; maxRows: number; eol: boolean; byteAlign: boolean }, rnd: () => number, bitwise: boolean): Outcome {
  let hash = 2166136261;
  const dec = new T4Decoder({ ...setup, onRow: (row) => { hash = hashRow(hash, row, false); } });
  if (bitwise) {
    for (let i = 0; i < bytes.length * 8; i++) {
      const byte = bytes[i >> 3];
      dec.putBit(setup.fillOrder === 2 ? (byte >> (i & 7)) & 1 : (byte >> (7 - (i & 7))) & 1);
    }
  } else {
    for (let i = 0; i < bytes.length;) {
      const n = Math.min(bytes.length - i, 1 + (rnd() % 40));
      dec.putBytes(bytes, i, n);
      i += n;
    }
  }
  const s = dec.end();
  return { rows: s.rows, badRows: s.badRows, maxConsecutiveBadRows: s.maxConsecutiveBadRows, rtcSeen: s.rtcSeen, hash };
}

describe('t4 decoder fuzz', () => {
  it('the unmutated base streams decode cleanly (so the mutations are what hurts)', () => {
    for (const b of bases()) {
      const r = decodeImage(b.bytes, { width: b.width, coding: b.coding, fillOrder: b.fillOrder, eol: b.eol, byteAlign: b.byteAlign });
      expect([r.rows, r.badRows], `${b.coding} eol=${b.eol} align=${b.byteAlign} w=${b.width}`).toEqual([b.rows, 0]);
    }
  });

  it(`${N} mutated G3/G4 streams: no throw, no hang, bounded, chunked == one-shot`, () => {
    const rnd = prng(20261124);
    const base = bases();
    const widths = [1, 64, 1728, 2432];
    let totalRows = 0;
    let totalBad = 0;
    let mismatches = 0;
    const failures: string[] = [];
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < N; i++) {
      const b = base[rnd() % base.length];
      const bytes = mutate(b.bytes, rnd);
      // Mostly the right parameters (realistic damage), sometimes the wrong ones.
      const wrong = rnd() % 8 === 0;
      const setup = {
        width: wrong ? widths[rnd() % widths.length] : b.width,
        coding: wrong ? (['mh', 'mr', 'mmr'] as Coding[])[rnd() % 3] : b.coding,
        fillOrder: (wrong ? 1 + (rnd() % 2) : b.fillOrder) as 1 | 2,
        rows: rnd() % 3 === 0 ? b.rows : undefined,
        maxRows: 2000,
        eol: wrong ? rnd() % 2 === 0 : b.eol,
        byteAlign: wrong ? rnd() % 2 === 0 : b.byteAlign,
      };
      try {
        let hash = 2166136261;
        const whole = decodeImage(bytes, setup);
        const stride = strideOf(setup.width);
        for (let y = 0; y < whole.rows; y++) hash = hashRow(hash, whole.image.data.subarray(y * stride, (y + 1) * stride), false);
        if (whole.rows > 2000 || whole.image.data.length !== whole.rows * stride) failures.push(`#${i}: ${whole.rows} rows`);
        if (setup.rows !== undefined && whole.rows !== setup.rows) failures.push(`#${i}: ${whole.rows} rows, ${setup.rows} expected`);
        totalRows += whole.rows;
        totalBad += whole.badRows;
        if (i % 10 === 0) {
          const chunked = decodeChunked(bytes, setup, rnd, i % 50 === 0);
          const a = { rows: whole.rows, badRows: whole.badRows, max: whole.maxConsecutiveBadRows, rtc: whole.rtcSeen, hash };
          const c = { rows: chunked.rows, badRows: chunked.badRows, max: chunked.maxConsecutiveBadRows, rtc: chunked.rtcSeen, hash: chunked.hash };
          if (JSON.stringify(a) !== JSON.stringify(c)) { mismatches++; if (failures.length < 5) failures.push(`#${i}: ${JSON.stringify(a)} vs chunked ${JSON.stringify(c)}`); }
        }
      } catch (e) {
        failures.push(`#${i}: threw ${(e as Error).message}`);
        if (failures.length > 5) break;
      }
    }
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    expect(failures).toEqual([]);
    expect(mismatches).toBe(0);
    // The mutations must actually hurt: plenty of bad rows, and plenty of good ones.
    expect(totalBad).toBeGreaterThan(N / 10);
    expect(totalRows - totalBad).toBeGreaterThan(N);
    expect(heapGrowthMb).toBeLessThan(500);
  });
});
