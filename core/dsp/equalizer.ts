/**
 * Fractionally spaced (T/2) complex adaptive equalizer with normalized LMS.
 *
 * Feed it every T/2 matched-filter sample with push(); once per symbol call output() for the
 * equalized symbol (left in outRe/outIm), then update(errRe, errIm, mu) with the error
 * e = wanted - output (wanted: the known training symbol, or the decision). The step is
 * normalized by the power in the delay line so mu is scale-free (0.001 .. 0.1).
 * Taps are complex: the equalizer also absorbs a static carrier phase and gain.
 * Latency: with `centre` = len/2 the output for a symbol is ready centre/2 symbols after the
 * symbol's own T/2 sample entered the line.
 * Option `powerAverage`: normalise by len times a smoothed input power instead (V.17).
 */
export interface EqualizerOptions {
  /**
   * Normalise the step by len times a one-pole average of the input power (this coefficient per
   * sample pushed with pushInput()) instead of the delay line's exact energy, so one loud sample
   * (an impulse, a level step) does not swing the step size. Default 0: the exact energy.
   */
  powerAverage?: number;
  /** Lower bound of that average, so near-silence does not blow the step up (default 1e-9). */
  powerFloor?: number;
}

export class ComplexEqualizer {
  readonly len: number;
  /** Taps interleaved (re, im): tap k multiplies the k-th newest sample. */
  readonly taps: Float64Array;
  /** Delay line interleaved (re, im) and doubled, so any window of len samples is contiguous. */
  private readonly line: Float64Array;
  private pos = 0; // index (in complex samples) of the newest sample
  outRe = 0;
  outIm = 0;
  /** Mean square of the delay line contents (for normalisation). */
  private energy = 0;
  private readonly powerAlpha: number;
  private readonly powerFloor: number;
  /** The averaged input power (with `powerAverage`); restart() zeroes it, a caller may preset it. */
  power = 0;

  constructor(len: number, opts: EqualizerOptions = {}) {
    this.len = len;
    this.taps = new Float64Array(2 * len);
    this.line = new Float64Array(4 * len);
    this.powerAlpha = opts.powerAverage ?? 0;
    this.powerFloor = opts.powerFloor ?? 1e-9;
  }

  /** Clear the line and set a single tap at `centre` to (gRe, gIm). */
  restart(centre = this.len >> 1, gRe = 1, gIm = 0): void {
    this.line.fill(0);
    this.restartTaps(centre, gRe, gIm);
    this.pos = 0;
    this.energy = 0;
    this.power = 0;
  }

  /** Set a single tap at `centre` to (gRe, gIm), keeping the delay line (a new training). */
  restartTaps(centre = this.len >> 1, gRe = 1, gIm = 0): void {
    this.taps.fill(0);
    this.taps[2 * centre] = gRe;
    this.taps[2 * centre + 1] = gIm;
  }

  /** Tap k as a complex number. */
  tapRe(k: number): number {
    return this.taps[2 * k]!;
  }

  tapIm(k: number): number {
    return this.taps[2 * k + 1]!;
  }

  /** The k-th newest sample in the delay line (k = 0..len-1). */
  lineRe(k: number): number {
    return this.line[2 * (this.pos + k)]!;
  }

  lineIm(k: number): number {
    return this.line[2 * (this.pos + k) + 1]!;
  }

  /** Multiply all taps by (gRe + j gIm) (e.g. to fold a gain or phase estimate in). */
  scaleTaps(gRe: number, gIm: number): void {
    const t = this.taps;
    for (let k = 0; k < 2 * this.len; k += 2) {
      const a = t[k]!;
      const b = t[k + 1]!;
      t[k] = a * gRe - b * gIm;
      t[k + 1] = a * gIm + b * gRe;
    }
  }

  /** A sample into the delay line; the smoothed power (powerAverage) is left alone. */
  push(re: number, im: number): void {
    const power = this.power;
    this.inRe = re;
    this.inIm = im;
    this.pushInput();
    this.power = power;
  }

  /** The argument of pushInput(), set by the caller (fields: a hot caller passes no boxed doubles). */
  inRe = 0;
  inIm = 0;

  /**
   * The sample (inRe, inIm) into the delay line, and the smoothed power of the powerAverage option.
   * The hot callers use this form: a double passed to a call V8 does not inline is boxed.
   */
  pushInput(): void {
    const re = this.inRe;
    const im = this.inIm;
    const n = this.len;
    const old = this.pos === 0 ? n - 1 : this.pos - 1;
    const x = this.line;
    const o = 2 * (old + n);
    const fr = x[o]!;
    const fi = x[o + 1]!;
    this.energy += re * re + im * im - fr * fr - fi * fi;
    if (this.energy < 0) this.energy = 0;
    this.pos = old;
    x[2 * old] = re;
    x[2 * old + 1] = im;
    x[o] = re;
    x[o + 1] = im;
    this.power += (re * re + im * im - this.power) * this.powerAlpha;
  }

  /** Equalized output from the current delay line (tap k multiplies the k-th newest sample). */
  output(): void {
    const n2 = 2 * this.len;
    const t = this.taps;
    const x = this.line;
    const b = 2 * this.pos;
    // two partial sums per component (even and odd taps): shorter add chains for the CPU
    let ar0 = 0, ai0 = 0, ar1 = 0, ai1 = 0;
    let k = 0;
    for (; k + 3 < n2; k += 4) {
      const xr0 = x[b + k]!, xi0 = x[b + k + 1]!, cr0 = t[k]!, ci0 = t[k + 1]!;
      const xr1 = x[b + k + 2]!, xi1 = x[b + k + 3]!, cr1 = t[k + 2]!, ci1 = t[k + 3]!;
      ar0 += cr0 * xr0 - ci0 * xi0;
      ai0 += cr0 * xi0 + ci0 * xr0;
      ar1 += cr1 * xr1 - ci1 * xi1;
      ai1 += cr1 * xi1 + ci1 * xr1;
    }
    if (k < n2) {
      const xr0 = x[b + k]!, xi0 = x[b + k + 1]!, cr0 = t[k]!, ci0 = t[k + 1]!;
      ar0 += cr0 * xr0 - ci0 * xi0;
      ai0 += cr0 * xi0 + ci0 * xr0;
    }
    this.outRe = ar0 + ar1;
    this.outIm = ai0 + ai1;
  }

  /**
   * Output as if re/im[0..newest] had been pushed after the present line (to try alternatives
   * without touching the state); left in outRe/outIm. For rare paths (no unrolling).
   */
  probe(re: Float64Array, im: Float64Array, newest: number): void {
    const t = this.taps;
    const x = this.line;
    let ar = 0, ai = 0;
    for (let k = 0; k < this.len; k++) {
      let xr: number, xi: number;
      if (k <= newest) {
        xr = re[newest - k]!;
        xi = im[newest - k]!;
      } else {
        const j = 2 * (this.pos + k - newest - 1);
        xr = x[j]!;
        xi = x[j + 1]!;
      }
      const cr = t[2 * k]!, ci = t[2 * k + 1]!;
      ar += cr * xr - ci * xi;
      ai += cr * xi + ci * xr;
    }
    this.outRe = ar;
    this.outIm = ai;
  }

  /** NLMS update towards reducing e = wanted - output: taps += mu * e * conj(x) / energy. */
  update(errRe: number, errIm: number, mu: number): void {
    this.errRe = errRe;
    this.errIm = errIm;
    this.mu = mu;
    this.adapt();
  }

  /** Arguments of adapt(), set by the caller (fields: a hot caller passes no boxed doubles). */
  errRe = 0;
  errIm = 0;
  mu = 0;

  /** update(this.errRe, this.errIm, this.mu). */
  adapt(): void {
    const n2 = 2 * this.len;
    const s = this.powerAlpha === 0
      ? this.mu / (this.energy + 1e-9)
      : this.mu / (this.len * (this.power > this.powerFloor ? this.power : this.powerFloor));
    const er = this.errRe * s;
    const ei = this.errIm * s;
    const t = this.taps;
    const x = this.line;
    const b = 2 * this.pos;
    for (let k = 0; k < n2; k += 2) {
      const xr = x[b + k]!;
      const xi = x[b + k + 1]!;
      // e * conj(x)
      t[k] = t[k]! + er * xr + ei * xi;
      t[k + 1] = t[k + 1]! + ei * xr - er * xi;
    }
  }

  /** Recompute the running energy (guards against float drift; call now and then). */
  refreshEnergy(): void {
    const x = this.line;
    const b = 2 * this.pos;
    let e = 0;
    for (let k = 0; k < 2 * this.len; k += 2) {
      const xr = x[b + k]!;
      const xi = x[b + k + 1]!;
      e += xr * xr + xi * xi;
    }
    this.energy = e;
  }
}
