/**
 * Real FIR filter and biquad section with the DSP life cycle (constructor, restart, step/rx).
 * The FIR keeps its history twice (a mirrored ring) so every output is one contiguous dot
 * product with no modulo in the inner loop. Coefficients are fixed at construction.
 */

export class Fir {
  readonly taps: Float64Array;
  private readonly hist: Float64Array;
  private pos = 0;

  constructor(taps: ArrayLike<number>) {
    this.taps = Float64Array.from(taps);
    this.hist = new Float64Array(2 * this.taps.length);
  }

  restart(): void {
    this.hist.fill(0);
    this.pos = 0;
  }

  /** Push one sample, return the filtered output: sum_j taps[j] * x[n - j]. */
  step(x: number): number {
    const n = this.taps.length;
    const h = this.hist;
    // newest sample sits at pos (and pos + n); older samples follow at increasing index
    this.pos = this.pos === 0 ? n - 1 : this.pos - 1;
    h[this.pos] = x;
    h[this.pos + n] = x;
    const t = this.taps;
    const base = this.pos;
    let acc = 0;
    for (let j = 0; j < n; j++) acc += t[j]! * h[base + j]!;
    return acc;
  }

  /** Filter a block in place (or into `out`). */
  rx(x: Float32Array, out: Float32Array = x, offset = 0, length = x.length - offset): void {
    for (let i = offset; i < offset + length; i++) out[i] = this.step(x[i]!);
  }
}

/** Direct form I biquad: y = (b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2). */
export class Biquad {
  private x1 = 0; private x2 = 0; private y1 = 0; private y2 = 0;
  constructor(public b0: number, public b1: number, public b2: number, public a1: number, public a2: number) {}

  restart(): void { this.x1 = this.x2 = this.y1 = this.y2 = 0; }

  step(x: number): number {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1; this.x1 = x; this.y2 = this.y1; this.y1 = y;
    return y;
  }

  /** RBJ cookbook band-pass (0 dB peak gain) at f0 Hz with quality q. */
  static bandpass(f0: number, q: number, sampleRate = 8000): Biquad {
    const w = (2 * Math.PI * f0) / sampleRate;
    const alpha = Math.sin(w) / (2 * q);
    const a0 = 1 + alpha;
    return new Biquad(alpha / a0, 0, -alpha / a0, (-2 * Math.cos(w)) / a0, (1 - alpha) / a0);
  }

  /** RBJ cookbook low-pass at fc Hz with quality q. */
  static lowpass(fc: number, q = Math.SQRT1_2, sampleRate = 8000): Biquad {
    const w = (2 * Math.PI * fc) / sampleRate;
    const alpha = Math.sin(w) / (2 * q);
    const c = Math.cos(w);
    const a0 = 1 + alpha;
    return new Biquad((1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, (-2 * c) / a0, (1 - alpha) / a0);
  }
}
