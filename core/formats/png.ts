/**
 * PNG in and out. Out: a fax page as a 1-bit greyscale PNG (PNG's 0 is black, so the fax bits are
 * inverted), with a pHYs chunk carrying the page's resolution so non-square fax pels survive.
 * In: every colour type and bit depth of PNG 1.2, interlaced (Adam7) or not, to a greyscale
 * raster (alpha and tRNS composited on white). Deflate is the platform's: CompressionStream /
 * DecompressionStream ("deflate" is exactly PNG's zlib wrapping) exist in browsers and Node >= 18,
 * so these functions are async.
 */
import { strideOf, type BilevelImage } from '../t4/image';
import type { GreyImage } from '../docs/raster';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Largest image we agree to decode (pixels), so a hostile header cannot exhaust memory. */
const MAX_PIXELS = 1 << 28;
const INCH_PER_METRE = 39.37007874015748;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

// ---- zlib through the platform's streams -------------------------------------------------------

interface ByteStreamPair {
  writable: { getWriter(): { write(c: Uint8Array): Promise<void>; close(): Promise<void> } };
  readable: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } };
}
type StreamCtor = new (format: string) => ByteStreamPair;

/** zlib-wrapped deflate ("deflate" format) of `data`, or its inverse. */
export async function zlib(data: Uint8Array, direction: 'compress' | 'decompress', maxOut = Infinity): Promise<Uint8Array> {
  const g = globalThis as unknown as { CompressionStream?: StreamCtor; DecompressionStream?: StreamCtor };
  const Ctor = direction === 'compress' ? g.CompressionStream : g.DecompressionStream;
  if (!Ctor) throw new Error(`this platform has no ${direction === 'compress' ? 'CompressionStream' : 'DecompressionStream'}`);
  const pair = new Ctor('deflate');
  const writer = pair.writable.getWriter();
  // Errors surface on the reading side; keep these promises from going unhandled.
  writer.write(data).catch(() => {});
  writer.close().catch(() => {});
  const reader = pair.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value) { chunks.push(value); total += value.length; }
    if (total > maxOut) {
      reader.cancel().catch(() => {});
      throw new Error(`inflated data exceeds ${maxOut} bytes`);
    }
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

// ---- chunks --------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  dv.setUint32(8 + body.length, crc32(out, 4, 8 + body.length));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// ---- write -------------------------------------------------------------------------------------

/** A bilevel page as a 1-bit greyscale PNG with its resolution in pHYs. */
export async function encodePng(img: BilevelImage): Promise<Uint8Array> {
  const { width, height } = img;
  if (width < 1 || height < 1) throw new Error(`PNG: cannot write an empty ${width}x${height} image`);
  const stride = strideOf(width);
  const tailMask = width & 7 ? (0xff << (8 - (width & 7))) & 0xff : 0xff;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1); // filter byte 0 (None) then the row, inverted: PNG 0 = black
    for (let i = 0; i < stride; i++) raw[o + 1 + i] = ~img.data[y * stride + i]! & 0xff;
    raw[o + stride] &= tailMask;
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const phys = new Uint8Array(9);
  const pv = new DataView(phys.buffer);
  pv.setUint32(0, Math.round(img.xDpi * INCH_PER_METRE));
  pv.setUint32(4, Math.round(img.yDpi * INCH_PER_METRE));
  phys[8] = 1; // metres
  return concat([
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', ihdr),
    chunk('pHYs', phys),
    chunk('IDAT', await zlib(raw, 'compress')),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

// ---- read --------------------------------------------------------------------------------------

interface Header {
  width: number;
  height: number;
  depth: number;
  colour: number;
  interlace: number;
  channels: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undo the per-row filters of one (sub-)image in place; returns the offset just past it. */
function unfilter(buf: Uint8Array, pos: number, rowBytes: number, rows: number, bpp: number): number {
  let prev = -1; // offset of the previous unfiltered row, -1 for none
  for (let y = 0; y < rows; y++) {
    if (pos + 1 + rowBytes > buf.length) throw new Error('PNG: image data is truncated');
    const f = buf[pos]!;
    const r = pos + 1;
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? buf[r + i - bpp]! : 0;
      const b = prev >= 0 ? buf[prev + i]! : 0;
      const c = prev >= 0 && i >= bpp ? buf[prev + i - bpp]! : 0;
      let v = buf[r + i]!;
      switch (f) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) >> 1; break;
        case 4: v += paeth(a, b, c); break;
        default: throw new Error(`PNG: bad filter type ${f}`);
      }
      buf[r + i] = v & 0xff;
    }
    prev = r;
    pos = r + rowBytes;
  }
  return pos;
}

/** Adam7 passes: x0, y0, dx, dy. A non-interlaced image is one pass 0, 0, 1, 1. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

/** A decoded PNG: its pixels as greyscale, and whether they were 1-bit greyscale (a fax page). */
export interface DecodedPng {
  image: GreyImage;
  bilevel: boolean;
}

/** Decode any non-damaged PNG to greyscale (0 black .. 255 white), alpha composited on white. */
export async function decodePng(bytes: Uint8Array): Promise<DecodedPng> {
  if (!isPng(bytes)) throw new Error('PNG: not a PNG file (bad signature)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hdr: Header | undefined;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  let xDpi = 0, yDpi = 0;
  const idat: Uint8Array[] = [];
  let pos = 8;
  let ended = false;
  while (pos + 12 <= bytes.length) {
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    if (len > bytes.length - pos - 12) throw new Error(`PNG: ${type} chunk is truncated`);
    const body = bytes.subarray(pos + 8, pos + 8 + len);
    if (crc32(bytes, pos + 4, pos + 8 + len) !== dv.getUint32(pos + 8 + len)) throw new Error(`PNG: CRC error in ${type} chunk`);
    pos += 12 + len;
    if (type === 'IHDR') {
      if (len < 13) throw new Error('PNG: short IHDR');
      const b = new DataView(body.buffer, body.byteOffset, 13);
      const colour = body[9]!;
      hdr = { width: b.getUint32(0), height: b.getUint32(4), depth: body[8]!, colour, interlace: body[12]!, channels: CHANNELS[colour] ?? 0 };
      if (!hdr.channels || !DEPTHS[colour]!.includes(hdr.depth)) throw new Error(`PNG: unsupported colour type ${colour} / bit depth ${hdr.depth}`);
      if (hdr.width < 1 || hdr.height < 1 || hdr.width * hdr.height > MAX_PIXELS) throw new Error(`PNG: unreasonable size ${hdr.width}x${hdr.height}`);
      if (hdr.interlace > 1) throw new Error(`PNG: unknown interlace method ${hdr.interlace}`);
    } else if (type === 'PLTE') {
      palette = body.slice();
    } else if (type === 'tRNS') {
      trns = body.slice();
    } else if (type === 'pHYs' && len >= 9 && body[8] === 1) {
      const b = new DataView(body.buffer, body.byteOffset, 9);
      xDpi = Math.round(b.getUint32(0) / INCH_PER_METRE);
      yDpi = Math.round(b.getUint32(4) / INCH_PER_METRE);
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      ended = true;
      break;
    } else if (!(bytes[pos - 12 - len + 4]! & 0x20)) {
      throw new Error(`PNG: unknown critical chunk ${type}`);
    }
  }
  if (!hdr) throw new Error('PNG: no IHDR chunk');
  if (!idat.length) throw new Error('PNG: no image data');
  if (hdr.colour === 3 && !palette) throw new Error('PNG: palette image without PLTE');
  void ended; // a missing IEND is tolerated if the data is complete
  const { width, height, depth, channels } = hdr;
  const bitsPerPixel = depth * channels;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const passes = hdr.interlace ? ADAM7 : [[0, 0, 1, 1] as const];
  let need = 0; // bytes of filtered rows the header promises
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx), ph = Math.ceil((height - y0) / dy);
    if (pw > 0 && ph > 0) need += ph * (((pw * bitsPerPixel + 7) >> 3) + 1);
  }
  let raw: Uint8Array;
  try {
    // Inflating stops soon after what the header promises: no decompression bombs.
    raw = await zlib(concat(idat), 'decompress', need + 65536);
  } catch {
    throw new Error('PNG: corrupt compressed image data');
  }
  // Check the data is all there before allocating the image (a lying IHDR costs nothing).
  if (raw.length < need) throw new Error(`PNG: image data is truncated (${raw.length} of ${need} bytes)`);
  const out = new Uint8Array(width * height);
  let p = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const pw = Math.ceil((width - x0) / dx);
    const ph = Math.ceil((height - y0) / dy);
    if (pw <= 0 || ph <= 0) continue;
    const rowBytes = (pw * bitsPerPixel + 7) >> 3;
    const start = p;
    p = unfilter(raw, p, rowBytes, ph, bpp);
    for (let y = 0; y < ph; y++) {
      const r = start + y * (rowBytes + 1) + 1;
      const oy = (y0 + y * dy) * width;
      for (let x = 0; x < pw; x++) out[oy + x0 + x * dx] = pixelGrey(raw, r, x, hdr, palette, trns);
    }
  }
  const bilevel = hdr.colour === 0 && depth === 1 && !trns;
  return { image: { width, height, data: out, xDpi, yDpi }, bilevel };
}

/** Sample `i` (0-based) of a row at `r`, `depth` bits each, as an unsigned integer. */
function sample(raw: Uint8Array, r: number, i: number, depth: number): number {
  if (depth === 8) return raw[r + i]!;
  if (depth === 16) return (raw[r + 2 * i]! << 8) | raw[r + 2 * i + 1]!;
  const bit = i * depth;
  return (raw[r + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
}

/** Pixel `x` of a row as grey 0..255 composited on white. */
function pixelGrey(raw: Uint8Array, r: number, x: number, h: Header, pal: Uint8Array | undefined, trns: Uint8Array | undefined): number {
  const d = h.depth;
  const max = (1 << d) - 1;
  const to8 = (v: number) => (d === 16 ? v >> 8 : d === 8 ? v : Math.round((v * 255) / max));
  let R: number, G: number, B: number, A = 255;
  switch (h.colour) {
    case 0: {
      const v = sample(raw, r, x, d);
      R = G = B = to8(v);
      if (trns && trns.length >= 2 && v === ((trns[0]! << 8) | trns[1]!)) A = 0;
      break;
    }
    case 2: {
      const c = x * 3;
      const vr = sample(raw, r, c, d), vg = sample(raw, r, c + 1, d), vb = sample(raw, r, c + 2, d);
      R = to8(vr); G = to8(vg); B = to8(vb);
      if (trns && trns.length >= 6 && vr === ((trns[0]! << 8) | trns[1]!) && vg === ((trns[2]! << 8) | trns[3]!) && vb === ((trns[4]! << 8) | trns[5]!)) A = 0;
      break;
    }
    case 3: {
      const i = sample(raw, r, x, d);
      if (3 * i + 2 >= pal!.length) { R = G = B = 0; break; } // out-of-range index: black, not a crash
      R = pal![3 * i]!; G = pal![3 * i + 1]!; B = pal![3 * i + 2]!;
      if (trns && i < trns.length) A = trns[i]!;
      break;
    }
    case 4:
      R = G = B = to8(sample(raw, r, 2 * x, d));
      A = to8(sample(raw, r, 2 * x + 1, d));
      break;
    default: {
      const c = x * 4;
      R = to8(sample(raw, r, c, d)); G = to8(sample(raw, r, c + 1, d)); B = to8(sample(raw, r, c + 2, d));
      A = to8(sample(raw, r, c + 3, d));
    }
  }
  const y = h.colour === 0 || h.colour === 4 ? R : (R * 299 + G * 587 + B * 114) / 1000;
  return A === 255 ? Math.round(y) : Math.round((y * A + 255 * (255 - A)) / 255);
}
