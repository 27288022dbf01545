/**
 * Sample-rate conversion by a rational factor with a windowed-sinc polyphase filter.
 *
 * out rate / in rate = L / M (reduced by their gcd). Output sample n sits at input time
 * n*M/L = base + phase/L; it is the sum over 2W input samples around `base` weighted by a
 * Kaiser-windowed sinc (beta 8, 32 zero crossings a side) whose -6 dB point is half the lower of
 * the two rates: for 8 kHz that is flat (< 0.01 dB) to about 3.6 kHz and more than 70 dB down
 * from about 4.4 kHz, so aliases of what a 44.1/48 kHz input holds above 4.4 kHz stay out, and
 * 8 kHz -> 48 kHz rejects the images. Coefficients are
 * tabulated once per phase (at most 4096 phases; with more, the nearest tabulated phase is used,
 * an error under 1/8192 sample). The streaming class copies input into a fixed buffer, so
 * `process` never allocates: fit for an AudioWorklet; `resample` is the whole-buffer helper.
 * Output sample 0 is aligned with input sample 0 (the filter is centred, no added delay).
 */

export interface ResamplerOptions {
  /** Zero crossings of the sinc on each side (default 32): longer = sharper, slower. */
  zeroCrossings?: number;
  /** Largest input block `process` copies at once (default 4096). */
  chunk?: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function besselI0(x: number): number {
  let sum = 1, term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

const MAX_PHASES = 4096;
const KAISER_BETA = 8.0;

export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly L: number;
  private readonly M: number;
  private readonly phases: number; // tabulated phases (= L unless L > MAX_PHASES)
  private readonly W: number; // taps each side
  private readonly taps: number; // 2W
  private readonly coef: Float32Array; // phases x taps
  private readonly buf: Float32Array;
  private readonly chunk: number;
  private fill = 0; // valid samples in buf
  private base = 0; // index in buf of the next output's base sample
  private phaseNum = 0; // 0..L-1

  constructor(inRate: number, outRate: number, opts: ResamplerOptions = {}) {
    if (!(inRate > 0 && outRate > 0 && Number.isInteger(inRate) && Number.isInteger(outRate))) {
      throw new Error(`resampler: rates must be positive integers (got ${inRate} -> ${outRate})`);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.L = outRate / g;
    this.M = inRate / g;
    const ratio = Math.min(1, this.L / this.M);
    const fc = 0.5 * ratio; // cycles per input sample: -6 dB at the lower Nyquist
    const z = opts.zeroCrossings ?? 32;
    this.W = this.L === this.M ? 1 : Math.ceil(z / (2 * fc));
    this.taps = 2 * this.W;
    this.phases = Math.min(this.L, MAX_PHASES);
    this.coef = new Float32Array(this.phases * this.taps);
    const i0b = besselI0(KAISER_BETA);
    for (let p = 0; p < this.phases; p++) {
      const frac = p / this.phases;
      for (let j = 0; j < this.taps; j++) {
        // tap j multiplies x[base + j - (W - 1)]; its distance from the output instant:
        const t = frac - (j - (this.W - 1));
        let h: number;
        if (this.L === this.M) h = j === this.W - 1 ? 1 : 0;
        else {
          const x = 2 * fc * t;
          const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
          const r = t / this.W;
          const w = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0b;
          h = 2 * fc * sinc * w;
        }
        this.coef[p * this.taps + j] = h;
      }
    }
    this.chunk = opts.chunk ?? 4096;
    this.buf = new Float32Array(this.taps + this.chunk + 1);
    this.restart();
  }

  /** Forget all input; the next input sample is time 0 again. */
  restart(): void {
    this.buf.fill(0);
    this.fill = this.W - 1; // history of zeros before time 0
    this.base = this.W - 1;
    this.phaseNum = 0;
  }

  /** Output samples that `inLength` more input samples can produce at most (for sizing buffers). */
  maxOutput(inLength: number): number {
    return Math.ceil(((inLength + this.taps) * this.L) / this.M) + 1;
  }

  /**
   * Consume `inLength` samples of `input` from `inOffset`; write the outputs they complete to `out`
   * from `outOffset`. Returns the number of output samples written. `out` must have room for
   * `maxOutput(inLength)` samples.
   */
  process(input: Float32Array, out: Float32Array, inOffset = 0, inLength = input.length - inOffset, outOffset = 0): number {
    let produced = 0;
    let left = inLength;
    let ip = inOffset;
    while (left > 0) {
      const room = this.buf.length - this.fill;
      const k = Math.min(left, room);
      this.buf.set(input.subarray(ip, ip + k), this.fill);
      this.fill += k;
      ip += k;
      left -= k;
      produced += this.drain(out, outOffset + produced);
      this.compact();
    }
    return produced;
  }

  /** Push W zeros through so every output up to the end of the input comes out; returns how many. */
  flush(out: Float32Array, outOffset = 0): number {
    const zeros = new Float32Array(this.W + 1);
    return this.process(zeros, out, 0, zeros.length, outOffset);
  }

  private drain(out: Float32Array, o: number): number {
    const taps = this.taps, coef = this.coef, buf = this.buf, L = this.L, M = this.M;
    const scale = this.phases / L;
    let n = 0;
    while (this.base + this.W < this.fill) {
      const start = this.base - (this.W - 1);
      const ph = this.phases === L ? this.phaseNum : Math.min(this.phases - 1, Math.round(this.phaseNum * scale));
      const c0 = ph * taps;
      let acc = 0;
      for (let j = 0; j < taps; j++) acc += buf[start + j]! * coef[c0 + j]!;
      out[o + n++] = acc;
      this.phaseNum += M;
      const step = Math.floor(this.phaseNum / L);
      this.phaseNum -= step * L;
      this.base += step;
    }
    return n;
  }

  private compact(): void {
    const keep = this.base - (this.W - 1);
    if (keep <= 0) return;
    const k = Math.min(keep, this.fill);
    this.buf.copyWithin(0, k, this.fill);
    this.fill -= k;
    this.base -= k;
  }
}

/** Resample a whole signal; the result has round(length * outRate / inRate) samples. */
export function resample(x: Float32Array, inRate: number, outRate: number, opts: ResamplerOptions = {}): Float32Array {
  if (inRate === outRate) return x.slice();
  const r = new Resampler(inRate, outRate, opts);
  const want = Math.round((x.length * outRate) / inRate);
  const out = new Float32Array(r.maxOutput(x.length) + r.maxOutput(0) + 8);
  let n = r.process(x, out);
  n += r.flush(out, n);
  return out.slice(0, Math.min(want, n));
}
