/**
 * Line impairments for the V.17 tests (private until core/line/ lands): white Gaussian noise at an
 * SNR (active-signal power over noise power across 0-4 kHz, spandsp's definition), single-sideband
 * carrier offset, sample-clock offset in ppm (windowed-sinc resampling), echo, level steps, and
 * a PRBS-driven V.17 transmission. All deterministic (seeded).
 */
import { V17Transmitter, type V17TxOptions } from '../../core/modems/v17-tx';
import { END_OF_DATA } from '../../core/modems/types';

/** PRBS-23 bits exactly as spandsp's modemtx/modemrx make them. */
export function prbs(seed: number, n: number): Uint8Array {
  let r = seed & 0x7fffff || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const b = ((r >> 22) ^ (r >> 17)) & 1;
    r = ((r << 1) | b) & 0x7fffff;
    out[i] = b;
  }
  return out;
}

/** Our transmitter sending `bits`, with `leadSamples` of silence before and `tailSamples` after. */
export function v17Signal(opts: V17TxOptions, bits: Uint8Array, leadSamples = 800, tailSamples = 800): Float32Array {
  let i = 0;
  const tx = new V17Transmitter(opts, () => (i < bits.length ? bits[i++]! : END_OF_DATA));
  const chunks: Float32Array[] = [];
  for (;;) {
    const b = new Float32Array(160);
    const n = tx.tx(b);
    chunks.push(b.subarray(0, n));
    if (n < 160) break;
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Float32Array(leadSamples + total + tailSamples);
  let k = leadSamples;
  for (const c of chunks) { out.set(c, k); k += c.length; }
  return out;
}

/** Concatenate signals. */
export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let k = 0;
  for (const p of parts) { out.set(p, k); k += p.length; }
  return out;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
}

/** Mean square of the active span (first to last non-zero sample). */
export function activePower(x: Float32Array): number {
  let a = 0;
  let b = x.length - 1;
  while (a < x.length && x[a] === 0) a++;
  while (b > a && x[b] === 0) b--;
  let acc = 0;
  for (let i = a; i <= b; i++) acc += x[i]! * x[i]!;
  return acc / Math.max(1, b - a + 1);
}

/** Add white Gaussian noise over the whole signal (including silences) at `snrDb` below the active power. */
export function addNoise(x: Float32Array, snrDb: number, seed = 1, power = activePower(x)): Float32Array {
  const sigma = Math.sqrt(power / Math.pow(10, snrDb / 10));
  const r = rng(seed);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i += 2) {
    const u = Math.sqrt(-2 * Math.log(r()));
    const v = 2 * Math.PI * r();
    out[i] = x[i]! + sigma * u * Math.cos(v);
    if (i + 1 < x.length) out[i + 1] = x[i + 1]! + sigma * u * Math.sin(v);
  }
  return out;
}

/** Shift every frequency by `hz` (Hilbert transformer, then complex mix). */
export function freqShift(x: Float32Array, hz: number): Float32Array {
  const H = 63;
  const h = new Float64Array(2 * H + 1);
  for (let k = -H; k <= H; k++) {
    if (k % 2 === 0) continue;
    const w = 0.42 + 0.5 * Math.cos((Math.PI * k) / (H + 1)) + 0.08 * Math.cos((2 * Math.PI * k) / (H + 1));
    h[k + H] = (2 / (Math.PI * k)) * w;
  }
  const out = new Float32Array(x.length);
  const wv = (2 * Math.PI * hz) / 8000;
  for (let n = 0; n < x.length; n++) {
    let q = 0;
    for (let k = -H; k <= H; k++) {
      const j = n - k;
      if (j >= 0 && j < x.length && h[k + H] !== 0) q += h[k + H]! * x[j]!;
    }
    out[n] = x[n]! * Math.cos(wv * n) - q * Math.sin(wv * n);
  }
  return out;
}

/** The same signal sampled by a clock `ppm` parts per million fast (windowed sinc). */
export function clockPpm(x: Float32Array, ppm: number): Float32Array {
  const ratio = 1 + ppm * 1e-6;
  const n = Math.floor((x.length - 20) / ratio);
  const out = new Float32Array(n);
  const W = 16;
  for (let m = 0; m < n; m++) {
    const t = m * ratio;
    const b = Math.floor(t);
    const f = t - b;
    let acc = 0;
    for (let k = -W + 1; k <= W; k++) {
      const j = b + k;
      if (j < 0 || j >= x.length) continue;
      const d = k - f;
      const s = Math.abs(d) < 1e-9 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
      const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / (W + 1));
      acc += x[j]! * s * w;
    }
    out[m] = acc;
  }
  return out;
}

/** Add an echo `db` below the signal, `delay` samples late. */
export function echo(x: Float32Array, db: number, delay: number): Float32Array {
  const g = Math.pow(10, db / 20);
  const out = new Float32Array(x.length);
  for (let n = 0; n < x.length; n++) out[n] = x[n]! + (n >= delay ? g * x[n - delay]! : 0);
  return out;
}

/** Change the level by `db` from sample `at` on. */
export function levelStep(x: Float32Array, at: number, db: number): Float32Array {
  const g = Math.pow(10, db / 20);
  const out = Float32Array.from(x);
  for (let n = at; n < x.length; n++) out[n] = out[n]! * g;
  return out;
}

/** Scale to a level change in dB. */
export function gainDb(x: Float32Array, db: number): Float32Array {
  const g = Math.pow(10, db / 20);
  return x.map((v) => v * g);
}
