import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { decodePng, encodePng, zlib } from '../../core/formats/png';
import { thresholdGrey } from '../../core/docs/raster';
import { repoRoot } from '../helpers/peers';
import { parsePnm, pixelDiff, randomPage, getPel } from '../helpers/pages';

const vectors = resolve(repoRoot, 'test/vectors/png');

describe('PNG read (vectors by netpbm pnmtopng, oracle pngtopnm -mix on white)', () => {
  const files = readdirSync(vectors).filter((f) => f.endsWith('.png')).sort();
  it('has the vectors', () => expect(files.length).toBeGreaterThanOrEqual(12));
  for (const f of files) {
    it(f, async () => {
      const png = await decodePng(new Uint8Array(readFileSync(resolve(vectors, f))));
      const pnm = parsePnm(new Uint8Array(readFileSync(resolve(vectors, f.replace('.png', '.pnm')))));
      expect([png.image.width, png.image.height]).toEqual([pnm.width, pnm.height]);
      const alpha = /^(ga|rgba)/.test(f);
      let worst = 0;
      for (let i = 0; i < pnm.width * pnm.height; i++) {
        let want: number;
        const s = (c: number) => {
          const v = pnm.samples[i * pnm.channels + c]!;
          return pnm.maxval === 1 ? (v ? 0 : 255) : pnm.maxval > 255 ? v >> 8 : Math.round((v * 255) / pnm.maxval);
        };
        if (pnm.channels === 1) want = s(0);
        else want = Math.round((s(0) * 299 + s(1) * 587 + s(2) * 114) / 1000);
        worst = Math.max(worst, Math.abs(png.image.data[i]! - want));
      }
      // netpbm composites alpha with its own rounding: 1 level of slack there, exact elsewhere.
      expect(worst).toBeLessThanOrEqual(alpha ? 1 : 0);
      expect(png.bilevel).toBe(f === 'g1.png' || f === 'g1i.png');
    });
  }
});

describe('PNG write', () => {
  it('round-trips a bilevel fax page bit for bit, resolution included', async () => {
    for (const [w, h, yDpi] of [[1728, 300, 98], [1731, 64, 196], [13, 7, 391]] as const) {
      const page = randomPage(w, h, w + h, 204, yDpi);
      const bytes = await encodePng(page);
      const back = await decodePng(bytes);
      expect(back.bilevel).toBe(true);
      expect([back.image.xDpi, back.image.yDpi]).toEqual([204, yDpi]);
      expect(pixelDiff(thresholdGrey(back.image), page)).toBe(0);
    }
  });

  it('is read the same by an independent decoder (@napi-rs/canvas / Skia)', async () => {
    const page = randomPage(301, 77, 9);
    const img = await loadImage(Buffer.from(await encodePng(page)));
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const rgba = ctx.getImageData(0, 0, img.width, img.height).data;
    expect([img.width, img.height]).toEqual([301, 77]);
    let bad = 0;
    for (let y = 0; y < 77; y++) for (let x = 0; x < 301; x++) if ((rgba[(y * 301 + x) * 4]! < 128 ? 1 : 0) !== getPel(page, x, y)) bad++;
    expect(bad).toBe(0);
  });

  it('keeps a 10-page-sized fax page small', async () => {
    const white = randomPage(1728, 2286, 3);
    white.data.fill(0);
    expect((await encodePng(white)).length).toBeLessThan(4000) // of 496 kB raw;
  });
});

describe('PNG bad input', () => {
  it('rejects with clear errors, never hangs', async () => {
    const good = await encodePng(randomPage(100, 50, 5));
    await expect(decodePng(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a PNG/);
    await expect(decodePng(good.slice(0, 40))).rejects.toThrow(/PNG:/);
    const crc = good.slice(); crc[20] ^= 0xff; // inside IHDR
    await expect(decodePng(crc)).rejects.toThrow(/CRC/);
    // Corrupt the deflate data but fix up the CRC so only the zlib layer can notice.
    const idat = findChunk(good, 'IDAT');
    const bad = good.slice();
    for (let i = idat.start + 2; i < idat.end; i++) bad[i] = 0xff;
    fixCrc(bad, idat.start - 8, idat.end);
    await expect(decodePng(bad)).rejects.toThrow(/PNG:/);
    // Valid zlib but too little data for the image.
    const shortRaw = await zlib(new Uint8Array(30), 'compress');
    const short = replaceIdat(good, shortRaw);
    await expect(decodePng(short)).rejects.toThrow(/truncated/);
    // A decompression bomb: 50 MB of zeros behind a 100x50 header stops early.
    const bomb = replaceIdat(good, await zlib(new Uint8Array(50_000_000), 'compress'));
    await expect(decodePng(bomb)).rejects.toThrow(/PNG:/);
  });
});

function findChunk(b: Uint8Array, type: string): { start: number; end: number } {
  const dv = new DataView(b.buffer, b.byteOffset);
  for (let p = 8; p + 12 <= b.length;) {
    const len = dv.getUint32(p);
    if (String.fromCharCode(...b.subarray(p + 4, p + 8)) === type) return { start: p + 8, end: p + 8 + len };
    p += 12 + len;
  }
  throw new Error('no chunk ' + type);
}

function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const v of b) { c ^= v; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; }
  return ~c >>> 0;
}

function fixCrc(b: Uint8Array, typeAt: number, end: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(end, crc32(b.subarray(typeAt + 4, end)));
}

function replaceIdat(png: Uint8Array, body: Uint8Array): Uint8Array {
  const c = findChunk(png, 'IDAT');
  const chunk = new Uint8Array(12 + body.length);
  new DataView(chunk.buffer).setUint32(0, body.length);
  chunk.set([73, 68, 65, 84], 4);
  chunk.set(body, 8);
  new DataView(chunk.buffer).setUint32(8 + body.length, crc32(chunk.subarray(4, 8 + body.length)));
  const out = new Uint8Array(png.length - (c.end - c.start) + body.length);
  out.set(png.subarray(0, c.start - 8));
  out.set(chunk, c.start - 8);
  out.set(png.subarray(c.end + 4), c.start - 8 + chunk.length);
  return out;
}

describe('PNG fuzz', () => {
  it('2000 mutated PNGs: each decodes or rejects with a PNG error, nothing else escapes', async () => {
    const seeds = ['g1.png', 'g1i.png', 'pal4.png', 'rgb16i.png', 'rgba8.png'].map((f) => new Uint8Array(readFileSync(resolve(vectors, f))));
    let s = 12345;
    const rnd = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
    let ok = 0, rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const b = seeds[i % seeds.length]!.slice();
      const flips = 1 + rnd(4);
      for (let k = 0; k < flips; k++) b[8 + rnd(b.length - 8)] = rnd(256);
      // Half the time keep the chunk CRCs valid so the damage reaches IHDR/zlib/filter parsing.
      if (i & 1) fixAllCrcs(b);
      try {
        const r = await decodePng(i % 7 === 0 ? b.subarray(0, rnd(b.length)) : b);
        expect(r.image.data.length).toBe(r.image.width * r.image.height);
        ok++;
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message).toMatch(/^(PNG:|this platform)/);
        rejected++;
      }
    }
    expect(ok + rejected).toBe(2000);
    expect(ok).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  }, 60_000);
});

function fixAllCrcs(b: Uint8Array): void {
  const dv = new DataView(b.buffer, b.byteOffset);
  for (let p = 8; p + 12 <= b.length;) {
    const len = dv.getUint32(p);
    if (len > b.length - p - 12) return;
    fixCrc(b, p, p + 8 + len);
    p += 12 + len;
  }
}
