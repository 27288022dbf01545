/**
 * HDLC framer for T.30 (T.30 section 5.3, ISO 3309): a message is a preamble of flags (0x7E),
 * then frames separated by flags, then closing flags. Each frame's bytes and its CRC-16 FCS go
 * out LSB first with a 0 stuffed after every run of five 1s, so a flag never appears inside.
 *
 * It is a bit source: the modulator calls `getBit()`; after the closing flags of a message that
 * was ended with `endMessage()` it returns END_OF_DATA (and keeps doing so until more is queued).
 * If the queue runs dry before `endMessage()`, it sends flags (HDLC idle), never underruns.
 */
import { END_OF_DATA } from '../modems/types';
import { crc16 } from './crc16';

export interface HdlcTxOptions {
  /** Flags before the first frame of a message. T.30 asks for 1 s +-15 %: 38 flags at 300 bit/s. */
  preambleFlags?: number;
  /** Flags between two frames of one message (at least 1). */
  interFrameFlags?: number;
  /** Flags after the last frame before END_OF_DATA (at least 1). */
  closingFlags?: number;
}

const FLAG = 0x7e;

export class HdlcTx {
  private preambleFlags = 38;
  private interFrameFlags = 1;
  private closingFlags = 2;

  private readonly queue: Uint8Array[] = [];
  private ending = false;
  /** Flags still owed before the next frame / end. */
  private flagsDue = 0;
  private started = false;
  // Current frame being shifted out: bytes incl. FCS, position, bit within the byte.
  private cur: Uint8Array | null = null;
  private pos = 0;
  private bitInByte = 0;
  private ones = 0;
  // Current flag being shifted out (bits left of 0x7E).
  private flagBits = 0;
  private flagByte = 0;
  private finished = false;

  constructor(opts: HdlcTxOptions = {}) {
    this.restart(opts);
  }

  /** Drop everything queued and set the options for the next message. */
  restart(opts: HdlcTxOptions = {}): void {
    this.preambleFlags = Math.max(1, opts.preambleFlags ?? 38);
    this.interFrameFlags = Math.max(1, opts.interFrameFlags ?? 1);
    this.closingFlags = Math.max(1, opts.closingFlags ?? 2);
    this.queue.length = 0;
    this.ending = false;
    this.started = false;
    this.flagsDue = 0;
    this.cur = null;
    this.pos = 0;
    this.bitInByte = 0;
    this.ones = 0;
    this.flagBits = 0;
    this.finished = false;
  }

  /** Queue one frame (address, control, FCF, FIF; no FCS: it is added here). */
  queueFrame(frame: Uint8Array): void {
    if (frame.length === 0) throw new Error('HDLC: empty frame');
    const withFcs = new Uint8Array(frame.length + 2);
    withFcs.set(frame);
    const fcs = crc16(frame);
    withFcs[frame.length] = fcs & 0xff;
    withFcs[frame.length + 1] = fcs >>> 8;
    this.queue.push(withFcs);
    this.finished = false;
    this.ending = false;
  }

  /** After the queued frames, send the closing flags and then END_OF_DATA. */
  endMessage(): void {
    this.ending = true;
  }

  /** Convenience: a whole message (restart, queue every frame, end). */
  sendMessage(frames: Uint8Array[], opts: HdlcTxOptions = {}): void {
    this.restart(opts);
    for (const f of frames) this.queueFrame(f);
    this.endMessage();
  }

  /** True once END_OF_DATA has been returned for the message. */
  get done(): boolean {
    return this.finished;
  }

  /** Frames queued and not yet started. */
  get pending(): number {
    return this.queue.length + (this.cur ? 1 : 0);
  }

  /** The GetBit source: next bit (0/1) or END_OF_DATA. */
  readonly getBit = (): number => {
    if (this.finished) return END_OF_DATA;
    if (!this.started) {
      this.started = true;
      this.flagsDue = this.preambleFlags;
    }
    for (;;) {
      if (this.flagBits > 0) {
        const b = this.flagByte & 1;
        this.flagByte >>= 1;
        this.flagBits--;
        return b;
      }
      if (this.cur) {
        if (this.ones === 5) {
          this.ones = 0;
          if (this.pos === this.cur.length) this.endFrame();
          return 0; // stuffed bit
        }
        if (this.pos === this.cur.length) {
          this.endFrame();
          continue;
        }
        const b = (this.cur[this.pos]! >> this.bitInByte) & 1;
        if (++this.bitInByte === 8) {
          this.bitInByte = 0;
          this.pos++;
        }
        this.ones = b ? this.ones + 1 : 0;
        return b;
      }
      if (this.flagsDue > 0) {
        this.flagsDue--;
        this.startFlag();
        continue;
      }
      const next = this.queue.shift();
      if (next) {
        this.cur = next;
        this.pos = 0;
        this.bitInByte = 0;
        this.ones = 0;
        continue;
      }
      if (this.ending) {
        this.finished = true;
        return END_OF_DATA;
      }
      this.startFlag(); // idle: keep sending flags
    }
  };

  private endFrame(): void {
    this.cur = null;
    this.ones = 0;
    this.flagsDue = this.queue.length > 0 ? this.interFrameFlags : this.ending ? this.closingFlags : 1;
  }

  private startFlag(): void {
    this.flagByte = FLAG;
    this.flagBits = 8;
  }
}

/** The bits (0/1 per element) of a whole message, for tests and offline use. */
export function hdlcMessageBits(frames: Uint8Array[], opts: HdlcTxOptions = {}): Uint8Array {
  const tx = new HdlcTx(opts);
  tx.sendMessage(frames, opts);
  const bits: number[] = [];
  for (;;) {
    const b = tx.getBit();
    if (b === END_OF_DATA) break;
    bits.push(b);
  }
  return Uint8Array.from(bits);
}
