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
 */
export class ComplexEqualizer {
  readonly len: number;
  readonly tapRe: Float64Array;
  readonly tapIm: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private pos = 0;
  outRe = 0;
  outIm = 0;
  /** Mean square of the delay line contents (for normalisation). */
  private energy = 0;

  constructor(len: number) {
    this.len = len;
    this.tapRe = new Float64Array(len);
    this.tapIm = new Float64Array(len);
    this.re = new Float64Array(2 * len);
    this.im = new Float64Array(2 * len);
  }

  /** Clear the line and set a single tap at `centre` to (gRe, gIm). */
  restart(centre = this.len >> 1, gRe = 1, gIm = 0): void {
    this.re.fill(0);
    this.im.fill(0);
    this.tapRe.fill(0);
    this.tapIm.fill(0);
    this.tapRe[centre] = gRe;
    this.tapIm[centre] = gIm;
    this.pos = 0;
    this.energy = 0;
  }

  /** Set a single tap at `centre` to (gRe, gIm), keeping the delay line (a new training). */
  restartTaps(centre = this.len >> 1, gRe = 1, gIm = 0): void {
    this.tapRe.fill(0);
    this.tapIm.fill(0);
    this.tapRe[centre] = gRe;
    this.tapIm[centre] = gIm;
  }

  /** Multiply all taps by (gRe + j gIm) (e.g. to fold a gain or phase estimate in). */
  scaleTaps(gRe: number, gIm: number): void {
    for (let k = 0; k < this.len; k++) {
      const a = this.tapRe[k]!;
      const b = this.tapIm[k]!;
      this.tapRe[k] = a * gRe - b * gIm;
      this.tapIm[k] = a * gIm + b * gRe;
    }
  }

  push(re: number, im: number): void {
    const n = this.len;
    const old = this.pos === 0 ? n - 1 : this.pos - 1;
    // the sample falling off the end is the one at old + n (oldest); keep a running energy sum
    const fr = this.re[old + n]!;
    const fi = this.im[old + n]!;
    this.energy += re * re + im * im - fr * fr - fi * fi;
    if (this.energy < 0) this.energy = 0;
    this.pos = old;
    this.re[old] = re;
    this.re[old + n] = re;
    this.im[old] = im;
    this.im[old + n] = im;
  }

  /** Equalized output from the current delay line (tap k multiplies the k-th newest sample). */
  output(): void {
    const n = this.len;
    const tr = this.tapRe;
    const ti = this.tapIm;
    const re = this.re;
    const im = this.im;
    const b = this.pos;
    let ar = 0;
    let ai = 0;
    for (let k = 0; k < n; k++) {
      const xr = re[b + k]!;
      const xi = im[b + k]!;
      const cr = tr[k]!;
      const ci = ti[k]!;
      ar += cr * xr - ci * xi;
      ai += cr * xi + ci * xr;
    }
    this.outRe = ar;
    this.outIm = ai;
  }

  /** NLMS update towards reducing e = wanted - output: taps += mu * e * conj(x) / energy. */
  update(errRe: number, errIm: number, mu: number): void {
    const n = this.len;
    const s = mu / (this.energy + 1e-9);
    const er = errRe * s;
    const ei = errIm * s;
    const tr = this.tapRe;
    const ti = this.tapIm;
    const re = this.re;
    const im = this.im;
    const b = this.pos;
    for (let k = 0; k < n; k++) {
      const xr = re[b + k]!;
      const xi = im[b + k]!;
      // e * conj(x)
      tr[k] = tr[k]! + er * xr + ei * xi;
      ti[k] = ti[k]! + ei * xr - er * xi;
    }
  }

  /** Recompute the running energy (guards against float drift; call now and then). */
  refreshEnergy(): void {
    let e = 0;
    for (let k = 0; k < this.len; k++) {
      const xr = this.re[this.pos + k]!;
      const xi = this.im[this.pos + k]!;
      e += xr * xr + xi * xi;
    }
    this.energy = e;
  }
}
