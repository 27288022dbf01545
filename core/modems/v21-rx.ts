/**
 * V.21 FSK demodulator, 300 bit/s, with carrier detect and bit clock recovery.
 *
 * How: two complex correlators (mark and space frequency) summed over a sliding window of one
 * bit (27 samples, a moving sum kept with a ring buffer). Their energy difference is the soft
 * bit; its sign flips half a bit after each line transition, so a bit clock (a fractional counter
 * like the transmitter's) is nudged toward sampling half a bit after every sign change, and a bit
 * is emitted each time the clock wraps. The energy sum, smoothed, is the in-band power used for
 * carrier detect with spandsp's hysteresis (on above -43 dBm0, off below -48 dBm0), so wideband
 * noise counts only for the part of it that falls in the channel. The window is ~300 Hz wide, so
 * a +-10 Hz carrier offset costs nothing measurable.
 * Bits go to `putBit`; carrier-up/down go to `onStatus` (time in samples since restart).
 */
import type { ModemReceiver, PutBit, StatusHandler } from './types';
import { SAMPLE_RATE, meanSquareForDbm0 } from '../dsp/level';
import { COS_TABLE } from '../dsp/nco';
import { V21_BAUD, V21_CH1, V21_CH2 } from './v21-tx';

export interface V21RxOptions {
  channel?: 1 | 2;
  /** Carrier on above this in-band level, dBm0 (default -43). */
  carrierOnDbm0?: number;
  /** Carrier off below this level, dBm0 (default -48). */
  carrierOffDbm0?: number;
}

const N = Math.round(SAMPLE_RATE / V21_BAUD); // 27: correlation window, one bit
const TABLE = COS_TABLE.length - 1; // 1024 entries per cycle
const ZEROS = new Float32Array(1024); // lost audio is fed as silence

export class V21Receiver implements ModemReceiver {
  // Oscillator phases as table indices scaled by 2^20 for exact integer stepping.
  private markPh = 0;
  private spacePh = 0;
  private markInc = 0;
  private spaceInc = 0;
  // Ring buffers of the last N correlator products and their running sums.
  private readonly ring = new Float64Array(4 * N);
  private ringPos = 0;
  private mI = 0;
  private mQ = 0;
  private sI = 0;
  private sQ = 0;
  private power = 0; // smoothed in-band mean square
  private onLevel = 0;
  private offLevel = 0;
  private carrier = false;
  private lastSoft = 0;
  private baudAcc = 0;
  private transitions = 0;
  private settle = 0; // samples before the correlators hold a full window of signal
  /** Samples processed since restart (the time base of status events). */
  sample = 0;

  constructor(
    private readonly putBit: PutBit,
    private readonly onStatus: StatusHandler = () => {},
    opts: V21RxOptions = {},
  ) {
    this.restart(opts);
  }

  restart(opts: V21RxOptions = {}): void {
    const f = opts.channel === 1 ? V21_CH1 : V21_CH2;
    this.markInc = Math.round((f.mark / SAMPLE_RATE) * TABLE * 1048576);
    this.spaceInc = Math.round((f.space / SAMPLE_RATE) * TABLE * 1048576);
    this.markPh = 0;
    this.spacePh = 0;
    this.ring.fill(0);
    this.ringPos = 0;
    this.mI = this.mQ = this.sI = this.sQ = 0;
    this.power = 0;
    // Correlator energy (|C|^2 * 2 / N^2) of a tone equals its mean square.
    this.onLevel = meanSquareForDbm0(opts.carrierOnDbm0 ?? -43);
    this.offLevel = meanSquareForDbm0(opts.carrierOffDbm0 ?? -48);
    this.carrier = false;
    this.lastSoft = 0;
    this.baudAcc = 0;
    this.settle = N;
    this.sample = 0;
  }

  /** True while the carrier is detected. */
  get carrierOn(): boolean {
    return this.carrier;
  }

  /** Smoothed in-band power in dBm0. */
  get powerDbm0(): number {
    return this.power > 0 ? 10 * Math.log10(this.power) + 6.16 : -Infinity;
  }

  rx(samples: Float32Array, offset = 0, length = samples.length - offset): void {
    const end = offset + length;
    const ring = this.ring;
    const mask = 1048576 * TABLE;
    const scale = 2 / (N * N);
    for (let i = offset; i < end; i++) {
      let x = samples[i]!;
      if (!(x === x)) x = 0; // NaN would poison the running sums forever
      const mp = this.markPh;
      const sp = this.spacePh;
      const mk = (mp / 1048576) | 0;
      const sk = (sp / 1048576) | 0;
      // cos at index k, sin = cos at k - TABLE/4
      const mc = COS_TABLE[mk]!;
      const ms = COS_TABLE[(mk + (TABLE * 3) / 4) % TABLE]!;
      const sc = COS_TABLE[sk]!;
      const ss = COS_TABLE[(sk + (TABLE * 3) / 4) % TABLE]!;
      this.markPh = (mp + this.markInc) % mask;
      this.spacePh = (sp + this.spaceInc) % mask;

      const p = this.ringPos;
      const a = x * mc, b = x * ms, c = x * sc, d = x * ss;
      this.mI += a - ring[p]!;
      this.mQ += b - ring[p + 1]!;
      this.sI += c - ring[p + 2]!;
      this.sQ += d - ring[p + 3]!;
      ring[p] = a; ring[p + 1] = b; ring[p + 2] = c; ring[p + 3] = d;
      this.ringPos = p + 4 === ring.length ? 0 : p + 4;

      const em = (this.mI * this.mI + this.mQ * this.mQ) * scale;
      const es = (this.sI * this.sI + this.sQ * this.sQ) * scale;
      // About 3 ms smoothing: fast enough for the 75 ms gaps of T.30, slow enough to ride over transitions.
      this.power += (em + es - this.power) * 0.04;
      this.sample++;
      if (this.settle > 0) this.settle--;

      if (!this.carrier) {
        if (this.power > this.onLevel && this.settle === 0) {
          this.carrier = true;
          this.baudAcc = SAMPLE_RATE / 2;
          this.lastSoft = em - es;
          this.transitions = 0;
          this.onStatus({ kind: 'carrier-up', sample: this.sample });
        }
        continue;
      }
      if (this.power < this.offLevel) {
        this.carrier = false;
        this.onStatus({ kind: 'carrier-down', sample: this.sample });
        continue;
      }
      const soft = em - es;
      if ((soft > 0) !== (this.lastSoft > 0)) {
        // A sign change should fall half a bit before the sampling instant (baudAcc = 4000).
        // Pull hard on the first transitions after carrier-up, gently afterwards (noise jitter).
        this.baudAcc += (SAMPLE_RATE / 2 - this.baudAcc) * (this.transitions < 16 ? 0.5 : 0.15);
        this.transitions++;
      }
      this.lastSoft = soft;
      this.baudAcc += V21_BAUD;
      if (this.baudAcc >= SAMPLE_RATE) {
        this.baudAcc -= SAMPLE_RATE;
        this.putBit(soft > 0 ? 1 : 0);
      }
    }
  }

  /** Lost audio: treated as silence of `n` samples (the carrier drops if it was up). */
  fillin(n: number): void {
    let left = n;
    while (left > 0) {
      const k = Math.min(left, ZEROS.length);
      this.rx(ZEROS, 0, k);
      left -= k;
    }
  }
}
