/**
 * HDLC deframer for T.30: bits in (LSB first, as the V.21 or fast demodulator hands them over),
 * frames out. It hunts for the flag 01111110, removes the 0 stuffed after five 1s, treats seven
 * or more 1s as an abort, and hands every octet-aligned frame between two flags to `onFrame`
 * with its FCS stripped and a verdict on it: bad-FCS frames are reported, never dropped silently
 * and never accepted as good. Runts, over-long and non-octet frames come out as status events.
 *
 * How: a counter of consecutive 1s classifies each bit (data, stuffed 0, flag, abort); data bits
 * are packed LSB first into a preallocated buffer. At a flag the last 6 bits packed are the
 * flag's own leading "0111111"-minus-one, so the frame is the first (count - 6) bits.
 * Any bit sequence is valid input: nothing throws, nothing grows without bound.
 */
import { checkFcs } from './crc16';

export type HdlcRxEvent =
  /** `syncFlags` consecutive flags seen: the preamble is there (framing acquired). */
  | { kind: 'framing-ok'; bit: number }
  /** Seven or more 1s inside a frame: the sender aborted it (or the carrier went to noise). */
  | { kind: 'abort'; bit: number }
  /** Something between flags that is not a frame: too short, too long, or not whole octets. */
  | { kind: 'bad-frame'; bit: number; reason: 'short' | 'too-long' | 'not-octets'; bits: number };

export interface HdlcRxOptions {
  /** Longest frame accepted, bytes including FCS (ECM FCD frames are 4 + 256 + 2). Default 400. */
  maxBytes?: number;
  /** Shortest frame reported, bytes including FCS (T.30: address, control, FCF + FCS = 5). Default 5. */
  minBytes?: number;
  /** Consecutive flags that count as framing acquired. Default 2. */
  syncFlags?: number;
  /**
   * Report frames only after framing was acquired (`syncFlags` flags in a row since the last
   * abort). A recording analyser sets this so a V.21 demodulator listening to a fast modem's
   * signal cannot turn random bits into frames. Default false.
   */
  requireFraming?: boolean;
}

/**
 * Called for every frame: `frame` is a fresh copy without the FCS; `bit` is the bit index (in
 * `bitCount` terms) of the end of its closing flag, `startBit` that of its first bit.
 */
export type FrameHandler = (frame: Uint8Array, fcsOk: boolean, bit: number, startBit: number) => void;

export class HdlcRx {
  private maxBytes = 400;
  private minBytes = 5;
  private syncFlags = 2;
  private buf = new Uint8Array(401);
  private nbits = 0; // data bits packed since the last flag
  private ones = 0;
  private inSync = false; // a flag has been seen since the last abort / too-long
  private flagRun = 0;
  private framingReported = false;
  private overflow = false;
  private requireFraming = false;
  private startBit = 0;
  /** Bits fed since the last restart (a clock in bits). */
  bitCount = 0;

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly onEvent: (ev: HdlcRxEvent) => void = () => {},
    opts: HdlcRxOptions = {},
  ) {
    this.restart(opts);
  }

  restart(opts: HdlcRxOptions = {}): void {
    this.maxBytes = Math.max(3, opts.maxBytes ?? 400);
    this.minBytes = Math.max(3, opts.minBytes ?? 5);
    this.syncFlags = Math.max(1, opts.syncFlags ?? 2);
    this.requireFraming = opts.requireFraming ?? false;
    this.startBit = 0;
    if (this.buf.length < this.maxBytes + 1) this.buf = new Uint8Array(this.maxBytes + 1);
    this.nbits = 0;
    this.ones = 0;
    this.inSync = false;
    this.flagRun = 0;
    this.framingReported = false;
    this.overflow = false;
    this.bitCount = 0;
  }

  /** True while framing is acquired (flags seen, no abort since). */
  get framing(): boolean {
    return this.inSync && this.flagRun >= this.syncFlags;
  }

  /** Feed one bit (0 or 1). Anything else is ignored (e.g. negative status values). */
  readonly putBit = (bit: number): void => {
    if (bit !== 0 && bit !== 1) return;
    this.bitCount++;
    if (bit === 1) {
      this.ones++;
      if (this.ones === 7) this.abort();
      if (this.ones >= 6) return; // part of a flag or an abort: not data
      this.pack(1);
      return;
    }
    // bit === 0
    const ones = this.ones;
    this.ones = 0;
    if (ones === 5) return; // stuffed zero
    if (ones === 6) {
      this.flag();
      return;
    }
    if (ones >= 7) return; // end of an abort / idle ones: a 0 starts the hunt for a flag
    this.pack(0);
  };

  private pack(b: number): void {
    if (!this.inSync || this.overflow) return;
    const n = this.nbits;
    if (n >= (this.maxBytes + 1) * 8) {
      this.overflow = true;
      this.onEvent({ kind: 'bad-frame', bit: this.bitCount, reason: 'too-long', bits: n });
      return;
    }
    const byte = n >> 3;
    if ((n & 7) === 0) this.buf[byte] = 0;
    if (b) this.buf[byte]! |= 1 << (n & 7);
    this.nbits = n + 1;
  }

  private flag(): void {
    if (this.inSync && !this.overflow) {
      const bits = this.nbits - 6;
      if (bits > 0) {
        this.flagRun = 0;
        if (bits & 7) {
          this.onEvent({ kind: 'bad-frame', bit: this.bitCount, reason: 'not-octets', bits });
        } else if (bits >> 3 < this.minBytes) {
          this.onEvent({ kind: 'bad-frame', bit: this.bitCount, reason: 'short', bits });
        } else if (!this.requireFraming || this.framingReported) {
          const len = bits >> 3;
          const ok = checkFcs(this.buf, 0, len);
          this.onFrame(this.buf.slice(0, len - 2), ok, this.bitCount, this.startBit);
        }
      }
    }
    this.inSync = true;
    this.overflow = false;
    this.nbits = 0;
    this.startBit = this.bitCount;
    this.flagRun++;
    if (this.flagRun >= this.syncFlags && !this.framingReported) {
      this.framingReported = true;
      this.onEvent({ kind: 'framing-ok', bit: this.bitCount });
    }
  }

  private abort(): void {
    // 7 ones: whatever was being collected is void. Report it only if it held data.
    if (this.inSync && !this.overflow && this.nbits > 6) this.onEvent({ kind: 'abort', bit: this.bitCount });
    this.inSync = false;
    this.overflow = false;
    this.nbits = 0;
    this.flagRun = 0;
    this.framingReported = false;
  }
}
