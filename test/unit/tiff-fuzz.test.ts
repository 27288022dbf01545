/**
 * Fuzz the TIFF container reader: mutated small TIFF files (ours in every compression, libtiff's
 * tiny malformed fixture, a big-endian one) must either read (damaged rows counted) or throw an
 * Error whose message is one line starting "tiff" - never a RangeError from a stray offset, never
 * a hang, never a huge allocation. Seeded PRNG; TIFF_FUZZ_N sets the count (default 20000).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { readTiff, writeTiff, type TiffCompression } from '../../core/formats/tiff';
import { createImage } from '../../core/t4/image';

const N = Number(process.env.TIFF_FUZZ_N ?? 20000);

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

function seeds(): Uint8Array[] {
  const img = createImage(40, 12);
  for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 37) & 0xff;
  const out: Uint8Array[] = [];
  for (const compression of ['none', 'mh', 'mr', 'mmr', 'rle'] as TiffCompression[]) {
    out.push(writeTiff([img, img], { compression, rowsPerStrip: 5, software: 'x' }));
  }
  out.push(Uint8Array.from(readFileSync(fixture('tiff', 'testfax3_bug_513.tiff'))));
  return out;
}

describe('tiff reader fuzz', () => {
  it(`${N} mutated TIFF files: read or a one-line "tiff" Error, nothing else`, () => {
    const rnd = prng(4242);
    const base = seeds();
    const bad: string[] = [];
    let read = 0;
    let errors = 0;
    for (let i = 0; i < N && bad.length < 5; i++) {
      const b = base[rnd() % base.length].slice();
      // Mostly hit the header and the IFDs (the tail of our files), sometimes anywhere.
      for (let k = 0, n = 1 + (rnd() % 6); k < n; k++) {
        const region = rnd() % 3;
        const at = region === 0 ? rnd() % 16 : region === 1 ? b.length - 1 - (rnd() % Math.min(b.length, 200)) : rnd() % b.length;
        const r = rnd() % 4;
        b[at] = r === 0 ? 0xff : r === 1 ? 0 : r === 2 ? b[at] ^ (1 << (rnd() % 8)) : rnd() & 0xff;
      }
      const bytes = rnd() % 10 === 0 ? b.subarray(0, rnd() % b.length) : b;
      try {
        const pages = readTiff(bytes);
        for (const p of pages) if (p.image.data.length !== ((p.image.width + 7) >> 3) * p.image.height) bad.push(`#${i}: bad page size`);
        read++;
      } catch (e) {
        errors++;
        const msg = e instanceof Error ? e.message : String(e);
        if (!(e instanceof Error) || e.constructor !== Error || !/^tiff/.test(msg) || msg.includes('\n')) bad.push(`#${i}: ${String(e)}`);
      }
    }
    expect(bad).toEqual([]);
    expect(read).toBeGreaterThan(N / 10);
    expect(errors).toBeGreaterThan(N / 10);
  });
});
