import { describe, it, expect } from 'vitest';
import { Awgn, BlockLoss, ClockDrift, Echo, FrequencyShift, Gain } from '../../core/line/impairments';
import { applyLine } from '../../core/line/line-model';
import { Prng } from '../../core/line/prng';
import { powerDbm0, sineAmplitudeForDbm0 } from '../../core/dsp/level';

function tone(hz: number, n: number, dbm0 = -14): Float32Array {
  const a = sineAmplitudeForDbm0(dbm0);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = a * Math.sin((2 * Math.PI * hz * i) / 8000);
  return x;
}

/** Frequency of the strongest bin of a fine DFT search around `guess`. */
function peakHz(x: Float32Array, guess: number, span = 30, step = 0.25): number {
  let best = guess, bp = -1;
  for (let f = guess - span; f <= guess + span; f += step) {
    let re = 0, im = 0;
    for (let i = 0; i < x.length; i++) { const w = (2 * Math.PI * f * i) / 8000; re += x[i]! * Math.cos(w); im += x[i]! * Math.sin(w); }
    const p = re * re + im * im;
    if (p > bp) { bp = p; best = f; }
  }
  return best;
}

describe('line models', () => {
  it('Prng gaussian has unit variance and is reproducible', () => {
    const a = new Prng(5), b = new Prng(5);
    let s = 0, s2 = 0;
    for (let i = 0; i < 100000; i++) { const g = a.gaussian(); s += g; s2 += g * g; expect(g).toBe(b.gaussian()); if (i > 100) break; }
    const c = new Prng(6);
    s = 0; s2 = 0;
    for (let i = 0; i < 100000; i++) { const g = c.gaussian(); s += g; s2 += g * g; }
    expect(Math.abs(s / 1e5)).toBeLessThan(0.02);
    expect(Math.abs(s2 / 1e5 - 1)).toBeLessThan(0.02);
  });

  it('AWGN comes out at the level asked for', () => {
    const x = new Float32Array(80000);
    new Awgn(-30, 2).process(x);
    expect(Math.abs(powerDbm0(x) - -30)).toBeLessThan(0.1);
  });

  it('applyLine sets noise relative to the -14 dBm0 signal for a given SNR', () => {
    const x = new Float32Array(80000);
    const y = applyLine(x, { snrDb: 20, seed: 3 });
    expect(Math.abs(powerDbm0(y) - -34)).toBeLessThan(0.1);
  });

  it('gain and level step', () => {
    const x = tone(1000, 16000);
    new Gain(-6, 0, 8000).process(x);
    expect(Math.abs(powerDbm0(x, 0, 8000) - -20)).toBeLessThan(0.05);
    expect(Math.abs(powerDbm0(x, 8000, 16000) - -14)).toBeLessThan(0.05);
  });

  it('echo adds a copy delayed by the given time at the given level', () => {
    const x = new Float32Array(40);
    x[0] = 1;
    new Echo(-20, 8).process(x);
    expect(x[0]).toBe(1);
    expect(x[8]).toBeCloseTo(0.1, 6);
  });

  it('frequency shift moves a 1000 Hz tone by +10 Hz and -10 Hz, keeping its level', () => {
    for (const df of [10, -10]) {
      const x = tone(1000, 8000);
      new FrequencyShift(df).process(x);
      const y = x.subarray(100);
      expect(Math.abs(peakHz(y, 1000) - (1000 + df))).toBeLessThan(0.6);
      expect(Math.abs(powerDbm0(y) - -14)).toBeLessThan(0.2);
    }
  });

  it('clock drift of +100 ppm shortens the signal by 100 ppm and scales tones', () => {
    const x = tone(1000, 80000);
    const out = new Float32Array(80100);
    const n = new ClockDrift(1000).process(x, out); // 1000 ppm so the shift is measurable in a short test
    expect(Math.abs(n - 80000 / 1.001)).toBeLessThan(40);
    expect(Math.abs(peakHz(out.subarray(1000, 9000), 1001, 4, 0.1) - 1001)).toBeLessThan(0.3);
  });

  it('block loss zeroes whole 20 ms blocks at about the rate asked for', () => {
    const x = new Float32Array(160 * 2000).fill(0.1);
    new BlockLoss(0.1, 160, 4).process(x);
    let lost = 0;
    for (let b = 0; b < 2000; b++) {
      const z = x[b * 160] === 0;
      if (z) lost++;
      for (let i = 1; i < 160; i++) expect(x[b * 160 + i] === 0).toBe(z);
    }
    expect(lost).toBeGreaterThan(150);
    expect(lost).toBeLessThan(250);
  });
});
