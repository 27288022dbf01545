/** Test helpers for document tests: PNM parsing, synthetic pages, bit-exact page comparison. */
import { strideOf, type BilevelImage } from '../../core/t4/image';

export interface Pnm {
  /** 1 = PBM, 1 channel grey, 3 = RGB */
  channels: number;
  width: number;
  height: number;
  maxval: number;
  /** Samples, one per channel per pixel (PBM: 1 = black). */
  samples: Uint32Array;
}

/** Parse a binary PNM (P4, P5, P6), 8- or 16-bit. */
export function parsePnm(buf: Uint8Array): Pnm {
  let pos = 0;
  const tokens: string[] = [];
  const magic = String.fromCharCode(buf[0]!, buf[1]!);
  pos = 2;
  const need = magic === 'P4' ? 2 : 3;
  while (tokens.length < need) {
    while (/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    if (buf[pos] === 0x23) { while (buf[pos] !== 0x0a) pos++; continue; }
    let t = '';
    while (!/\s/.test(String.fromCharCode(buf[pos]!))) t += String.fromCharCode(buf[pos++]!);
    tokens.push(t);
  }
  pos++; // single whitespace
  const width = +tokens[0]!, height = +tokens[1]!;
  const maxval = magic === 'P4' ? 1 : +tokens[2]!;
  const channels = magic === 'P6' ? 3 : 1;
  const samples = new Uint32Array(width * height * channels);
  if (magic === 'P4') {
    const stride = strideOf(width);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) samples[y * width + x] = (buf[pos + y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1;
  } else {
    const two = maxval > 255;
    for (let i = 0; i < samples.length; i++) samples[i] = two ? (buf[pos + 2 * i]! << 8) | buf[pos + 2 * i + 1]! : buf[pos + i]!;
  }
  return { channels: magic === 'P4' ? 1 : channels, width, height, maxval, samples };
}

/** Deterministic pseudo-random bilevel page (xorshift), with some structure. */
export function randomPage(width: number, height: number, seed = 1, xDpi = 204, yDpi = 98): BilevelImage {
  const stride = strideOf(width);
  const data = new Uint8Array(stride * height);
  let s = seed >>> 0 || 1;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  for (let y = 0; y < height; y++) {
    let x = 0;
    let black = rnd() < 0.5;
    while (x < width) {
      const run = 1 + Math.floor(rnd() * rnd() * 200);
      for (let i = 0; i < run && x < width; i++, x++) if (black) data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
      black = !black;
    }
  }
  return { width, height, data, xDpi, yDpi };
}

/** Count differing pixels between two pages (pad bits ignored); Infinity if sizes differ. */
export function pixelDiff(a: BilevelImage, b: BilevelImage): number {
  if (a.width !== b.width || a.height !== b.height) return Infinity;
  const stride = strideOf(a.width);
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = y * stride + (x >> 3), m = 0x80 >> (x & 7);
      if ((a.data[i]! & m) !== (b.data[i]! & m)) n++;
    }
  }
  return n;
}

export function getPel(img: BilevelImage, x: number, y: number): number {
  return (img.data[y * strideOf(img.width) + (x >> 3)]! >> (7 - (x & 7))) & 1;
}

/** A bilevel page from a P4 PBM. */
export function pageFromPbm(buf: Uint8Array, xDpi = 204, yDpi = 98): BilevelImage {
  const p = parsePnm(buf);
  const stride = strideOf(p.width);
  const data = new Uint8Array(stride * p.height);
  for (let y = 0; y < p.height; y++) for (let x = 0; x < p.width; x++) if (p.samples[y * p.width + x]) data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
  return { width: p.width, height: p.height, data, xDpi, yDpi };
}

/** Rows that differ between two pages; every row of the taller one when the sizes differ. */
export function rowsDiffering(a: BilevelImage, b: BilevelImage): number {
  if (a.width !== b.width || a.height !== b.height) return Math.max(a.height, b.height);
  const stride = strideOf(a.width);
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let i = 0; i < stride; i++) if (a.data[y * stride + i] !== b.data[y * stride + i]) { n++; break; }
  }
  return n;
}
