import { describe, it, expect } from 'vitest';
import { Resampler, resample } from '../../core/dsp/resample';

function sine(n: number, f: number, rate: number, a = 0.5): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / rate));
}

/** Error power relative to the reference, in dB, away from the edges. */
function errDb(x: Float32Array, ref: Float32Array, edge: number): number {
  let e = 0, p = 0;
  for (let i = edge; i < Math.min(x.length, ref.length) - edge; i++) { e += (x[i]! - ref[i]!) ** 2; p += ref[i]! ** 2; }
  return 10 * Math.log10(e / p);
}

function rms(x: Float32Array, edge: number): number {
  let s = 0;
  for (let i = edge; i < x.length - edge; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (x.length - 2 * edge));
}

describe('resampler', () => {
  for (const rate of [44100, 48000, 16000, 11025, 22050, 96000]) {
    it(`${rate} Hz -> 8 kHz keeps a 1 kHz and a 3.3 kHz tone exact (< -60 dB error)`, () => {
      for (const f of [1000, 3300]) {
        const y = resample(sine(rate, f, rate), rate, 8000);
        expect(y.length).toBe(8000);
        expect(errDb(y, sine(8000, f, 8000), 200)).toBeLessThan(-60);
      }
    });
  }

  it('8 kHz -> 48 kHz -> 8 kHz returns the signal', () => {
    const x = sine(8000, 1700, 8000);
    const up = resample(x, 8000, 48000);
    expect(up.length).toBe(48000);
    expect(errDb(up, sine(48000, 1700, 48000), 600)).toBeLessThan(-60);
    expect(errDb(resample(up, 48000, 8000), x, 200)).toBeLessThan(-60);
  });

  it('rejects what would alias (5 kHz and 6 kHz at 44.1 kHz -> 8 kHz, > 60 dB down)', () => {
    for (const f of [5000, 6000]) {
      const y = resample(sine(44100, f, 44100), 44100, 8000);
      expect(20 * Math.log10(rms(y, 200) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    }
  });

  it('streaming in odd chunks gives the same samples as the whole buffer, with no allocation per call', () => {
    const x = sine(44100 * 2, 1234, 44100);
    const whole = resample(x, 44100, 8000);
    const r = new Resampler(44100, 8000);
    const out = new Float32Array(whole.length + 1000);
    const tmp = new Float32Array(r.maxOutput(128));
    let n = 0, i = 0;
    const sizes = [128, 1, 127, 3, 50, 128];
    for (let k = 0; i < x.length; k++) {
      const len = Math.min(sizes[k % sizes.length]!, x.length - i);
      const m = r.process(x, tmp, i, len);
      out.set(tmp.subarray(0, m), n);
      n += m; i += len;
    }
    n += r.flush(out, n);
    for (let j = 0; j < whole.length; j++) expect(out[j]).toBe(whole[j]);
  });

  it('odd rates work (8001 -> 8000, 7999 -> 8000)', () => {
    for (const rate of [8001, 7999]) {
      const y = resample(sine(rate, 1000, rate), rate, 8000);
      expect(errDb(y, sine(8000, 1000, 8000), 300)).toBeLessThan(-55);
    }
  });
});
