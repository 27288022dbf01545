/**
 * Line impairments, each a small streaming block with the DSP life cycle: process a block of
 * samples in place (or, for the clock, into an output array). Used by the modem tests, the
 * BER table, and later the T.30 engine tests and the two-tab loopback.
 *
 * - Awgn: white Gaussian noise at a level in dBm0 over 0-4 kHz (seeded).
 * - Gain: a fixed gain in dB, optionally stepping to another gain at a given sample.
 * - Echo: adds a delayed, attenuated copy (a 20 dB echo at 1 ms = gain -20 dB, 8 samples).
 * - FrequencyShift: single-sideband shift of the whole spectrum by `hz` (carrier offset), via a
 *   Hilbert transformer (windowed, 63 taps) and a complex mixer.
 * - ClockDrift: the far end's sample clock `ppm` fast or slow: windowed-sinc interpolation at a
 *   step of 1 + ppm*1e-6 input samples per output sample (elastic: output count varies).
 * - BlockLoss: zeroes whole blocks of `blockSize` samples with probability `rate` (seeded).
 */
import { meanSquareForDbm0 } from '../dsp/level';
import { Nco } from '../dsp/nco';
import { Prng } from './prng';

export class Awgn {
  private readonly prng: Prng;
  private readonly sigma: number;

  constructor(dbm0: number, seed = 1) {
    this.prng = new Prng(seed);
    this.sigma = Math.sqrt(meanSquareForDbm0(dbm0));
  }

  process(x: Float32Array, offset = 0, length = x.length - offset): void {
    const s = this.sigma;
    for (let i = offset; i < offset + length; i++) x[i] = x[i]! + s * this.prng.gaussian();
  }
}

export class Gain {
  private n = 0;
  private readonly g1: number;
  private readonly g2: number;

  /** `db` until sample `stepAt` (counted across calls), then `db2`. */
  constructor(db: number, db2 = db, private readonly stepAt = Infinity) {
    this.g1 = Math.pow(10, db / 20);
    this.g2 = Math.pow(10, db2 / 20);
  }

  process(x: Float32Array, offset = 0, length = x.length - offset): void {
    for (let i = offset; i < offset + length; i++) {
      x[i] = x[i]! * (this.n++ < this.stepAt ? this.g1 : this.g2);
    }
  }
}

export class Echo {
  private readonly buf: Float32Array;
  private pos = 0;
  private readonly g: number;

  constructor(gainDb: number, delaySamples: number) {
    this.buf = new Float32Array(Math.max(1, Math.round(delaySamples)));
    this.g = Math.pow(10, gainDb / 20);
  }

  process(x: Float32Array, offset = 0, length = x.length - offset): void {
    const b = this.buf;
    for (let i = offset; i < offset + length; i++) {
      const v = x[i]!;
      x[i] = v + this.g * b[this.pos]!;
      b[this.pos] = v;
      if (++this.pos === b.length) this.pos = 0;
    }
  }
}

const HILBERT_TAPS = 63;

export class FrequencyShift {
  private readonly h: Float64Array;
  private readonly hist: Float64Array;
  private pos = 0;
  private readonly nco: Nco;

  constructor(hz: number) {
    this.h = new Float64Array(HILBERT_TAPS);
    const c = (HILBERT_TAPS - 1) / 2;
    for (let i = 0; i < HILBERT_TAPS; i++) {
      const k = i - c;
      const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (HILBERT_TAPS - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (HILBERT_TAPS - 1));
      this.h[i] = k % 2 === 0 ? 0 : (2 / (Math.PI * k)) * w;
    }
    this.hist = new Float64Array(2 * HILBERT_TAPS);
    this.nco = new Nco(hz);
  }

  process(x: Float32Array, offset = 0, length = x.length - offset): void {
    const n = HILBERT_TAPS;
    const c = (n - 1) / 2;
    for (let i = offset; i < offset + length; i++) {
      this.pos = this.pos === 0 ? n - 1 : this.pos - 1;
      this.hist[this.pos] = x[i]!;
      this.hist[this.pos + n] = x[i]!;
      let q = 0;
      for (let k = 0; k < n; k++) q += this.h[k]! * this.hist[this.pos + k]!;
      const re = this.hist[this.pos + c]!; // the in-phase part, delayed to match
      this.nco.step();
      x[i] = re * this.nco.cos - q * this.nco.sin;
    }
  }
}

const SINC_HALF = 16;

export class ClockDrift {
  private readonly step: number;
  private t = 0; // read position relative to the oldest kept input
  private readonly hist: Float64Array;
  private count = 0; // samples held in hist

  /** ppm > 0: the far end's clock is fast, so fewer samples come out than go in. */
  constructor(ppm: number) {
    this.step = 1 + ppm * 1e-6;
    this.hist = new Float64Array(4096);
    this.t = SINC_HALF;
  }

  /** Resample `input`; writes into `out` (needs room for about input.length + 2) and returns the count. */
  process(input: Float32Array, out: Float32Array): number {
    let o = 0;
    for (let i = 0; i < input.length; i++) {
      if (this.count === this.hist.length) {
        // drop old samples we no longer need
        const drop = Math.floor(this.t) - SINC_HALF;
        this.hist.copyWithin(0, drop, this.count);
        this.count -= drop;
        this.t -= drop;
      }
      this.hist[this.count++] = input[i]!;
      while (this.t + SINC_HALF < this.count && o < out.length) {
        out[o++] = this.interp(this.t);
        this.t += this.step;
      }
    }
    return o;
  }

  private interp(t: number): number {
    const i0 = Math.floor(t);
    const f = t - i0;
    let acc = 0;
    for (let k = -SINC_HALF + 1; k <= SINC_HALF; k++) {
      const x = k - f;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * x) / SINC_HALF);
      const s = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      acc += this.hist[i0 + k]! * s * w;
    }
    return acc;
  }
}

export class BlockLoss {
  private readonly prng: Prng;
  private n = 0;
  private lost = false;

  constructor(private readonly rate: number, private readonly blockSize = 160, seed = 1) {
    this.prng = new Prng(seed ^ 0x5bd1e995);
  }

  process(x: Float32Array, offset = 0, length = x.length - offset): void {
    for (let i = offset; i < offset + length; i++) {
      if (this.n % this.blockSize === 0) this.lost = this.prng.uniform() < this.rate;
      this.n++;
      if (this.lost) x[i] = 0;
    }
  }
}
