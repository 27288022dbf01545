/**
 * TIFF Class F (fax TIFF) read and write: multi-page, bilevel, compression none / CCITT G3 1-D
 * (MH) / G3 2-D (MR) / G4 (MMR) / CCITT RLE (compression 2), FillOrder 1 or 2, resolution tags
 * and units, PageNumber, any number of strips. Both byte orders are read; files are written
 * little-endian ("II").
 *
 * How: the reader walks the IFD chain (with loop and size guards), reads each page's tags, and
 * decodes each strip on its own with the T.4/T.6 decoder (core/t4/decode.ts), as libtiff does:
 * every strip starts afresh (EOL first for G3, a white reference row for G4). Damage inside the
 * coded data is not an exception: the page comes back with bad rows counted and replaced, and a
 * one-line `error` (a receiver keeps what it can). G3 1-D strips with no EOL at all (PDF data
 * with EndOfLine false copied into a TIFF, as PDFBox does) are read again as rows back to back,
 * which libtiff does not try. A malformed container (bad header, IFD outside the file, missing
 * or absurd tags, unsupported compression) throws an Error with a one-line message.
 * The writer lays out, per page: strip data, then the IFD, then the IFD's out-of-line values.
 */
import type { BilevelImage } from '../t4/image';
import { strideOf } from '../t4/image';
import { T4Decoder } from '../t4/decode';
import { T4Encoder } from '../t4/encode';
import { REVERSE } from '../t4/rows';

/** 'rle' is TIFF compression 2, CCITT RLE: MH codes, no EOLs, each row byte-aligned. */
export type TiffCompression = 'none' | 'mh' | 'mr' | 'mmr' | 'rle';

export interface TiffPage {
  image: BilevelImage;
  compression: TiffCompression;
  fillOrder: 1 | 2;
  /** PageNumber tag (0-based page, total) if present. */
  pageNumber?: [number, number];
  rows: number;
  badRows: number;
  maxConsecutiveBadRows: number;
  /** Why some rows are bad or missing, if any are. */
  error?: string;
}

export interface TiffWriteOptions {
  /** Default 'mmr'. */
  compression?: TiffCompression;
  /** Bit order of the coded data. Default 1 (MSB first, what every reader handles). */
  fillOrder?: 1 | 2;
  /** MR: a 1-D row every k rows. Default 4 (fine) - TIFF does not care. */
  k?: number;
  /** G3: byte-align each EOL (T4Options bit 2). Default false. */
  eolAlign?: boolean;
  /** Rows per strip. Default: the whole page in one strip (TIFF Class F's recommendation). */
  rowsPerStrip?: number;
  /** Software tag. */
  software?: string;
}

// Tag numbers (TIFF 6.0 and TIFF Class F).
const T_NEW_SUBFILE_TYPE = 254;
const T_IMAGE_WIDTH = 256;
const T_IMAGE_LENGTH = 257;
const T_BITS_PER_SAMPLE = 258;
const T_COMPRESSION = 259;
const T_PHOTOMETRIC = 262;
const T_FILL_ORDER = 266;
const T_STRIP_OFFSETS = 273;
const T_SAMPLES_PER_PIXEL = 277;
const T_ROWS_PER_STRIP = 278;
const T_STRIP_BYTE_COUNTS = 279;
const T_X_RESOLUTION = 282;
const T_Y_RESOLUTION = 283;
const T_T4_OPTIONS = 292;
const T_T6_OPTIONS = 293;
const T_RESOLUTION_UNIT = 296;
const T_PAGE_NUMBER = 297;
const T_SOFTWARE = 305;

// Field types.
const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const TYPE_SIZE = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4];

const MAX_PAGES = 4096;
const MAX_PIXELS = 1 << 28; // per page (32 MB of bitmap)
const MAX_HEIGHT = 1 << 18;
const MAX_TOTAL_PIXELS = 1 << 30; // per file (128 MB of bitmaps)

// ---- reading ----------------------------------------------------------------------------------

class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly little: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  check(offset: number, size: number, what: string): void {
    if (offset < 0 || offset + size > this.bytes.length) throw new Error(`tiff: ${what} at offset ${offset} is outside the file (${this.bytes.length} bytes)`);
  }
  u16(o: number): number {
    this.check(o, 2, 'value');
    return this.view.getUint16(o, this.little);
  }
  u32(o: number): number {
    this.check(o, 4, 'value');
    return this.view.getUint32(o, this.little);
  }
}

type Values = number[];

/** Read one IFD entry's values as numbers (rationals as num/den). */
function entryValues(r: Reader, entry: number): Values {
  const type = r.u16(entry + 2);
  const count = r.u32(entry + 4);
  const size = TYPE_SIZE[type] ?? 0;
  if (size === 0) return [];
  if (count > 1 << 24) throw new Error(`tiff: tag ${r.u16(entry)} has an absurd count ${count}`);
  const total = size * count;
  const at = total <= 4 ? entry + 8 : r.u32(entry + 8);
  r.check(at, total, `tag ${r.u16(entry)} data`);
  const out: Values = new Array(count);
  for (let i = 0; i < count; i++) {
    const o = at + i * size;
    switch (type) {
      case 1: case 2: case 7: out[i] = r.bytes[o]; break;
      case 6: out[i] = (r.bytes[o] << 24) >> 24; break;
      case 3: out[i] = r.view.getUint16(o, r.little); break;
      case 8: out[i] = r.view.getInt16(o, r.little); break;
      case 4: case 13: out[i] = r.view.getUint32(o, r.little); break;
      case 9: out[i] = r.view.getInt32(o, r.little); break;
      case 5: { const d = r.view.getUint32(o + 4, r.little); out[i] = d ? r.view.getUint32(o, r.little) / d : 0; break; }
      case 10: { const d = r.view.getInt32(o + 4, r.little); out[i] = d ? r.view.getInt32(o, r.little) / d : 0; break; }
      case 11: out[i] = r.view.getFloat32(o, r.little); break;
      case 12: out[i] = r.view.getFloat64(o, r.little); break;
    }
  }
  return out;
}

/** Read every page of a TIFF file. Throws on a malformed container (one-line message). */
export function readTiff(bytes: Uint8Array): TiffPage[] {
  if (bytes.length < 8) throw new Error('tiff: file too short');
  const bo = (bytes[0] << 8) | bytes[1];
  if (bo !== 0x4949 && bo !== 0x4d4d) throw new Error('tiff: not a TIFF file (no II/MM byte-order mark)');
  const r = new Reader(bytes, bo === 0x4949);
  const magic = r.u16(2);
  if (magic === 43) throw new Error('tiff: BigTIFF is not supported');
  if (magic !== 42) throw new Error(`tiff: bad magic number ${magic}`);
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  let total = 0;
  let ifd = r.u32(4);
  while (ifd !== 0) {
    if (seen.has(ifd)) break; // a loop in the IFD chain: stop, keep what we have
    if (pages.length >= MAX_PAGES) throw new Error(`tiff: more than ${MAX_PAGES} pages`);
    seen.add(ifd);
    const n = r.u16(ifd);
    r.check(ifd + 2, n * 12 + 4, 'IFD');
    const tags = new Map<number, Values>();
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      tags.set(r.u16(e), entryValues(r, e));
    }
    const next = r.u32(ifd + 2 + n * 12);
    const subfile = tags.get(T_NEW_SUBFILE_TYPE)?.[0] ?? 0;
    if (!(subfile & 1)) {
      total += (tags.get(T_IMAGE_WIDTH)?.[0] ?? 0) * (tags.get(T_IMAGE_LENGTH)?.[0] ?? 0);
      if (total > MAX_TOTAL_PIXELS) throw new Error(`tiff: more than ${MAX_TOTAL_PIXELS} pixels in all`);
      pages.push(readPage(bytes, tags, pages.length));
    }
    ifd = next;
  }
  if (pages.length === 0) throw new Error('tiff: no pages');
  return pages;
}

function one(tags: Map<number, Values>, tag: number, dflt?: number): number {
  const v = tags.get(tag);
  if (v && v.length > 0) return v[0];
  if (dflt === undefined) throw new Error(`tiff: page is missing required tag ${tag}`);
  return dflt;
}

function readPage(bytes: Uint8Array, tags: Map<number, Values>, index: number): TiffPage {
  const where = `tiff page ${index + 1}`;
  const width = one(tags, T_IMAGE_WIDTH);
  const height = one(tags, T_IMAGE_LENGTH);
  if (!(width >= 1 && width <= 65535 && height >= 1 && height <= MAX_HEIGHT && width * height <= MAX_PIXELS)) {
    throw new Error(`${where}: unsupported size ${width}x${height}`);
  }
  const bps = one(tags, T_BITS_PER_SAMPLE, 1);
  const spp = one(tags, T_SAMPLES_PER_PIXEL, 1);
  if (bps !== 1 || spp !== 1) throw new Error(`${where}: not bilevel (${spp} samples of ${bps} bits)`);
  const comp = one(tags, T_COMPRESSION, 1);
  const photometric = one(tags, T_PHOTOMETRIC, 0);
  if (photometric !== 0 && photometric !== 1) throw new Error(`${where}: unsupported photometric interpretation ${photometric}`);
  const fillOrder = one(tags, T_FILL_ORDER, 1) === 2 ? 2 : 1;
  let compression: TiffCompression;
  if (comp === 1) compression = 'none';
  else if (comp === 3) {
    const t4 = one(tags, T_T4_OPTIONS, 0);
    if (t4 & 2) throw new Error(`${where}: G3 uncompressed mode is not supported`);
    compression = t4 & 1 ? 'mr' : 'mh';
  } else if (comp === 4) {
    if (one(tags, T_T6_OPTIONS, 0) & 2) throw new Error(`${where}: G4 uncompressed mode is not supported`);
    compression = 'mmr';
  } else if (comp === 2) compression = 'rle';
  else throw new Error(`${where}: unsupported compression ${comp}`);

  const offsets = tags.get(T_STRIP_OFFSETS);
  if (!offsets || offsets.length === 0) throw new Error(`${where}: no StripOffsets`);
  const rowsPerStrip = Math.min(height, Math.max(1, one(tags, T_ROWS_PER_STRIP, height)));
  const stripCount = Math.ceil(height / rowsPerStrip);
  if (offsets.length < stripCount) throw new Error(`${where}: ${offsets.length} strips for ${stripCount} needed`);
  const stride = strideOf(width);
  let counts = tags.get(T_STRIP_BYTE_COUNTS);
  if (!counts) {
    if (compression !== 'none') throw new Error(`${where}: no StripByteCounts`);
    counts = offsets.map((_, i) => stride * Math.min(rowsPerStrip, height - i * rowsPerStrip));
  }

  const xRes = tags.get(T_X_RESOLUTION)?.[0] ?? 204;
  const yRes = tags.get(T_Y_RESOLUTION)?.[0] ?? 196;
  const unit = one(tags, T_RESOLUTION_UNIT, 2);
  const toDpi = (v: number): number => Math.round((unit === 3 ? v * 2.54 : v) * 100) / 100;
  const data = new Uint8Array(stride * height);
  const page: TiffPage = {
    image: { width, height, data, xDpi: toDpi(xRes) || 204, yDpi: toDpi(yRes) || 196 },
    compression, fillOrder, rows: 0, badRows: 0, maxConsecutiveBadRows: 0,
  };
  const pn = tags.get(T_PAGE_NUMBER);
  if (pn && pn.length >= 2) page.pageNumber = [pn[0], pn[1]];

  let run = 0; // consecutive bad rows carried across strip boundaries
  for (let s = 0; s < stripCount; s++) {
    const rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
    let start = offsets[s];
    let count = counts[s] ?? 0;
    if (start > bytes.length) { start = bytes.length; count = 0; }
    if (start + count > bytes.length) {
      page.error ??= `strip ${s} runs past the end of the file`;
      count = bytes.length - start;
    }
    const strip = bytes.subarray(start, start + count);
    const dst = s * rowsPerStrip * stride;
    if (compression === 'none') {
      const n = Math.min(strip.length, rows * stride);
      if (fillOrder === 2) for (let i = 0; i < n; i++) data[dst + i] = REVERSE[strip[i]];
      else data.set(strip.subarray(0, n), dst);
      const whole = Math.floor(n / stride);
      if (whole < rows) page.error ??= `strip ${s} is short (${whole} of ${rows} rows)`;
      page.rows += rows;
      page.badRows += rows - whole;
      if (whole > 0) run = 0;
      run += rows - whole;
      page.maxConsecutiveBadRows = Math.max(page.maxConsecutiveBadRows, run);
      continue;
    }
    // Rows go straight into the page.
    const coding = compression === 'rle' ? 'mh' : compression;
    const rle = compression === 'rle';
    const runBefore = run;
    const maxBefore = page.maxConsecutiveBadRows;
    const decodeStrip = (eol: boolean) => {
      let y = 0;
      run = runBefore;
      page.maxConsecutiveBadRows = maxBefore;
      const dec = new T4Decoder({
        width, coding, fillOrder, rows, eol, byteAlign: rle,
        onRow(row, bad) {
          data.set(row, dst + y * stride);
          y++;
          run = bad ? run + 1 : 0;
          if (run > page.maxConsecutiveBadRows) page.maxConsecutiveBadRows = run;
        },
      });
      dec.putBytes(strip);
      return dec.end();
    };
    let r = decodeStrip(!rle);
    if (compression === 'mh' && r.badRows === r.rows && /no EOL/.test(r.error ?? '')) {
      // G3 1-D with no EOLs at all (some PDF-to-TIFF tools copy EndOfLine-false data as is):
      // libtiff gives up; read it as rows back to back and keep that if it decodes better.
      const retry = decodeStrip(false);
      if (retry.badRows < r.badRows) {
        r = retry;
        page.error ??= 'G3 data without EOLs (read as rows back to back)';
      } else {
        r = decodeStrip(true);
      }
    }
    page.rows += r.rows;
    page.badRows += r.badRows;
    if (r.error && r.badRows > 0) page.error ??= `strip ${s}: ${r.error}`;
  }
  // Padding bits past the width are not pixels: keep them zero so pages compare byte for byte.
  const tail = width & 7;
  if (tail) {
    const mask = (0xff << (8 - tail)) & 0xff;
    for (let y = 0; y < height; y++) data[y * stride + stride - 1] &= mask;
  }
  if (photometric === 1) for (let i = 0; i < data.length; i++) data[i] ^= 0xff;
  if (photometric === 1 && tail) {
    const mask = (0xff << (8 - tail)) & 0xff;
    for (let y = 0; y < height; y++) data[y * stride + stride - 1] &= mask;
  }
  return page;
}

// ---- writing ----------------------------------------------------------------------------------

class Writer {
  buf = new Uint8Array(65536);
  len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    bigger.set(this.buf.subarray(0, this.len));
    this.buf = bigger;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = (v >> 8) & 0xff;
  }
  u32(v: number): void {
    this.ensure(4);
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  align(): void {
    if (this.len & 1) { this.ensure(1); this.buf[this.len++] = 0; }
  }
  patch32(at: number, v: number): void {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >> 8) & 0xff;
    this.buf[at + 2] = (v >> 16) & 0xff;
    this.buf[at + 3] = (v >>> 24) & 0xff;
  }
}

interface Entry {
  tag: number;
  type: number;
  values: number[]; // for RATIONAL: [num, den, num, den...]; for ASCII: bytes incl. NUL
}

/** A resolution as a RATIONAL, exact to 1/100 dpi. */
function rational(v: number): number[] {
  const r = Math.round(v * 100);
  return r % 100 === 0 ? [r / 100, 1] : [r, 100];
}

/** Encode the rows [y0, y0 + rows) of an image as one strip. */
function encodeStrip(image: BilevelImage, y0: number, rows: number, o: Required<Pick<TiffWriteOptions, 'compression' | 'fillOrder' | 'k' | 'eolAlign'>>): Uint8Array {
  const stride = strideOf(image.width);
  if (o.compression === 'none') {
    const raw = image.data.slice(y0 * stride, (y0 + rows) * stride);
    if (o.fillOrder === 2) for (let i = 0; i < raw.length; i++) raw[i] = REVERSE[raw[i]];
    return raw;
  }
  // TIFF G3 strips: EOL before each row, no RTC (libtiff's layout); G4 strips end with EOFB;
  // CCITT RLE: no EOLs, every row starts on a byte boundary.
  const rle = o.compression === 'rle';
  const enc = new T4Encoder({
    width: image.width, coding: o.compression === 'rle' ? 'mh' : o.compression, k: o.k, eolAlign: o.eolAlign,
    rtc: o.compression === 'mmr', fillOrder: o.fillOrder, eol: !rle, byteAlign: rle,
  });
  for (let y = y0; y < y0 + rows; y++) enc.encodeRow(image.data, y * stride);
  enc.finish();
  return enc.takeBytes();
}

/** Write pages as a TIFF Class F file (little-endian). */
export function writeTiff(pages: BilevelImage[], opts: TiffWriteOptions = {}): Uint8Array {
  if (pages.length === 0) throw new Error('tiff: no pages to write');
  const o = {
    compression: opts.compression ?? 'mmr',
    fillOrder: opts.fillOrder ?? 1,
    k: opts.k ?? 4,
    eolAlign: opts.eolAlign ?? false,
  };
  const compCode = { none: 1, mh: 3, mr: 3, mmr: 4, rle: 2 }[o.compression];
  if (compCode === undefined) throw new Error(`tiff: unknown compression ${String(o.compression)}`);
  const w = new Writer();
  w.u16(0x4949);
  w.u16(42);
  let nextPtr = w.len; // where the offset of the next IFD goes
  w.u32(0);
  pages.forEach((image, index) => {
    if (!(image.width >= 1 && image.height >= 1)) throw new Error(`tiff: page ${index + 1} is empty (${image.width}x${image.height})`);
    const rowsPerStrip = Math.max(1, Math.min(image.height, opts.rowsPerStrip ?? image.height));
    const offsets: number[] = [];
    const counts: number[] = [];
    for (let y = 0; y < image.height; y += rowsPerStrip) {
      const strip = encodeStrip(image, y, Math.min(rowsPerStrip, image.height - y), o);
      offsets.push(w.len);
      counts.push(strip.length);
      w.bytes(strip);
    }
    const entries: Entry[] = [
      { tag: T_NEW_SUBFILE_TYPE, type: LONG, values: [2] },
      { tag: T_IMAGE_WIDTH, type: LONG, values: [image.width] },
      { tag: T_IMAGE_LENGTH, type: LONG, values: [image.height] },
      { tag: T_BITS_PER_SAMPLE, type: SHORT, values: [1] },
      { tag: T_COMPRESSION, type: SHORT, values: [compCode] },
      { tag: T_PHOTOMETRIC, type: SHORT, values: [0] },
      { tag: T_FILL_ORDER, type: SHORT, values: [o.fillOrder] },
      { tag: T_STRIP_OFFSETS, type: LONG, values: offsets },
      { tag: T_SAMPLES_PER_PIXEL, type: SHORT, values: [1] },
      { tag: T_ROWS_PER_STRIP, type: LONG, values: [rowsPerStrip] },
      { tag: T_STRIP_BYTE_COUNTS, type: LONG, values: counts },
      { tag: T_X_RESOLUTION, type: RATIONAL, values: rational(image.xDpi) },
      { tag: T_Y_RESOLUTION, type: RATIONAL, values: rational(image.yDpi) },
    ];
    if (compCode === 3) entries.push({ tag: T_T4_OPTIONS, type: LONG, values: [(o.compression === 'mr' ? 1 : 0) | (o.eolAlign ? 4 : 0)] });
    if (compCode === 4) entries.push({ tag: T_T6_OPTIONS, type: LONG, values: [0] });
    entries.push({ tag: T_RESOLUTION_UNIT, type: SHORT, values: [2] });
    entries.push({ tag: T_PAGE_NUMBER, type: SHORT, values: [index, pages.length] });
    if (opts.software) {
      const s = Array.from(opts.software, (c) => c.charCodeAt(0) & 0x7f);
      entries.push({ tag: T_SOFTWARE, type: ASCII, values: [...s, 0] });
    }
    w.align();
    const ifd = w.len;
    w.patch32(nextPtr, ifd);
    // Out-of-line values follow the IFD (2 + 12n + 4 bytes).
    let extra = ifd + 2 + entries.length * 12 + 4;
    const deferred: Entry[] = [];
    w.u16(entries.length);
    for (const e of entries) {
      const count = e.type === RATIONAL ? e.values.length / 2 : e.values.length;
      const size = TYPE_SIZE[e.type] * count;
      w.u16(e.tag);
      w.u16(e.type);
      w.u32(count);
      if (size <= 4) {
        const start = w.len;
        for (const v of e.values) {
          if (e.type === SHORT) w.u16(v);
          else if (e.type === LONG) w.u32(v);
          else { w.bytes(Uint8Array.of(v)); }
        }
        while (w.len < start + 4) w.bytes(Uint8Array.of(0));
      } else {
        w.u32(extra);
        extra += size + (size & 1);
        deferred.push(e);
      }
    }
    nextPtr = w.len;
    w.u32(0);
    for (const e of deferred) {
      for (const v of e.values) {
        if (e.type === SHORT) w.u16(v);
        else if (e.type === LONG || e.type === RATIONAL) w.u32(v);
        else w.bytes(Uint8Array.of(v));
      }
      w.align();
    }
  });
  return w.buf.slice(0, w.len);
}
