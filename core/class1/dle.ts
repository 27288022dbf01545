/**
 * DLE shielding of Class 1 data (ITU-T T.31 / EIA-578). In data mode a lone <DLE> (0x10) is an
 * escape: <DLE><DLE> is one data 0x10, <DLE><ETX> ends the data, <DLE><SUB> (where enabled) is
 * two data 0x10s. Everything else after a <DLE> is a command the data stream ignores.
 */
export const DLE = 0x10;
export const ETX = 0x03;
export const SUB = 0x1a;

/** `data` with every DLE doubled and <DLE><ETX> appended: what the DTE writes after CONNECT. */
export function shieldDle(data: Uint8Array, terminate = true): Uint8Array {
  let dles = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === DLE) dles++;
  const out = new Uint8Array(data.length + dles + (terminate ? 2 : 0));
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    out[o++] = b;
    if (b === DLE) out[o++] = DLE;
  }
  if (terminate) { out[o++] = DLE; out[o++] = ETX; }
  return out;
}

/**
 * Streaming reader of shielded data: feed it chunks as they arrive; it collects the data bytes
 * and says where <DLE><ETX> ended the stream (bytes after it belong to the command stream).
 */
export class DleReader {
  private buf: Uint8Array;
  private len = 0;
  private pendingDle = false;
  /** true once <DLE><ETX> has been seen. */
  done = false;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
  }

  restart(): void {
    this.len = 0;
    this.pendingDle = false;
    this.done = false;
  }

  /** Consume bytes from `chunk[start..]`; returns the index just past <DLE><ETX>, or chunk.length. */
  feed(chunk: Uint8Array, start = 0): number {
    for (let i = start; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.pendingDle) {
        this.pendingDle = false;
        if (b === DLE) this.push(DLE);
        else if (b === SUB) { this.push(DLE); this.push(DLE); }
        else if (b === ETX) { this.done = true; return i + 1; }
        // Any other <DLE>x is an in-band command we do not use: dropped.
      } else if (b === DLE) {
        this.pendingDle = true;
      } else {
        this.push(b);
      }
    }
    return chunk.length;
  }

  /** The data bytes collected so far (a copy). */
  data(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  get length(): number {
    return this.len;
  }

  private push(b: number): void {
    if (this.len === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.len++] = b;
  }
}
