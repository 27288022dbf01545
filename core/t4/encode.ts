/**
 * T.4 (MH, MR) and T.6 (MMR) encoder.
 *
 * How: each packed row is turned into its changing elements (rows.ts); MH writes the runs
 * between them as terminating/make-up codes, MR/MMR code them against the previous row with
 * pass / horizontal / vertical modes (T.4 4.2.1.3). Bits go into a growing byte buffer, first
 * transmitted bit in the MSB, and are bit-reversed on the way out when FillOrder 2 (LSB first,
 * the order bits go down a fax line and what TIFF FillOrder 2 means) is asked for.
 *
 * T.4 pages: EOL before every row (MR: EOL + tag bit, 1 = next row 1-D, 0 = 2-D; every k-th row
 * 1-D), fill bits before each EOL so a row lasts at least `minBitsPerRow` bits (T.4's minimum
 * scan-line time, counted with its EOL), optionally aligned so each EOL ends on a byte boundary,
 * and RTC (six EOLs) at the end. T.6 pages: no EOLs, EOFB (two EOLs) at the end.
 *
 * API:
 *   - `encodeImage(image, opts)` -> Uint8Array, a whole page.
 *   - `T4Encoder`: row by row (`encodeRow`, `finish`, `takeBytes`) for streaming and TIFF strips.
 *   - `T4PageBitSource`: a GetBit for the T.30 engine that encodes a page's rows as they are needed.
 */
import type { BilevelImage } from './image';
import { strideOf } from './image';
import * as tables from './tables';
import type { RunCodes } from './tables';
import * as rows from './rows';

// Module-local aliases: where tsx compiles to CommonJS, imported bindings become getters, too
// slow for the per-code path.
const { BLACK_CODES, MODE_CODE, MODE_LEN, WHITE_CODES } = tables;
const { REVERSE, changesCapacity, findChanges } = rows;
const M_PASS = tables.Mode.Pass;
const M_HORIZONTAL = tables.Mode.Horizontal;
const M_V0 = tables.Mode.V0;
const M_VL1 = tables.Mode.VL1;

export type Coding = 'mh' | 'mr' | 'mmr';

export interface EncodeOptions {
  coding: Coding;
  /**
   * MR only: a 1-D row every k rows. T.4 4.2.1 asks 2 at standard, 4 at fine/200 lpi, 6 at 300,
   * 8 at superfine/400 (kForResolution). Default: that, from the image's yDpi (encodeImage,
   * T4PageBitSource), or 4 (T4Encoder, which does not know the resolution).
   */
  k?: number;
  /** T.4 only: minimum bits per coded row including its EOL; fill zeros pad shorter rows. Default 0. */
  minBitsPerRow?: number;
  /** T.4 only: fill so each EOL ends on a byte boundary (TIFF T4Options bit 2). Default false. */
  eolAlign?: boolean;
  /** End the page with RTC (T.4) / EOFB (T.6). Default true. */
  rtc?: boolean;
  /** T.4 only: start the page with an EOL (T.4 requires it; TIFF writers do it too). Default true. */
  leadingEol?: boolean;
  /**
   * T.4 only: EOLs between rows (default true). false writes rows back to back with no EOLs at
   * all (PDF EndOfLine false; with byteAlign, TIFF CCITT RLE); `rtc` still appends EOLs if set.
   */
  eol?: boolean;
  /** No-EOL T.4 and MMR: start every row on a byte boundary (PDF EncodedByteAlign). Default false. */
  byteAlign?: boolean;
  /** Output bit order: 2 = LSB first (default, line order), 1 = MSB first. */
  fillOrder?: 1 | 2;
}

export interface EncoderSetup extends EncodeOptions {
  width: number;
}

const EOL_BITS = 12;

/**
 * Row-by-row encoder. Life cycle: constructor / restart(setup) for a new page, encodeRow per row,
 * finish() once, takeBytes() whenever output is wanted (it returns the whole bytes so far).
 */
export class T4Encoder {
  private width = 0;
  private coding: Coding = 'mh';
  private k = 4;
  private minBits = 0;
  private eolAlign = false;
  private rtc = true;
  private leadingEol = true;
  private eol = true;
  private byteAlign = false;
  private lsbFirst = true;

  private out: Uint8Array = new Uint8Array(4096);
  private outLen = 0; // whole bytes written
  private taken = 0; // bytes already handed out by takeBytes
  private acc = 0; // pending bits, right-aligned
  private accBits = 0;
  private totalBits = 0;

  private cur: Int32Array = new Int32Array(0);
  private ref: Int32Array = new Int32Array(0);
  private rowIndex = 0;
  private finished = false;

  constructor(setup: EncoderSetup) {
    this.restart(setup);
  }

  restart(setup: EncoderSetup): void {
    if (!(setup.width > 0 && Number.isInteger(setup.width))) throw new Error(`t4 encode: bad width ${setup.width}`);
    this.width = setup.width;
    this.coding = setup.coding;
    this.k = setup.k ?? 4;
    if (!(this.k >= 1)) throw new Error(`t4 encode: bad k ${this.k}`);
    this.minBits = setup.minBitsPerRow ?? 0;
    this.eolAlign = setup.eolAlign ?? false;
    this.rtc = setup.rtc ?? true;
    this.leadingEol = setup.leadingEol ?? true;
    this.eol = setup.eol ?? true;
    this.byteAlign = setup.byteAlign ?? false;
    this.lsbFirst = (setup.fillOrder ?? 2) === 2;
    this.outLen = 0;
    this.taken = 0;
    this.acc = 0;
    this.accBits = 0;
    this.totalBits = 0;
    const cap = changesCapacity(this.width);
    if (this.cur.length !== cap) {
      this.cur = new Int32Array(cap);
      this.ref = new Int32Array(cap);
    }
    // The row above the first is all white: no changes, only sentinels.
    this.ref.fill(this.width);
    this.rowIndex = 0;
    this.finished = false;
  }

  /** Bits produced so far (including any not yet in whole bytes). */
  get bitCount(): number {
    return this.totalBits;
  }

  /** Encode one row, packed as in BilevelImage, from `data[offset ..]`. */
  encodeRow(data: Uint8Array, offset = 0): void {
    if (this.finished) throw new Error('t4 encode: row after finish()');
    const curCount = findChanges(data, offset, this.width, this.cur);
    const rowStart = this.totalBits;
    if (this.byteAlign && (this.coding === 'mmr' || !this.eol)) this.putZeros((8 - (this.totalBits & 7)) & 7);
    if (this.coding === 'mmr') {
      this.code2D(curCount);
    } else {
      // T.4: EOL (+ tag) then data; the EOL before the first row only if asked for.
      if (this.eol && (this.rowIndex > 0 || this.leadingEol)) this.putEol();
      if (this.coding === 'mr') {
        const oneD = this.rowIndex % this.k === 0;
        this.putBits(oneD ? 1 : 0, 1);
        if (oneD) this.code1D(curCount);
        else this.code2D(curCount);
      } else {
        this.code1D(curCount);
      }
    }
    // Minimum row length: the pad goes after the data, before the next EOL.
    if (this.coding !== 'mmr' && this.eol && this.minBits > 0) {
      const used = this.totalBits - rowStart;
      // The EOL of this row was counted in `used` only when one was written for it.
      const withEol = this.eol && (this.rowIndex > 0 || this.leadingEol) ? used : used + EOL_BITS;
      if (withEol < this.minBits) this.putZeros(this.minBits - withEol);
    }
    // This row becomes the reference row.
    const t = this.ref;
    this.ref = this.cur;
    this.cur = t;
    this.rowIndex++;
  }

  /** Encode every row of an image. */
  encodeImage(image: BilevelImage): void {
    if (image.width !== this.width) throw new Error(`t4 encode: image width ${image.width} != ${this.width}`);
    const stride = strideOf(image.width);
    for (let y = 0; y < image.height; y++) this.encodeRow(image.data, y * stride);
  }

  /** End the page: RTC/EOFB if configured, then zero bits up to a whole byte. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.rtc) {
      if (this.byteAlign && (this.coding === 'mmr' || !this.eol)) this.putZeros((8 - (this.totalBits & 7)) & 7);
      if (this.coding === 'mmr') {
        this.putBits(1, EOL_BITS);
        this.putBits(1, EOL_BITS);
      } else {
        for (let i = 0; i < 6; i++) {
          this.putEol();
          if (this.coding === 'mr') this.putBits(1, 1);
        }
      }
    }
    if (this.accBits > 0) this.putZeros(8 - this.accBits);
  }

  /** The whole bytes produced since the last call, in the configured fill order (a fresh array). */
  takeBytes(): Uint8Array {
    const bytes = this.out.slice(this.taken, this.outLen);
    this.taken = this.outLen;
    if (this.taken > 65536 && this.taken === this.outLen) {
      this.taken = 0;
      this.outLen = 0;
    }
    if (this.lsbFirst) for (let i = 0; i < bytes.length; i++) bytes[i] = REVERSE[bytes[i]];
    return bytes;
  }

  // ---- bit output ----

  private putBits(code: number, len: number): void {
    this.acc = (this.acc << len) | code;
    this.accBits += len;
    this.totalBits += len;
    while (this.accBits >= 8) {
      this.accBits -= 8;
      if (this.outLen === this.out.length) this.grow();
      this.out[this.outLen++] = (this.acc >>> this.accBits) & 0xff;
    }
  }

  private putZeros(n: number): void {
    while (n > 16) { this.putBits(0, 16); n -= 16; }
    if (n > 0) this.putBits(0, n);
  }

  private grow(): void {
    const bigger = new Uint8Array(this.out.length * 2);
    bigger.set(this.out);
    this.out = bigger;
  }

  private putEol(): void {
    if (this.eolAlign) {
      // Zeros so that the EOL's final 1 is the last bit of a byte.
      const pad = (8 - ((this.totalBits + EOL_BITS) & 7)) & 7;
      if (pad > 0) this.putBits(0, pad);
    }
    this.putBits(1, EOL_BITS);
  }

  private putRun(codes: RunCodes, run: number): void {
    while (run >= 2560 + 64) {
      this.putBits(codes.makeupCode[40], codes.makeupLen[40]);
      run -= 2560;
    }
    if (run >= 64) {
      const m = run >> 6;
      this.putBits(codes.makeupCode[m], codes.makeupLen[m]);
      run &= 63;
    }
    this.putBits(codes.termCode[run], codes.termLen[run]);
  }

  // ---- row coding ----

  private code1D(count: number): void {
    const c = this.cur;
    let pos = 0;
    for (let i = 0; i < count; i++) {
      this.putRun(i & 1 ? BLACK_CODES : WHITE_CODES, c[i] - pos);
      pos = c[i];
    }
    this.putRun(count & 1 ? BLACK_CODES : WHITE_CODES, this.width - pos);
  }

  private code2D(count: number): void {
    const width = this.width;
    const cur = this.cur;
    const ref = this.ref;
    let a0 = -1;
    let color = 0; // colour of a0: 0 white, 1 black
    let ai = 0; // index in cur of a1 (first change right of a0)
    let bi = 0; // index in ref used to find b1
    while (a0 < width) {
      while (ai < count && cur[ai] <= a0) ai++;
      const a1 = cur[ai]; // sentinel = width
      while (bi > 0 && ref[bi - 1] > a0) bi--;
      while (ref[bi] <= a0) bi++;
      if ((bi & 1) !== color) bi++;
      const b1 = ref[bi];
      const b2 = ref[bi + 1];
      if (b2 < a1) {
        this.putBits(MODE_CODE[M_PASS], MODE_LEN[M_PASS]);
        a0 = b2;
      } else {
        const d = a1 - b1;
        if (d >= -3 && d <= 3) {
          const m = d === 0 ? M_V0 : d > 0 ? M_V0 + d : M_VL1 - 1 - d;
          this.putBits(MODE_CODE[m], MODE_LEN[m]);
          a0 = a1;
          color ^= 1;
          ai++;
        } else {
          const a2 = cur[ai + 1];
          const start = a0 < 0 ? 0 : a0;
          this.putBits(MODE_CODE[M_HORIZONTAL], MODE_LEN[M_HORIZONTAL]);
          this.putRun(color ? BLACK_CODES : WHITE_CODES, a1 - start);
          this.putRun(color ? WHITE_CODES : BLACK_CODES, a2 - a1);
          a0 = a2;
          ai += 2;
        }
      }
    }
  }
}

/** T.4's K for MR at a vertical resolution in lines per inch (98 -> 2, 196 -> 4, 300 -> 6, 391/400 -> 8). */
export function kForResolution(yDpi: number): number {
  return yDpi < 150 ? 2 : yDpi < 250 ? 4 : yDpi < 350 ? 6 : 8;
}

/** Encode a whole page; returns its bytes (FillOrder 2 unless `fillOrder: 1`). */
export function encodeImage(image: BilevelImage, opts: EncodeOptions): Uint8Array {
  const enc = new T4Encoder({ ...opts, k: opts.k ?? kForResolution(image.yDpi), width: image.width });
  enc.encodeImage(image);
  enc.finish();
  return enc.takeBytes();
}

/**
 * A page as a GetBit for the T.30 engine: rows are encoded only when their bits are wanted, so a
 * page starts going out at once. Returns 0/1 in transmission order, then END_OF_DATA (-1) after
 * the RTC/EOFB and the pad to a whole byte.
 */
export class T4PageBitSource {
  private enc: T4Encoder;
  private image: BilevelImage;
  private row = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private byteIdx = 0;
  private bitIdx = 0;
  private done = false;

  constructor(image: BilevelImage, opts: EncodeOptions) {
    this.image = image;
    // MSB-first internally: bit 7 of each byte goes first.
    this.enc = new T4Encoder({ ...opts, k: opts.k ?? kForResolution(image.yDpi), fillOrder: 1, width: image.width });
  }

  /** Next bit to send, or -1 (END_OF_DATA) when the page is over. */
  getBit = (): number => {
    while (this.byteIdx >= this.bytes.length) {
      if (this.done) return -1;
      this.refill();
    }
    const bit = (this.bytes[this.byteIdx] >> (7 - this.bitIdx)) & 1;
    if (++this.bitIdx === 8) {
      this.bitIdx = 0;
      this.byteIdx++;
    }
    return bit;
  };

  /** Rows encoded so far (for progress reports). */
  get rowsEncoded(): number {
    return this.row;
  }

  private refill(): void {
    const stride = strideOf(this.image.width);
    // A few rows at a time keeps the per-bit path cheap without encoding the page up front.
    for (let n = 0; n < 8 && this.row < this.image.height; n++, this.row++) {
      this.enc.encodeRow(this.image.data, this.row * stride);
    }
    if (this.row >= this.image.height) {
      this.enc.finish();
      this.done = true;
    }
    this.bytes = this.enc.takeBytes();
    this.byteIdx = 0;
    this.bitIdx = 0;
  }
}
