/**
 * Complex fractional-delay filter: a history of complex baseband samples and a polyphase bank
 * (e.g. `rrcPolyphase`), so a receiver can read the matched-filter output at any instant between
 * the last two input samples. This is how symbol timing recovery picks its sampling instants
 * without resampling the whole stream: only the T/2 outputs are ever computed.
 *
 * push(re, im) once per input sample; read(frac) returns the filter output for the time
 * `frac` samples (0 <= frac < 1) before the newest sample, leaving it in outRe/outIm.
 */
export class ComplexInterpolator {
  readonly taps: number;
  readonly phases: number;
  private readonly bank: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private pos = 0;
  outRe = 0;
  outIm = 0;

  /** `bank` has (phases + 1) rows of `taps` coefficients (row p = delay p/phases sample). */
  constructor(bank: Float64Array, taps: number, phases: number) {
    if (bank.length !== (phases + 1) * taps) throw new Error('ComplexInterpolator: bank size mismatch');
    this.bank = bank;
    this.taps = taps;
    this.phases = phases;
    this.re = new Float64Array(2 * taps);
    this.im = new Float64Array(2 * taps);
  }

  restart(): void {
    this.re.fill(0);
    this.im.fill(0);
    this.pos = 0;
  }

  push(re: number, im: number): void {
    const n = this.taps;
    this.pos = this.pos === 0 ? n - 1 : this.pos - 1;
    this.re[this.pos] = re;
    this.re[this.pos + n] = re;
    this.im[this.pos] = im;
    this.im[this.pos + n] = im;
  }

  /** Output at `frac` (0..1) samples before the newest input; nearest polyphase row. */
  read(frac: number): void {
    const n = this.taps;
    let p = Math.round(frac * this.phases);
    if (p < 0) p = 0;
    else if (p > this.phases) p = this.phases;
    const row = p * n;
    const b = this.bank;
    const re = this.re;
    const im = this.im;
    const base = this.pos;
    let ar = 0;
    let ai = 0;
    for (let j = 0; j < n; j++) {
      const c = b[row + j]!;
      ar += c * re[base + j]!;
      ai += c * im[base + j]!;
    }
    this.outRe = ar;
    this.outIm = ai;
  }
}
