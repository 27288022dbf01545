/**
 * What the loopback line does to the audio a tab hears: gain and white Gaussian noise at a level
 * in dBm0 (core/dsp/level.ts convention), from a seeded generator so a run repeats exactly.
 * (A frequency offset needs core/line's Hilbert-transform model; the page does not offer it yet.)
 */
import type { LineSettings } from '../api';
import { meanSquareForDbm0 } from '../../core/dsp/level';

export function lineImpairment(s: LineSettings): ((block: Float32Array) => void) | undefined {
  const g = Math.pow(10, s.gainDb / 20);
  const sigma = s.noiseDbm0 === null ? 0 : Math.sqrt(meanSquareForDbm0(s.noiseDbm0));
  if (g === 1 && sigma === 0) return undefined;
  let seed = 0x2545f491;
  const uniform = (): number => {
    // xorshift32: deterministic, so a run can be repeated.
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return ((seed >>> 0) + 0.5) / 4294967296;
  };
  return (block) => {
    for (let i = 0; i < block.length; i += 2) {
      // Box-Muller: two Gaussian samples per pair of uniforms.
      const r = sigma * Math.sqrt(-2 * Math.log(uniform()));
      const a = 2 * Math.PI * uniform();
      block[i] = block[i]! * g + r * Math.cos(a);
      if (i + 1 < block.length) block[i + 1] = block[i + 1]! * g + r * Math.sin(a);
    }
  };
}
