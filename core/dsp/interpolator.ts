/**
 * Complex fractional-delay filter: a history of complex baseband samples and a polyphase bank
 * (e.g. `rrcPolyphase`), so a receiver can read the matched-filter output at any instant between
 * the last two input samples. This is how symbol timing recovery picks its sampling instants
 * without resampling the whole stream: only the T/2 outputs are ever computed.
 *
 * push(re, im) once per input sample; read(frac) returns the filter output for the time
 * `frac` samples (0 <= frac < 1) before the newest sample, leaving it in outRe/outIm.
 */
const CHUNK = 1024;

export class ComplexInterpolator {
  readonly taps: number;
  readonly phases: number;
  private readonly bank: Float64Array;
  /**
   * History interleaved (re, im) in a linear buffer that grows forward; when it is full the
   * newest taps-1 samples are copied back to the start (once per CHUNK samples), so push is two
   * stores and read walks backwards from the newest sample without wrapping.
   */
  private readonly hist: Float64Array;
  private readonly cap: number;
  private pos = 0; // index (in complex samples) of the newest sample
  outRe = 0;
  outIm = 0;

  /** `bank` has (phases + 1) rows of `taps` coefficients (row p = delay p/phases sample). */
  constructor(bank: Float64Array, taps: number, phases: number) {
    if (bank.length !== (phases + 1) * taps) throw new Error('ComplexInterpolator: bank size mismatch');
    this.bank = bank;
    this.taps = taps;
    this.phases = phases;
    this.cap = CHUNK + taps;
    this.hist = new Float64Array(2 * this.cap);
    this.pos = taps - 1;
  }

  restart(): void {
    this.hist.fill(0);
    this.pos = this.taps - 1;
  }

  push(re: number, im: number): void {
    let p = this.pos + 1;
    if (p === this.cap) {
      const keep = this.taps - 1;
      this.hist.copyWithin(0, 2 * (p - keep), 2 * p);
      p = keep;
    }
    this.pos = p;
    const h = this.hist;
    h[2 * p] = re;
    h[2 * p + 1] = im;
  }

  /** Output at `frac` (0..1) samples before the newest input; nearest polyphase row. */
  read(frac: number): void {
    this.readRow(Math.round(frac * this.phases));
  }

  /**
   * read() with the polyphase row p = round(frac * phases) chosen by the caller (an integer
   * argument: a hot loop that calls this does not box a double per call).
   */
  readRow(p: number): void {
    const n = this.taps;
    if (p < 0) p = 0;
    else if (p > this.phases) p = this.phases;
    const row = p * n;
    const b = this.bank;
    const h = this.hist;
    const base = 2 * this.pos;
    // two partial sums per component: shorter add chains, so the CPU can overlap them
    let ar0 = 0, ai0 = 0, ar1 = 0, ai1 = 0;
    let j = 0;
    let k = base; // j-th newest sample
    for (; j + 1 < n; j += 2, k -= 4) {
      const c0 = b[row + j]!;
      const c1 = b[row + j + 1]!;
      ar0 += c0 * h[k]!;
      ai0 += c0 * h[k + 1]!;
      ar1 += c1 * h[k - 2]!;
      ai1 += c1 * h[k - 1]!;
    }
    if (j < n) {
      const c0 = b[row + j]!;
      ar0 += c0 * h[k]!;
      ai0 += c0 * h[k + 1]!;
    }
    this.outRe = ar0 + ar1;
    this.outIm = ai0 + ai1;
  }
}
