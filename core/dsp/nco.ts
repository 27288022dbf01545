/**
 * Numerically controlled oscillator: a phase accumulator (in cycles, 0..1) read through a
 * 1024-entry cosine table with linear interpolation (error < 5e-6, far below 16-bit noise).
 * `step()` advances one sample and leaves cos/sin in fields, so the per-sample path allocates
 * nothing. Frequency can be changed at any time (carrier recovery nudges it).
 * `periodicCarrier(hz)`: for a fixed carrier whose frequency divides into the sample rate in a
 * short period (V.17's 1800 Hz: 9 cycles in 40 samples), exact cos/sin tables over one period,
 * read by an index that wraps: no phase accumulator, so no rounding drift and no interpolation.
 */
import { SAMPLE_RATE } from './level';

const TABLE_BITS = 10;
const TABLE_SIZE = 1 << TABLE_BITS;
/** cos(2*pi*i/TABLE_SIZE) for i = 0..TABLE_SIZE (one extra entry so interpolation never wraps). */
export const COS_TABLE: Float64Array = (() => {
  const t = new Float64Array(TABLE_SIZE + 1);
  for (let i = 0; i <= TABLE_SIZE; i++) t[i] = Math.cos((2 * Math.PI * i) / TABLE_SIZE);
  return t;
})();

/** cos(2*pi*phase) for phase in cycles (any real value), by table interpolation. */
export function cosCycles(phase: number): number {
  let p = phase - Math.floor(phase);
  p *= TABLE_SIZE;
  const i = p | 0;
  const f = p - i;
  return COS_TABLE[i]! + f * (COS_TABLE[i + 1]! - COS_TABLE[i]!);
}

/** sin(2*pi*phase) for phase in cycles. */
export function sinCycles(phase: number): number {
  return cosCycles(phase - 0.25);
}

export class Nco {
  /** Current phase in cycles, kept in [0, 1). */
  phase = 0;
  /** Phase increment per sample, in cycles (frequency / sample rate). */
  increment = 0;
  /** cos and sin of the phase before the last step(). */
  cos = 1;
  sin = 0;

  constructor(frequencyHz = 0, sampleRate = SAMPLE_RATE) {
    this.setFrequency(frequencyHz, sampleRate);
  }

  restart(frequencyHz: number, phaseCycles = 0, sampleRate = SAMPLE_RATE): void {
    this.setFrequency(frequencyHz, sampleRate);
    this.phase = phaseCycles - Math.floor(phaseCycles);
    this.cos = 1;
    this.sin = 0;
  }

  setFrequency(frequencyHz: number, sampleRate = SAMPLE_RATE): void {
    this.increment = frequencyHz / sampleRate;
  }

  frequency(sampleRate = SAMPLE_RATE): number {
    return this.increment * sampleRate;
  }

  /** Compute cos/sin of the current phase, then advance one sample. */
  step(): void {
    const p = this.phase * TABLE_SIZE;
    const i = p | 0;
    const f = p - i;
    this.cos = COS_TABLE[i]! + f * (COS_TABLE[i + 1]! - COS_TABLE[i]!);
    // sin(x) = cos(x - 1/4 cycle)
    let q = p - TABLE_SIZE / 4;
    if (q < 0) q += TABLE_SIZE;
    const j = q | 0;
    const g = q - j;
    this.sin = COS_TABLE[j]! + g * (COS_TABLE[j + 1]! - COS_TABLE[j]!);
    let ph = this.phase + this.increment;
    if (ph >= 1) ph -= 1;
    else if (ph < 0) ph += 1;
    this.phase = ph;
  }

  /** Advance n samples without producing output (lost audio). */
  advance(n: number): void {
    const ph = this.phase + this.increment * n;
    this.phase = ph - Math.floor(ph);
  }
}

/** Smallest number of samples holding a whole number of carrier cycles (at most the sample rate). */
export function carrierPeriod(carrierHz: number, sampleRate: number): number {
  for (let p = 1; p <= sampleRate; p++) {
    const cycles = (carrierHz * p) / sampleRate;
    if (Math.abs(cycles - Math.round(cycles)) < 1e-9) return p;
  }
  throw new Error(`carrierPeriod: ${carrierHz} Hz repeats in no whole number of samples at ${sampleRate} Hz`);
}

/** One period of an exactly periodic carrier: cos[n], sin[n] of 2 pi hz n / sampleRate. */
export interface PeriodicCarrier {
  readonly period: number;
  readonly cos: Float32Array;
  readonly sin: Float32Array;
}

/**
 * Tables for a carrier of `hz` at `sampleRate` over its period (carrierPeriod: 1800 Hz at 8000
 * is 40 samples). Throws past 1000 samples.
 */
export function periodicCarrier(hz: number, sampleRate = SAMPLE_RATE): PeriodicCarrier {
  const period = carrierPeriod(hz, sampleRate);
  if (period > 1000) throw new Error(`periodicCarrier: ${hz} Hz has no short period at ${sampleRate} Hz`);
  const cycles = Math.round((hz * period) / sampleRate);
  const cos = new Float32Array(period);
  const sin = new Float32Array(period);
  for (let n = 0; n < period; n++) {
    cos[n] = Math.cos((2 * Math.PI * cycles * n) / period);
    sin[n] = Math.sin((2 * Math.PI * cycles * n) / period);
  }
  return { period, cos, sin };
}
