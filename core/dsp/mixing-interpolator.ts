/**
 * Mix-down and matched filter in one, for real passband input read only at chosen instants.
 *
 * A receiver mixes every input sample down by the carrier (x[i] e^{-j w i}) and then filters the
 * complex baseband with a polyphase bank h_p, but it reads the filter only at T/2 instants. The
 * output at newest sample n is
 *
 *   y = sum_k h_p[k] x[n-k] e^{-j w (n-k)} = e^{-j w n} * sum_k x[n-k] g_p[k],  g_p[k] = h_p[k] e^{+j w k}
 *
 * so this keeps the REAL samples (push is one store), filters them with the complex bank g_p
 * (the same number of multiplies as a real bank over complex samples) and rotates the one output
 * by e^{-j w n}. The carrier is a whole number of cycles in `period` samples (1800 Hz: 40,
 * 1700 Hz: 80 at 8000 Hz), so e^{-j w n} comes from a table indexed by n mod period: no mixer
 * phasor to advance per sample and none to renormalise.
 *
 * Time n counts samples since restart() (the first pushed sample is n = 0), as a mixer started at
 * phase 0 would. readRow(p) reads at p/phases samples before the newest sample, like
 * ComplexInterpolator.readRow; the result is left in outRe/outIm.
 */
import { carrierPeriod } from './nco';

export { carrierPeriod };

const CHUNK = 1024;

export class MixingInterpolator {
  readonly taps: number;
  readonly phases: number;
  /** (phases + 1) rows of `taps` complex coefficients g_p[k], interleaved re, im. */
  private readonly bank: Float64Array;
  /** Row views of the bank, taps reversed (oldest sample's tap first). */
  private readonly rows: Float64Array[] = [];
  /** e^{-j w m} for m = 0 .. period + cap - 1 (indexed by time0 + pos: no modulo per read). */
  private readonly rotRe: Float64Array;
  private readonly rotIm: Float64Array;
  private readonly period: number;
  /**
   * Real input in a linear buffer that grows forward; when full, the newest taps-1 samples are
   * copied back to the start (once per CHUNK samples), so a read walks back without wrapping.
   */
  private readonly hist: Float64Array;
  private readonly cap: number;
  private pos = 0; // index of the newest sample
  private time0 = 0; // time (mod period) of hist[0]
  outRe = 0;
  outIm = 0;

  /**
   * `realBank`: (phases + 1) rows of `taps` real coefficients (row p = delay p/phases sample,
   * e.g. rrcPolyphase); the carrier is removed at `carrierHz`.
   */
  constructor(realBank: Float64Array, taps: number, phases: number, carrierHz: number, sampleRate: number) {
    if (realBank.length !== (phases + 1) * taps) throw new Error('MixingInterpolator: bank size mismatch');
    this.taps = taps;
    this.phases = phases;
    const period = carrierPeriod(carrierHz, sampleRate);
    this.period = period;
    // angles from the exact cycle count mod period, so the table is as accurate as cos/sin
    const angle = (m: number): number => (2 * Math.PI * ((carrierHz * m) % sampleRate)) / sampleRate;
    this.cap = CHUNK + taps;
    this.rotRe = new Float64Array(period + this.cap);
    this.rotIm = new Float64Array(period + this.cap);
    for (let m = 0; m < period + this.cap; m++) {
      this.rotRe[m] = Math.cos(angle(m % period));
      this.rotIm[m] = -Math.sin(angle(m % period));
    }
    this.bank = new Float64Array(2 * realBank.length);
    for (let p = 0; p <= phases; p++) {
      for (let k = 0; k < taps; k++) {
        const h = realBank[p * taps + k]!;
        const i = 2 * (p * taps + (taps - 1 - k));
        this.bank[i] = h * Math.cos(angle(k));
        this.bank[i + 1] = h * Math.sin(angle(k));
      }
    }
    for (let p = 0; p <= phases; p++) this.rows.push(this.bank.subarray(2 * p * taps, 2 * (p + 1) * taps));
    this.hist = new Float64Array(this.cap);
    this.restart();
  }

  restart(): void {
    this.hist.fill(0);
    this.pos = this.taps - 1;
    // the first sample pushed (index taps) is time 0
    this.time0 = (this.period - (this.taps % this.period)) % this.period;
  }

  /**
   * Make room for `n` (<= CHUNK) samples without the history moving, so readRowAt can reach back
   * over them; returns the index in `history` where the first goes. Either push() them, or write
   * them at history[i .. i + n - 1] and commit(n): the same, without a field update per sample.
   */
  reserve(n: number): number {
    if (this.pos + n >= this.cap) {
      const keep = this.taps - 1;
      const moved = this.pos + 1 - keep;
      this.hist.copyWithin(0, moved, this.pos + 1);
      this.time0 = (this.time0 + moved) % this.period;
      this.pos = keep - 1;
    }
    return this.pos + 1;
  }

  /** The input history (see reserve). */
  get history(): Float64Array {
    return this.hist;
  }

  /** `n` samples written in place after reserve(n) are now the newest. */
  commit(n: number): void {
    this.pos += n;
  }

  push(x: number): void {
    let p = this.pos + 1;
    if (p === this.cap) {
      const keep = this.taps - 1;
      const moved = p - keep;
      this.hist.copyWithin(0, moved, p);
      this.time0 = (this.time0 + moved) % this.period;
      p = keep;
    }
    this.pos = p;
    this.hist[p] = x;
  }

  /** Baseband output at p/phases samples before the newest input (row p, clamped to 0..phases). */
  readRow(p: number): void {
    this.readRowAt(p, 0);
  }

  /** readRow(p) as it was `age` pushes ago (age < pushes since the last reserve() that covered them). */
  readRowAt(p: number, age: number): void {
    const n = this.taps;
    if (p < 0) p = 0;
    else if (p > this.phases) p = this.phases;
    const g = this.rows[p]!;
    const h = this.hist;
    const newest = this.pos - age;
    const b = newest - n + 1; // oldest sample of the span: tap n-1
    // two partial sums per component: shorter add chains, so the CPU can overlap them;
    // the row is stored oldest tap first so both arrays are walked forward by one index
    let ar0 = 0, ai0 = 0, ar1 = 0, ai1 = 0;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const x0 = h[b + j]!;
      const x1 = h[b + j + 1]!;
      ar0 += g[2 * j]! * x0;
      ai0 += g[2 * j + 1]! * x0;
      ar1 += g[2 * j + 2]! * x1;
      ai1 += g[2 * j + 3]! * x1;
    }
    if (j < n) {
      const x0 = h[b + j]!;
      ar0 += g[2 * j]! * x0;
      ai0 += g[2 * j + 1]! * x0;
    }
    const sr = ar0 + ar1;
    const si = ai0 + ai1;
    // rotate by e^{-j w n}, n = time of the newest sample
    const m = this.time0 + newest;
    const c = this.rotRe[m]!;
    const s = this.rotIm[m]!;
    this.outRe = sr * c - si * s;
    this.outIm = sr * s + si * c;
  }
}
