/**
 * The probe chooser's measure of "looks like fax data" (faxLikeness): scrambled noise (what a
 * receiver at the wrong rate hears) must score below the adoption floor, and a TCF, T.4 text rows
 * and an ECM flag preamble well above it.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { readTiff } from '../../core/formats/tiff';
import { T4PageBitSource } from '../../core/t4/encode';
import { faxLikeness } from '../../core/decode/fast';

const FLOOR = 0.04; // MIN_LIKENESS in fast.ts

describe('faxLikeness', () => {
  it('noise below the floor, fax data far above it', () => {
    let x = 2463534242;
    const rnd = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x & 1; };
    let worst = 0;
    for (let k = 0; k < 100; k++) worst = Math.max(worst, faxLikeness(Array.from({ length: 3600 }, rnd)));
    expect(worst).toBeLessThan(FLOOR);
    expect(faxLikeness(new Array(3600).fill(0))).toBeGreaterThan(0.9); // TCF
    const flags: number[] = [];
    for (let i = 0; i < 100; i++) flags.push(0, 1, 1, 1, 1, 1, 1, 0);
    expect(faxLikeness(flags)).toBeGreaterThan(0.5); // ECM preamble
    // 3600 bits of MR from the densest text rows of the document (rows 400 on).
    const page = readTiff(new Uint8Array(readFileSync(fixture('pages', 'doc_std_3p_g3-2d.tif'))))[0]!.image;
    const stride = (page.width + 7) >> 3;
    const text = { ...page, height: 300, data: page.data.slice(400 * stride, 700 * stride) };
    for (const coding of ['mh', 'mr'] as const) {
      const src = new T4PageBitSource(text, { coding });
      const bits: number[] = [];
      for (let i = 0; i < 3600; i++) bits.push(src.getBit());
      expect(faxLikeness(bits)).toBeGreaterThan(3 * FLOOR);
    }
  });
});
