import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../helpers/peers';
import {
  ulawToLinear, alawToLinear, linearToUlaw, linearToAlaw, ULAW_TO_S16, ALAW_TO_S16,
  ULAW_TO_FLOAT, ALAW_TO_FLOAT, decodeG711, encodeG711,
} from '../../core/formats/g711';

const golden = JSON.parse(readFileSync(resolve(repoRoot, 'test/vectors/g711-audioop.json'), 'utf8')) as { ulaw: number[]; alaw: number[] };

describe('G.711 decode', () => {
  it('gives the known values', () => {
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(0x00)).toBe(-32124);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0x7f)).toBe(0);
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
  });

  it('matches an independent implementation (Python audioop) for all 256 codes of each law', () => {
    expect(Array.from(ULAW_TO_S16)).toEqual(golden.ulaw);
    expect(Array.from(ALAW_TO_S16)).toEqual(golden.alaw);
    for (let i = 0; i < 256; i++) {
      expect(ULAW_TO_FLOAT[i]).toBe(golden.ulaw[i]! / 32768);
      expect(ALAW_TO_FLOAT[i]).toBe(golden.alaw[i]! / 32768);
    }
  });

  it('decodes byte strings through the tables', () => {
    const s = decodeG711('alaw', Uint8Array.of(0xd5, 0x55, 0xaa));
    expect(Array.from(s)).toEqual([8 / 32768, -8 / 32768, 32256 / 32768]);
  });
});

describe('G.711 encode', () => {
  it('round-trips every code (µ-law 0x7F is negative zero and comes back as 0xFF)', () => {
    for (let c = 0; c < 256; c++) {
      expect(linearToUlaw(ulawToLinear(c))).toBe(c === 0x7f ? 0xff : c);
      expect(linearToAlaw(alawToLinear(c))).toBe(c);
    }
  });

  it('picks the quantisation interval holding each s16 value (decoded error within one step)', () => {
    // Reconstruction levels sorted: the chosen code must decode to one of the two levels around x.
    for (const [enc, dec] of [[linearToUlaw, ulawToLinear], [linearToAlaw, alawToLinear]] as const) {
      const levels = [...new Set(Array.from({ length: 256 }, (_, i) => dec(i)))].sort((a, b) => a - b);
      for (let x = -32768; x <= 32767; x += 3) {
        const y = dec(enc(x));
        let k = levels.findIndex((l) => l >= x);
        if (k < 0) k = levels.length - 1;
        const lo = levels[Math.max(0, k - 1)]!, hi = levels[k]!;
        expect(y === lo || y === hi || (x < levels[0]! && y === levels[0]) || (x > levels[levels.length - 1]! && y === levels[levels.length - 1])).toBe(true);
      }
    }
  });

  it('is monotonic in the input', () => {
    let prevU = -Infinity, prevA = -Infinity;
    for (let x = -32768; x <= 32767; x++) {
      const u = ulawToLinear(linearToUlaw(x)), a = alawToLinear(linearToAlaw(x));
      expect(u >= prevU && a >= prevA).toBe(true);
      prevU = u; prevA = a;
    }
  });

  it('encodes float samples with clipping', () => {
    const b = encodeG711('ulaw', Float32Array.of(0, 2, -2, 32124 / 32768));
    expect(Array.from(b)).toEqual([0xff, 0x80, 0x00, 0x80]);
    const a = encodeG711('alaw', Float32Array.of(8 / 32768, -8 / 32768));
    expect(Array.from(a)).toEqual([0xd5, 0x55]);
  });
});
