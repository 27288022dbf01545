/**
 * PBM (Netpbm bitmap) read and write: P4 (binary, rows packed MSB first, 1 = black, each row
 * padded to a byte: exactly BilevelImage's layout) and P1 (ASCII '0'/'1'). PBM has no resolution;
 * readers get `xDpi`/`yDpi` from the options (default fax standard 204 x 98).
 * Malformed files give an Error with a one-line message.
 */
import type { BilevelImage } from '../t4/image';
import { strideOf } from '../t4/image';

export interface PbmReadOptions {
  xDpi?: number;
  yDpi?: number;
}

const MAX_PIXELS = 1 << 28;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

/** Parse a PBM file (P1 or P4). */
export function readPbm(bytes: Uint8Array, opts: PbmReadOptions = {}): BilevelImage {
  let p = 0;
  const skipSpaceAndComments = (): void => {
    for (;;) {
      while (p < bytes.length && isSpace(bytes[p])) p++;
      if (p < bytes.length && bytes[p] === 0x23) {
        while (p < bytes.length && bytes[p] !== 0x0a && bytes[p] !== 0x0d) p++;
      } else {
        return;
      }
    }
  };
  const readInt = (what: string): number => {
    skipSpaceAndComments();
    const start = p;
    let v = 0;
    while (p < bytes.length && bytes[p] >= 0x30 && bytes[p] <= 0x39) {
      v = v * 10 + (bytes[p] - 0x30);
      if (v > 1e9) throw new Error(`pbm: ${what} too large`);
      p++;
    }
    if (p === start) throw new Error(`pbm: missing ${what}`);
    return v;
  };
  if (bytes.length < 2 || bytes[0] !== 0x50 || (bytes[1] !== 0x31 && bytes[1] !== 0x34)) {
    throw new Error('pbm: not a PBM file (expected P1 or P4)');
  }
  const binary = bytes[1] === 0x34;
  p = 2;
  const width = readInt('width');
  const height = readInt('height');
  if (width < 1 || height < 1) throw new Error(`pbm: bad size ${width}x${height}`);
  if (width * height > MAX_PIXELS) throw new Error(`pbm: image too large (${width}x${height})`);
  const stride = strideOf(width);
  const data = new Uint8Array(stride * height);
  if (binary) {
    // Exactly one whitespace byte after the height.
    if (p >= bytes.length || !isSpace(bytes[p])) throw new Error('pbm: bad header');
    p++;
    const need = stride * height;
    if (bytes.length - p < need) throw new Error(`pbm: truncated (${bytes.length - p} of ${need} bytes of pixels)`);
    data.set(bytes.subarray(p, p + need));
    // Clear padding bits past the width so images compare byte for byte.
    const tail = width & 7;
    if (tail) {
      const mask = (0xff << (8 - tail)) & 0xff;
      for (let y = 0; y < height; y++) data[y * stride + stride - 1] &= mask;
    }
  } else {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        skipSpaceAndComments();
        if (p >= bytes.length) throw new Error(`pbm: truncated at pixel ${x},${y}`);
        const c = bytes[p++];
        if (c === 0x31) data[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
        else if (c !== 0x30) throw new Error(`pbm: bad character in P1 data at pixel ${x},${y}`);
      }
    }
  }
  return { width, height, data, xDpi: opts.xDpi ?? 204, yDpi: opts.yDpi ?? 98 };
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

/** Write P4 (default) or P1. */
export function writePbm(image: BilevelImage, format: 'P4' | 'P1' = 'P4'): Uint8Array {
  const { width, height } = image;
  const stride = strideOf(width);
  const header = ascii(`${format}\n${width} ${height}\n`);
  if (format === 'P4') {
    const out = new Uint8Array(header.length + stride * height);
    out.set(header);
    out.set(image.data.subarray(0, stride * height), header.length);
    return out;
  }
  // P1: one text line per row (lines of at most 70 characters, as Netpbm asks).
  const perLine = 70;
  const lineBreaks = Math.ceil(width / perLine);
  const out = new Uint8Array(header.length + height * (width + lineBreaks));
  out.set(header);
  let o = header.length;
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      out[o++] = (image.data[row + (x >> 3)] >> (7 - (x & 7))) & 1 ? 0x31 : 0x30;
      if ((x + 1) % perLine === 0 || x === width - 1) out[o++] = 0x0a;
    }
  }
  return out.subarray(0, o);
}
