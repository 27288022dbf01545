/**
 * Streaming T.4 (MH, MR) and T.6 (MMR) decoder, as a fax receiver needs it.
 *
 * Feed it bits (`putBit`, transmission order) or bytes (`putBytes`, in the configured fill order)
 * as they arrive; it calls `onRow(row, bad)` for each decoded scan line and keeps the counts copy
 * quality checking needs (rows, bad rows, longest run of consecutive bad rows; quality.ts).
 *
 * How: input is kept in a byte buffer normalised to MSB-first, read with a bit position. A row is
 * decoded only when its bits are all there: a step that runs out of data rolls back to the row
 * start and is retried once the unread data has doubled (so bit-by-bit feeding stays linear).
 * Codes are read through 13-bit (run) and 7-bit (mode) lookup tables (tables.ts); rows are held
 * as lists of changing elements (rows.ts), which also serve as the reference for 2-D rows.
 *
 * T.4: the page starts at the first EOL (anything before it is skipped). Each row is EOL [+ tag
 * bit for MR] + data; fill zeros before an EOL are skipped. A row is bad if its codes are invalid,
 * overrun the width, stop short (premature EOL) or are followed by anything but fill (or a
 * zero-length run code) before the next EOL; decoding then resumes at that EOL. Six EOLs in a
 * row (RTC) end the page; after three, an undecodable "row" is taken for a damaged RTC EOL and
 * is neither emitted nor counted (as spandsp, which ends a page on 5 of them).
 * T.4 without EOLs (`eol: false`; PDF EndOfLine false, TIFF CCITT RLE with `byteAlign`): rows
 * follow each other directly; EOLs before a row are skipped, two in a row end the page; after a
 * bad row decoding resumes at the next EOL if there is one.
 * T.6: rows follow each other with no EOLs; EOFB ends the page. A bad MMR row cannot be
 * resynchronised, so the page ends there with an error.
 * A bad row is replaced by the last good row (white before any), as spandsp and HylaFAX do; the
 * reference line for the next 2-D row is that last good row (spandsp uses the patched-up bad row).
 * Stricter than spandsp and libtiff, which ignore bits between a complete row and its EOL: webfax
 * counts such a row bad, since a row that sums to the width early and is followed by junk is
 * almost always a corrupted one (measured: MH at BER 1e-3 on ITU chart 4, under 1 % of the rows
 * called good are wrong).
 * With `rows` set (TIFF strips), decoding stops after that many rows and missing rows at the end
 * are filled the same way and counted bad.
 */
import type { BilevelImage } from './image';
import { strideOf } from './image';
import type { Coding } from './encode';
import * as tables from './tables';
import * as rows from './rows';

// Module-local aliases: where tsx compiles to CommonJS, imported bindings become getters, too
// slow for the per-code path.
const { BLACK_LOOKUP, DEC_EOL, DEC_INVALID, MODE_LOOKUP, VERTICAL_DELTA, WHITE_LOOKUP } = tables;
const { CHANGE_SENTINELS, REVERSE, changesCapacity, renderChanges } = rows;
const M_PASS = tables.Mode.Pass;
const M_HORIZONTAL = tables.Mode.Horizontal;
const M_EXTENSION = tables.Mode.Extension;

export interface DecodeSetup {
  /** Pixels per row (1728, 2048, 2432 on the line; anything for TIFF). */
  width: number;
  /** 'mh' and 'mr' are both read as T.4 (the tag bits say which rows are 2-D); 'mmr' is T.6. */
  coding: Coding;
  /** Bit order of bytes given to putBytes: 2 = LSB first (line order, default), 1 = MSB first. */
  fillOrder?: 1 | 2;
  /**
   * T.4 only: rows are delimited by EOLs (default true, as on the line and in TIFF G3). false:
   * rows follow each other directly, EOLs optional (PDF EndOfLine false; TIFF CCITT RLE).
   */
  eol?: boolean;
  /** Each row starts on a byte boundary (PDF EncodedByteAlign; TIFF CCITT RLE), for eol false or MMR. */
  byteAlign?: boolean;
  /** Expected rows (TIFF): stop after this many; fill any missing ones. */
  rows?: number;
  /** Safety limit on rows of a page when `rows` is not given. Default 16384. */
  maxRows?: number;
  /** Called for each row; `row` is reused, copy it if you keep it. */
  onRow?: (row: Uint8Array, bad: boolean) => void;
}

export interface DecodeStats {
  rows: number;
  badRows: number;
  maxConsecutiveBadRows: number;
  /** RTC (T.4: six EOLs, or at least three where the data ends) or EOFB (T.6) was seen. */
  rtcSeen: boolean;
  /** The page is over (RTC/EOFB, expected rows reached, end() called, or unrecoverable error). */
  done: boolean;
  /** Why decoding stopped early, if it did (MMR error, no EOL at all, rows limit, data ended). */
  error?: string;
}

const NEED = -1; // out of data: roll back and wait
const ERR = -2; // bad row; this.errPos says where
const NOT_EOL = -3;
const OK = 0;
const SLACK = 8; // zero bytes kept after the data so lookahead never leaves the buffer

export class T4Decoder {
  private width = 0;
  private mmr = false;
  private codingIsMr = false; // T.4 rows carry a tag bit after each EOL
  private eol = true; // T.4 rows are delimited by EOLs
  private byteAlign = false; // each row starts on a byte boundary (no-EOL T.4 and MMR)
  private lsbIn = true;
  private expectedRows = 0;
  private maxRows = 16384;
  private onRow: ((row: Uint8Array, bad: boolean) => void) | undefined;

  private buf = new Uint8Array(4096 + SLACK);
  private len = 0; // whole bytes in buf
  private partBits = 0; // bits of buf[len] already filled by putBit
  private zerosIn = 0; // zeros just fed by putBit: an EOL arriving is a moment to decode
  private pos = 0; // next unread bit
  private retryUnread = 0; // do not try again until this many bits are unread
  private final = false;

  private synced = false; // T.4: first EOL found
  private eolRun = 0; // consecutive EOLs just read (T.4)
  private errPos = 0;
  private scanGarbage = false;
  private scanZeros = 0;

  private ref = new Int32Array(0); // changes of the last good row (+ sentinels)
  private cur = new Int32Array(0);
  private curCount = 0;
  private lastRow = new Uint8Array(0); // last good row, packed

  private stats: DecodeStats = { rows: 0, badRows: 0, maxConsecutiveBadRows: 0, rtcSeen: false, done: false };
  private consecutiveBad = 0;

  constructor(setup: DecodeSetup) {
    this.restart(setup);
  }

  restart(setup: DecodeSetup): void {
    if (!(Number.isInteger(setup.width) && setup.width > 0 && setup.width <= 65535)) {
      throw new Error(`t4 decode: bad width ${setup.width}`);
    }
    this.width = setup.width;
    this.mmr = setup.coding === 'mmr';
    this.codingIsMr = setup.coding === 'mr';
    this.eol = setup.eol ?? true;
    this.byteAlign = setup.byteAlign ?? false;
    this.lsbIn = (setup.fillOrder ?? 2) === 2;
    if (setup.rows !== undefined && !(Number.isInteger(setup.rows) && setup.rows >= 0)) throw new Error(`t4 decode: bad rows ${setup.rows}`);
    if (setup.maxRows !== undefined && !(Number.isInteger(setup.maxRows) && setup.maxRows >= 1)) throw new Error(`t4 decode: bad maxRows ${setup.maxRows}`);
    this.expectedRows = setup.rows ?? 0;
    this.maxRows = this.expectedRows > 0 ? this.expectedRows : setup.maxRows ?? 16384;
    this.onRow = setup.onRow;
    this.buf.fill(0);
    this.len = 0;
    this.partBits = 0;
    this.zerosIn = 0;
    this.pos = 0;
    this.retryUnread = 0;
    this.final = false;
    this.synced = !this.eol && !this.mmr; // only EOL-delimited T.4 starts by looking for an EOL
    this.eolRun = 0;
    const cap = changesCapacity(this.width);
    if (this.ref.length !== cap) {
      this.ref = new Int32Array(cap);
      this.cur = new Int32Array(cap);
    }
    this.ref.fill(this.width); // imaginary white row above the first
    this.curCount = 0;
    this.lastRow = new Uint8Array(strideOf(this.width));
    this.stats = { rows: 0, badRows: 0, maxConsecutiveBadRows: 0, rtcSeen: false, done: false };
    this.consecutiveBad = 0;
  }

  /** Counts so far (a live object; read it, do not modify it). */
  get result(): Readonly<DecodeStats> {
    return this.stats;
  }

  /** One bit in transmission order. */
  putBit(bit: number): void {
    if (this.stats.done) return;
    if (bit) {
      this.buf[this.len] |= 0x80 >> this.partBits;
      // A row (T.4) or the page (EOFB) may have just completed: decode now, not after backoff.
      if (this.zerosIn >= 11) this.retryUnread = 0;
      this.zerosIn = 0;
    } else {
      this.zerosIn++;
    }
    if (++this.partBits === 8) {
      this.partBits = 0;
      this.len++;
      this.ensureRoom(1);
    }
    if (this.unread() >= this.retryUnread) this.process();
  }

  /** Bytes in the configured fill order. */
  putBytes(bytes: Uint8Array, offset = 0, length = bytes.length - offset): void {
    if (this.stats.done) return;
    const end = offset + length;
    if (this.partBits !== 0) {
      for (let i = offset; i < end; i++) {
        const b = this.lsbIn ? REVERSE[bytes[i]] : bytes[i];
        for (let k = 7; k >= 0; k--) this.putBit((b >> k) & 1);
      }
      return;
    }
    this.ensureRoom(length);
    const buf = this.buf;
    let n = this.len;
    if (this.lsbIn) for (let i = offset; i < end; i++) buf[n++] = REVERSE[bytes[i]];
    else buf.set(bytes.subarray(offset, end), n);
    this.len += length;
    if (this.unread() >= this.retryUnread) this.process();
  }

  /** No more data: decode what is left, fill missing expected rows, and return the counts. */
  end(): Readonly<DecodeStats> {
    if (!this.stats.done) {
      this.final = true;
      this.process();
      if (!this.stats.done) this.stats.done = true;
    }
    if (this.expectedRows > 0 && this.stats.rows < this.expectedRows) {
      if (!this.stats.error) this.stats.error = `data ended after ${this.stats.rows} of ${this.expectedRows} rows`;
      while (this.stats.rows < this.expectedRows) this.emit(false);
    }
    return this.stats;
  }

  // ---- buffer ----

  private unread(): number {
    return this.len * 8 + this.partBits - this.pos;
  }

  private ensureRoom(extra: number): void {
    const consumed = this.pos >> 3;
    if (this.len + extra + SLACK <= this.buf.length) return;
    if (consumed > 0 && consumed >= this.len >> 1) {
      // Drop consumed bytes (plus the partial byte and slack, which move along).
      this.buf.copyWithin(0, consumed, this.len + SLACK);
      this.buf.fill(0, this.len - consumed + SLACK);
      this.len -= consumed;
      this.pos -= consumed * 8;
      if (this.len + extra + SLACK <= this.buf.length) return;
    }
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra + SLACK + 4096));
    bigger.set(this.buf.subarray(0, this.len + 1));
    this.buf = bigger;
  }

  private peek13(p: number): number {
    const i = p >> 3;
    const b = this.buf;
    return (((b[i] << 16) | (b[i + 1] << 8) | b[i + 2]) >>> (11 - (p & 7))) & 0x1fff;
  }

  private bitAt(p: number): number {
    return (this.buf[p >> 3] >> (7 - (p & 7))) & 1;
  }

  // ---- driver ----

  private process(): void {
    while (!this.stats.done) {
      const avail = this.len * 8 + this.partBits;
      if (!this.final && avail - this.pos < this.retryUnread) return;
      const r = this.mmr ? this.stepMmr(avail) : this.eol ? this.stepT4(avail) : this.stepNoEol(avail);
      if (r === NEED) {
        const unread = avail - this.pos;
        // Geometric backoff keeps re-decoding linear; the cap bounds the wait for a row.
        this.retryUnread = Math.min(Math.max(unread * 2, unread + 64), unread + 2048);
        return;
      }
      this.retryUnread = 0;
    }
  }

  /** Count a row and hand it out: the decoded one if good, else the last good row again. */
  private emit(good: boolean): void {
    const s = this.stats;
    if (good) {
      renderChanges(this.cur, this.curCount, this.width, this.lastRow, 0);
      const t = this.ref;
      this.ref = this.cur;
      this.cur = t;
      this.consecutiveBad = 0;
    } else {
      s.badRows++;
      this.consecutiveBad++;
      if (this.consecutiveBad > s.maxConsecutiveBadRows) s.maxConsecutiveBadRows = this.consecutiveBad;
    }
    s.rows++;
    if (this.onRow) this.onRow(this.lastRow, !good);
    if (s.rows >= this.maxRows) {
      if (this.expectedRows === 0) s.error = `stopped at the ${this.maxRows}-row limit`;
      s.done = true;
    }
  }

  /** True if any bit from p to avail is set. */
  private anyOnes(p: number, avail: number): boolean {
    for (; p < avail; p++) if (this.bitAt(p)) return true;
    return false;
  }

  /**
   * From p, skip to just past the next EOL (>= 11 zeros then a 1). Sets scanGarbage if any 1 bits
   * were skipped, scanZeros to the trailing zero count when it runs out (then returns NEED).
   */
  private scanEol(p: number, avail: number): number {
    // The usual case: the EOL follows at once, with no fill.
    if (p + 12 <= avail && this.peek13(p) >> 1 === 1) {
      this.scanGarbage = false;
      return p + 12;
    }
    const buf = this.buf;
    let zeros = 0;
    let garbage = false;
    while (p < avail) {
      if ((p & 7) === 0 && p + 8 <= avail && buf[p >> 3] === 0) {
        zeros += 8;
        p += 8;
        continue;
      }
      const bit = (buf[p >> 3] >> (7 - (p & 7))) & 1;
      p++;
      if (bit) {
        if (zeros >= 11) {
          this.scanGarbage = garbage;
          return p;
        }
        garbage = true;
        zeros = 0;
      } else {
        zeros++;
      }
    }
    this.scanGarbage = garbage;
    this.scanZeros = zeros;
    return NEED;
  }

  /** Is there an EOL (zeros then a 1, at least 11 zeros) right at p? Position after it, NOT_EOL or NEED. */
  private eolAt(p: number, avail: number): number {
    let zeros = 0;
    while (p < avail) {
      if (this.bitAt(p++)) return zeros >= 11 ? p : NOT_EOL;
      zeros++;
    }
    return NEED;
  }

  /** Skip to just past the next EOL: the page start in T.4, or resynchronising after a bad row. */
  private stepSync(avail: number): number {
    const s = this.stats;
    const e = this.scanEol(this.pos, avail);
    if (e === NEED) {
      // Everything before the trailing zeros is junk; do not scan it again.
      this.pos = avail - this.scanZeros;
      if (this.final) {
        if (s.rows === 0) s.error = 'no EOL found: not T.4 data, or the wrong coding or fill order';
        s.done = true;
        return OK;
      }
      return NEED;
    }
    this.pos = e;
    this.synced = true;
    this.eolRun = 1;
    return OK;
  }

  private stepT4(avail: number): number {
    const s = this.stats;
    if (!this.synced) return this.stepSync(avail);
    // Just past an EOL. Read the tag bit (MR), then either more EOLs (RTC) or a row.
    let p = this.pos;
    let eolRun = this.eolRun;
    let twoD = false;
    for (;;) {
      if (this.codingIsMr) {
        if (p >= avail) return this.endOrNeed(eolRun);
        twoD = this.bitAt(p) === 0;
        p++;
      }
      const e = this.eolAt(p, avail);
      if (e === NEED) return this.endOrNeed(eolRun);
      if (e === NOT_EOL) break;
      p = e;
      if (++eolRun >= 6) {
        this.pos = p;
        s.rtcSeen = true;
        s.done = true;
        return OK;
      }
    }
    const r = twoD ? this.decode2D(p, avail) : this.decode1D(p, avail);
    // After three EOLs in a row the page is ending: junk here is a damaged RTC EOL, not a row.
    const inRtc = eolRun >= 3 && this.expectedRows === 0;
    if (r === NEED) return inRtc ? this.endOrNeed(eolRun) : this.endInsideRow(p, avail);
    let good = r >= 0;
    let q = good ? r : this.errPos;
    if (good) q = this.skipZeroRuns(q, avail);
    if (this.expectedRows > 0 && s.rows + 1 >= this.expectedRows) {
      this.pos = q;
      this.emit(good);
      return OK;
    }
    const e = this.scanEol(q, avail);
    if (e === NEED) {
      if (!this.final) {
        if ((good && !this.scanGarbage) || inRtc) return NEED; // the row stands or falls with what follows
        // Already bad: count it now and look for the EOL from here, without rescanning the row.
        this.pos = q;
        this.synced = false;
        this.emit(false);
        return OK;
      }
      // Last row of the data, not followed by an EOL: it stands if only fill followed it.
      this.pos = avail;
      if (!inRtc || (good && !this.scanGarbage)) this.emit(good && !this.scanGarbage);
      else s.rtcSeen = true;
      s.done = true;
      return OK;
    }
    if (this.scanGarbage) good = false;
    this.pos = e;
    if (!good && inRtc) {
      // The damaged EOL and the one just found both belong to the RTC.
      this.eolRun = eolRun + 2;
      if (this.eolRun >= 6) {
        s.rtcSeen = true;
        s.done = true;
      }
      return OK;
    }
    this.eolRun = 1;
    this.emit(good);
    return OK;
  }

  /** Data ended inside a row: a loss only if it held anything but fill. */
  private endInsideRow(p: number, avail: number): number {
    if (!this.final) return NEED;
    if (this.anyOnes(p, avail)) this.emit(false);
    this.pos = avail;
    this.stats.done = true;
    return OK;
  }

  /**
   * T.4 codes without EOLs between rows (PDF EndOfLine false, TIFF CCITT RLE): rows back to back,
   * each on a byte boundary if byteAlign; EOLs before a row are allowed and skipped, two or more
   * in a row end the page. A bad row cannot be delimited, so decoding resynchronises at the next
   * EOL, if there is one.
   */
  private stepNoEol(avail: number): number {
    const s = this.stats;
    if (!this.synced) return this.stepSync(avail);
    let p = this.byteAlign ? (this.pos + 7) & ~7 : this.pos;
    let eols = 0;
    for (;;) {
      // Eight zeros start no code: an EOL, or fill/padding.
      if (this.peek13(p) >> 5 !== 0) break;
      const e = this.eolAt(p, avail);
      if (e === NEED) return this.endOrNeed();
      if (e === NOT_EOL) break;
      p = e;
      if (this.codingIsMr && p < avail && this.bitAt(p) === 1 && this.peek13(p + 1) >> 5 === 0) p++; // RTC's EOL+1
      if (++eols >= 2) {
        this.pos = p;
        s.rtcSeen = true;
        s.done = true;
        return OK;
      }
    }
    let twoD = false;
    if (this.codingIsMr) {
      if (p >= avail) return this.endOrNeed();
      twoD = this.bitAt(p) === 0;
      p++;
    }
    const r = twoD ? this.decode2D(p, avail) : this.decode1D(p, avail);
    if (r === NEED) return this.endInsideRow(p, avail);
    if (r === ERR) {
      this.pos = this.errPos;
      this.synced = false;
      this.emit(false);
      return OK;
    }
    this.pos = r;
    this.emit(true);
    return OK;
  }

  /**
   * Some encoders end a complete row with a zero-length run (white 0 '00110101' or black 0
   * '0000110111') before the EOL, e.g. libtiff's miniswhite-1c-1b.g3; it is harmless, not damage.
   */
  private skipZeroRuns(q: number, avail: number): number {
    while (q + 10 <= avail) {
      const bits = this.peek13(q);
      if (bits >> 5 === 0x35) q += 8;
      else if (bits >> 3 === 0x37) q += 10;
      else break;
    }
    return q;
  }

  /** Out of data between rows: wait, or end the page (a damaged RTC if three EOLs came last). */
  private endOrNeed(eolRun = 0): number {
    if (!this.final) return NEED;
    this.pos = this.len * 8 + this.partBits;
    if (eolRun >= 3) this.stats.rtcSeen = true;
    this.stats.done = true;
    return OK;
  }

  private stepMmr(avail: number): number {
    const s = this.stats;
    const p = this.byteAlign ? (this.pos + 7) & ~7 : this.pos;
    // Seven or more zeros cannot start a row: EOFB, or padding at the end.
    if ((this.peek13(p) >> 6) === 0) {
      const e = this.eolAt(p, avail);
      if (e === NEED) {
        if (!this.final) return NEED;
        this.pos = avail;
        s.done = true;
        return OK;
      }
      if (e !== NOT_EOL) {
        this.pos = e;
        s.rtcSeen = true;
        s.done = true;
        return OK;
      }
    }
    const r = this.decode2D(p, avail);
    if (r === NEED) {
      if (!this.final) return NEED;
      if (this.anyOnes(p, avail)) {
        this.emit(false);
        s.error = `MMR data ended inside row ${s.rows}`;
      }
      this.pos = avail;
      s.done = true;
      return OK;
    }
    if (r === ERR) {
      this.pos = this.errPos;
      const row = s.rows;
      this.emit(false);
      s.error = `MMR data error in row ${row}: T.6 cannot resynchronise`;
      s.done = true;
      return OK;
    }
    this.pos = r;
    this.emit(true);
    return OK;
  }

  /** A code could not be read at p: out of data (wait) or an error. */
  private fail(p: number, avail: number): number {
    if (p + 13 > avail && !this.final) return NEED;
    this.errPos = p;
    return ERR;
  }

  private runLen = 0; // length of the run readRun just read

  /** Read one run (make-up codes then a terminating code) of colour `black` at p. */
  private readRun(p: number, avail: number, black: number): number {
    const table = black ? BLACK_LOOKUP : WHITE_LOOKUP;
    const width = this.width;
    let run = 0;
    for (;;) {
      const e = table[this.peek13(p)];
      const v = e & 0xffff;
      if (v === DEC_INVALID || v === DEC_EOL) return this.fail(p, avail);
      p += e >>> 16;
      if (p > avail) return this.final ? this.failAt(p) : NEED;
      run += v;
      if (v < 64) break;
      if (run > width) return this.failAt(p);
    }
    this.runLen = run;
    return p;
  }

  private failAt(p: number): number {
    this.errPos = p;
    return ERR;
  }

  /** Decode a 1-D (MH) row at p into cur; returns the position after it, NEED or ERR. */
  private decode1D(p: number, avail: number): number {
    const width = this.width;
    const cur = this.cur;
    let a0 = 0;
    let color = 0;
    let n = 0;
    for (;;) {
      p = this.readRun(p, avail, color);
      if (p < 0) return p;
      a0 += this.runLen;
      if (a0 > width) return this.failAt(p);
      if (a0 === width) break;
      if (n > 0 && cur[n - 1] === a0) n--;
      else cur[n++] = a0;
      color ^= 1;
    }
    for (let i = 0; i < CHANGE_SENTINELS; i++) cur[n + i] = width;
    this.curCount = n;
    return p;
  }

  /** Decode a 2-D (MR/MMR) row at p against ref into cur; returns the position after it, NEED or ERR. */
  private decode2D(p: number, avail: number): number {
    const width = this.width;
    const cur = this.cur;
    const ref = this.ref;
    let a0 = -1;
    let color = 0;
    let n = 0;
    let bi = 0;
    while (a0 < width) {
      while (bi > 0 && ref[bi - 1] > a0) bi--;
      while (ref[bi] <= a0) bi++;
      if ((bi & 1) !== color) bi++;
      const e = MODE_LOOKUP[this.peek13(p) >> 6];
      const m = e & 0xffff;
      if (m === DEC_INVALID || m === M_EXTENSION) return this.fail(p, avail);
      p += e >>> 16;
      if (p > avail) return this.final ? this.failAt(p) : NEED;
      if (m === M_PASS) {
        a0 = ref[bi + 1];
      } else if (m === M_HORIZONTAL) {
        p = this.readRun(p, avail, color);
        if (p < 0) return p;
        const a1 = (a0 < 0 ? 0 : a0) + this.runLen;
        p = this.readRun(p, avail, color ^ 1);
        if (p < 0) return p;
        const a2 = a1 + this.runLen;
        if (a2 > width) return this.failAt(p);
        if (a1 < width) {
          if (n > 0 && cur[n - 1] === a1) n--;
          else cur[n++] = a1;
        }
        if (a2 < width) {
          if (n > 0 && cur[n - 1] === a2) n--;
          else cur[n++] = a2;
        }
        a0 = a2;
      } else {
        const a1 = ref[bi] + VERTICAL_DELTA[m];
        if (a1 <= a0 || a1 > width) return this.failAt(p);
        if (a1 < width) cur[n++] = a1;
        a0 = a1;
        color ^= 1;
      }
    }
    for (let i = 0; i < CHANGE_SENTINELS; i++) cur[n + i] = width;
    this.curCount = n;
    return p;
  }
}

/** The decoder's set-up (rows: expected height; without it the page ends at RTC/EOFB or the end of the data), plus the image's resolution. */
export interface DecodeImageOptions extends Omit<DecodeSetup, 'onRow'> {
  xDpi?: number;
  yDpi?: number;
}

export interface DecodeImageResult extends DecodeStats {
  image: BilevelImage;
}

/** Decode a whole page held in memory. Never throws on bad data (only on bad options). */
export function decodeImage(bytes: Uint8Array, opts: DecodeImageOptions): DecodeImageResult {
  const stride = strideOf(opts.width);
  let data = new Uint8Array(stride * Math.max(1, opts.rows || 64));
  let height = 0;
  const dec = createDecoder({
    width: opts.width, coding: opts.coding, fillOrder: opts.fillOrder, rows: opts.rows, maxRows: opts.maxRows,
    eol: opts.eol, byteAlign: opts.byteAlign,
    onRow(row) {
      if ((height + 1) * stride > data.length) {
        const bigger = new Uint8Array(Math.max(data.length * 2, (height + 1) * stride));
        bigger.set(data);
        data = bigger;
      }
      data.set(row, height * stride);
      height++;
    },
  });
  dec.putBytes(bytes);
  const stats = dec.end();
  const image: BilevelImage = {
    width: opts.width, height, data: data.slice(0, height * stride), xDpi: opts.xDpi ?? 204, yDpi: opts.yDpi ?? 98,
  };
  return { ...stats, image };
}

/** A decoder for one page (same as `new T4Decoder(setup)`). */
export function createDecoder(setup: DecodeSetup): T4Decoder {
  return new T4Decoder(setup);
}
