// The loopback view's line settings reach core's line model: noise at the asked level in dBm0,
// the asked frequency offset, nothing at all when every setting is neutral.
import { describe, it, expect } from 'vitest';
import { lineImpairment, lineSpec } from '../../web/worker/impair';
import { powerDbm0, sineAmplitudeForDbm0 } from '../../core/dsp/level';

function toneAmp(x: Float32Array, hz: number): number {
  let re = 0, im = 0;
  for (let i = 0; i < x.length; i++) { re += x[i]! * Math.cos((2 * Math.PI * hz * i) / 8000); im -= x[i]! * Math.sin((2 * Math.PI * hz * i) / 8000); }
  return (2 * Math.hypot(re, im)) / x.length;
}

describe('loopback line settings', () => {
  it('neutral settings leave the line alone', () => {
    expect(lineSpec({ noiseDbm0: null, gainDb: 0, offsetHz: 0 })).toBe('');
    expect(lineImpairment({ noiseDbm0: null, gainDb: 0, offsetHz: 0 }, true)).toBeUndefined();
  });

  it('adds noise at the asked level', () => {
    const f = lineImpairment({ noiseDbm0: -45, gainDb: 0, offsetHz: 0 }, false)!;
    const x = new Float32Array(16000);
    for (let i = 0; i < x.length; i += 160) f(x.subarray(i, i + 160));
    expect(powerDbm0(x)).toBeGreaterThan(-46);
    expect(powerDbm0(x)).toBeLessThan(-44);
  });

  it('shifts a tone by the asked offset, and applies gain', () => {
    const f = lineImpairment({ noiseDbm0: null, gainDb: -6, offsetHz: 3 }, true)!;
    const a = sineAmplitudeForDbm0(-14);
    const x = Float32Array.from({ length: 16000 }, (_, i) => a * Math.sin((2 * Math.PI * 1000 * i) / 8000));
    for (let i = 0; i < x.length; i += 160) f(x.subarray(i, i + 160));
    const settled = x.subarray(800);
    expect(toneAmp(settled, 1003)).toBeGreaterThan(0.45 * a);
    expect(toneAmp(settled, 1003)).toBeLessThan(0.55 * a);
    expect(toneAmp(settled, 1000)).toBeLessThan(0.05 * a);
  });
});
