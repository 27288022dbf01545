/** PBM P1/P4 read and write: round trips, comments, padding bits, and clear errors. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { readPbm, writePbm } from '../../core/formats/pbm';
import { createImage, strideOf } from '../../core/t4/image';

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('pbm', () => {
  it('reads the ITU chart (P4) and writes it back byte for byte', () => {
    const bytes = readFileSync(fixture('itu', 'itu1.pbm'));
    const img = readPbm(bytes);
    expect([img.width, img.height]).toEqual([1728, 2376]);
    expect(Buffer.compare(writePbm(img), bytes)).toBe(0);
  });

  it('P1 and P4 round trip an odd-width image; P1 with comments and odd spacing parses', () => {
    const img = createImage(13, 3);
    img.data.set([0b10100000, 0b00001000, 0xff, 0xf8, 0x00, 0x08]);
    for (const fmt of ['P1', 'P4'] as const) {
      const back = readPbm(writePbm(img, fmt));
      expect(back.data).toEqual(img.data);
    }
    const p1 = readPbm(enc('P1\n# a comment\n4 2 # trailing\n1 0 1 1\n0001'));
    expect([...p1.data]).toEqual([0b10110000, 0b00010000]);
  });

  it('clears padding bits past the width in P4', () => {
    const raw = Uint8Array.from([...enc('P4\n3 2\n'), 0xff, 0xff]);
    const img = readPbm(raw);
    expect([...img.data]).toEqual([0xe0, 0xe0]);
    expect(strideOf(img.width)).toBe(1);
  });

  it('rejects malformed files with a one-line message', () => {
    const bad = ['P5\n1 1\n\0', 'P4\n8\n', 'P4\n8 2\n\xff', 'P1\n2 1\n1 2', 'P4\n0 5\n', 'P4\n100000 100000\n', ''];
    for (const b of bad) expect(() => readPbm(enc(b))).toThrow(/^pbm: [^\n]+$/);
  });
});
