/**
 * TIFF Class F reader/writer on its own: round trips through every compression, fill order and
 * strip layout; hand-built files for what our writer never produces (big-endian, min-is-black,
 * centimetre units, reduced-resolution subfiles); and malformed containers that must give a clear
 * Error or a degraded page, never a hang. libtiff interop is in test/interop/t4-libtiff.test.ts.
 */
import { describe, it, expect } from 'vitest';
import { readTiff, writeTiff, type TiffCompression } from '../../core/formats/tiff';
import { createImage, strideOf, type BilevelImage } from '../../core/t4/image';

function testPage(width: number, height: number, seed: number, yDpi = 98): BilevelImage {
  const img = createImage(width, height, 204, yDpi);
  let s = seed;
  const stride = strideOf(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const black = ((x >> 4) + (y >> 2)) % 3 === 0 || (s >>> 28) === 0;
      if (black) img.data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return img;
}

type Tag = [tag: number, type: number, values: number[]];

/** A minimal one-page TIFF built by hand, either byte order; values inline or after the IFD. */
function buildTiff(little: boolean, tags: Tag[], data: Uint8Array, nextIfdSelf = false): Uint8Array {
  const size = [0, 1, 1, 2, 4, 8];
  const ifd = 8 + data.length + (data.length & 1);
  let extra = ifd + 2 + tags.length * 12 + 4;
  const out = new Uint8Array(extra + 256);
  const v = new DataView(out.buffer);
  out.set(little ? [0x49, 0x49] : [0x4d, 0x4d]);
  v.setUint16(2, 42, little);
  v.setUint32(4, ifd, little);
  out.set(data, 8);
  v.setUint16(ifd, tags.length, little);
  const put = (at: number, type: number, vals: number[]): void => {
    vals.forEach((val, i) => {
      if (type === 3) v.setUint16(at + i * 2, val, little);
      else if (type === 4 || type === 5) v.setUint32(at + i * 4, val, little);
      else out[at + i] = val;
    });
  };
  tags.sort((a, b) => a[0] - b[0]).forEach(([tag, type, vals], i) => {
    const e = ifd + 2 + i * 12;
    const count = type === 5 ? vals.length / 2 : vals.length;
    v.setUint16(e, tag, little);
    v.setUint16(e + 2, type, little);
    v.setUint32(e + 4, count, little);
    if (size[type] * count <= 4) put(e + 8, type, vals);
    else { v.setUint32(e + 8, extra, little); put(extra, type, vals); extra += size[type] * count; }
  });
  v.setUint32(ifd + 2 + tags.length * 12, nextIfdSelf ? ifd : 0, little);
  return out.subarray(0, extra);
}

describe('tiff write -> read', () => {
  it('round trips every compression, both fill orders, one or many strips, odd widths', () => {
    const pages = [testPage(1728, 50, 1), testPage(2048, 33, 2, 196), testPage(77, 20, 3, 391)];
    for (const compression of ['none', 'mh', 'mr', 'mmr', 'rle'] as TiffCompression[]) {
      for (const fillOrder of [1, 2] as const) {
        for (const rowsPerStrip of [undefined, 1, 7]) {
          const bytes = writeTiff(pages, { compression, fillOrder, rowsPerStrip, eolAlign: rowsPerStrip === 7 });
          const back = readTiff(bytes);
          expect(back.length).toBe(3);
          back.forEach((p, i) => {
            expect(p.compression).toBe(compression);
            expect(p.fillOrder).toBe(fillOrder);
            expect(p.badRows).toBe(0);
            expect(p.image.width).toBe(pages[i].width);
            expect(Buffer.compare(p.image.data, pages[i].data)).toBe(0);
            expect(p.image.yDpi).toBe(pages[i].yDpi);
            expect(p.pageNumber).toEqual([i, 3]);
          });
        }
      }
    }
  });

  it('refuses to write nothing or an empty page', () => {
    expect(() => writeTiff([])).toThrow(/^tiff: no pages/);
    expect(() => writeTiff([createImage(1728, 0)])).toThrow(/^tiff: page 1 is empty/);
  });

  it('a corrupted G3 strip gives bad rows and an error, not an exception', () => {
    const page = testPage(1728, 40, 9);
    const bytes = writeTiff([page], { compression: 'mh', rowsPerStrip: 10 });
    for (let i = 600; i < 640; i++) bytes[i] ^= 0x5a;
    const [p] = readTiff(bytes);
    expect(p.rows).toBe(40);
    expect(p.badRows).toBeGreaterThan(0);
    expect(p.badRows).toBeLessThan(40);
  });

  it('consecutive bad rows are counted across strip boundaries', () => {
    const page = testPage(1728, 30, 4);
    const bytes = writeTiff([page], { compression: 'mmr', rowsPerStrip: 10 });
    const [clean] = readTiff(bytes);
    expect(clean.badRows).toBe(0);
    // Wipe strips 1 and 2 entirely: 20 consecutive bad rows.
    const v = new DataView(bytes.buffer);
    const ifd = v.getUint32(4, true);
    const n = v.getUint16(ifd, true);
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      if (v.getUint16(e, true) === 279) {
        const at = v.getUint32(e + 8, true);
        v.setUint32(at + 4, 0, true);
        v.setUint32(at + 8, 0, true);
      }
    }
    const [p] = readTiff(bytes);
    expect(p.badRows).toBe(20);
    expect(p.maxConsecutiveBadRows).toBe(20);
    expect(p.error).toMatch(/strip 1/);
  });

  it('a run of bad rows from the middle of one strip through the next is counted whole', () => {
    const page = testPage(1728, 30, 5);
    const bytes = writeTiff([page], { compression: 'mmr', rowsPerStrip: 10 });
    const v = new DataView(bytes.buffer);
    const ifd = v.getUint32(4, true);
    const tagAt = (tag: number): number => {
      for (let i = 0; i < v.getUint16(ifd, true); i++) if (v.getUint16(ifd + 2 + i * 12, true) === tag) return ifd + 2 + i * 12;
      return -1;
    };
    const offsets = v.getUint32(tagAt(273) + 8, true);
    const counts = v.getUint32(tagAt(279) + 8, true);
    const s0 = v.getUint32(offsets, true);
    const n0 = v.getUint32(counts, true);
    bytes.fill(0, s0 + (n0 >> 1), s0 + n0); // strip 0 dies halfway (MMR cannot resync)
    v.setUint32(counts + 4, 0, true); // strip 1 is empty
    const [p] = readTiff(bytes);
    expect(p.badRows).toBeGreaterThan(10);
    expect(p.badRows).toBeLessThan(20);
    expect(p.maxConsecutiveBadRows).toBe(p.badRows);
  });
});

describe('tiff read: hand-built files', () => {
  const raw = Uint8Array.from([0xf0, 0x0f, 0xaa, 0x55]); // 16 x 2, uncompressed
  const base = (extra: Tag[]): Tag[] => [
    [256, 3, [16]], [257, 4, [2]], [258, 3, [1]], [259, 3, [1]], [273, 4, [8]], [278, 4, [2]], [279, 4, [4]], ...extra,
  ];

  it('big-endian, min-is-black, resolution in centimetres', () => {
    const bytes = buildTiff(false, base([[262, 3, [1]], [282, 5, [80, 1]], [283, 5, [38500, 1000]], [296, 3, [3]]]), raw);
    const [p] = readTiff(bytes);
    expect([...p.image.data]).toEqual([0x0f, 0xf0, 0x55, 0xaa]);
    expect(p.image.xDpi).toBeCloseTo(203.2, 1);
    expect(p.image.yDpi).toBeCloseTo(97.79, 1);
  });

  it('uncompressed FillOrder 2 and a missing StripByteCounts', () => {
    const tags = base([[262, 3, [0]], [266, 3, [2]]]).filter((t) => t[0] !== 279);
    const [p] = readTiff(buildTiff(true, tags, raw));
    expect([...p.image.data]).toEqual([0x0f, 0xf0, 0x55, 0xaa]);
  });

  it('a reduced-resolution subfile is skipped; a self-referencing IFD chain stops', () => {
    const only = buildTiff(true, base([[254, 4, [1]]]), raw);
    expect(() => readTiff(only)).toThrow(/no pages/);
    const looped = buildTiff(true, base([]), raw, true);
    expect(readTiff(looped).length).toBe(1);
  });

  it('container errors are one-line Errors', () => {
    const replace = (tag: number, type: number, vals: number[]): Tag[] => base([]).map((t): Tag => (t[0] === tag ? [tag, type, vals] : t));
    const cases: [Uint8Array, RegExp][] = [
      [buildTiff(true, base([[258, 3, [8]]]), raw), /not bilevel/],
      [buildTiff(true, replace(259, 3, [5]), raw), /unsupported compression 5/],
      [buildTiff(true, base([[262, 3, [2]]]), raw), /photometric/],
      [buildTiff(true, base([]).filter((t) => t[0] !== 256), raw), /missing required tag 256/],
      [buildTiff(true, base([]).filter((t) => t[0] !== 273), raw), /StripOffsets/],
      [buildTiff(true, replace(257, 4, [1e9]), raw), /pixels in all/],
      [buildTiff(true, [...replace(256, 4, [1]), ...[]].map((t): Tag => (t[0] === 257 ? [257, 4, [1 << 20]] : t)), raw), /size/],
      [buildTiff(true, [...replace(259, 3, [3]), [292, 4, [2]]], raw), /uncompressed mode/],
      [Uint8Array.from([0x4d, 0x4d, 0, 42, 0x7f, 0, 0, 0]), /outside the file/],
      [Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0, 0, 0, 0]), /not a TIFF/],
    ];
    for (const [bytes, re] of cases) {
      let msg = '';
      try { readTiff(bytes); } catch (e) { msg = (e as Error).message; }
      expect(msg).toMatch(re);
      expect(msg).not.toMatch(/\n/);
    }
  });

  it('a strip running past the end of the file degrades with an error', () => {
    const tags = base([]).map((t): Tag => (t[0] === 279 ? [279, 4, [4000]] : t));
    const [p] = readTiff(buildTiff(true, tags, raw));
    expect(p.error).toMatch(/past the end/);
  });
});
