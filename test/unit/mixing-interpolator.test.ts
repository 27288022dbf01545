import { describe, expect, it } from 'vitest';
import { MixingInterpolator, carrierPeriod } from '../../core/dsp/mixing-interpolator';
import { ComplexInterpolator } from '../../core/dsp/interpolator';
import { rrcPolyphase } from '../../core/dsp/rrc';

describe('MixingInterpolator', () => {
  it('finds the carrier period in samples', () => {
    expect(carrierPeriod(1800, 8000)).toBe(40);
    expect(carrierPeriod(1700, 8000)).toBe(80);
    expect(carrierPeriod(1000, 8000)).toBe(8);
  });

  // the same output as mixing each sample down by e^{-jwn} and filtering the complex baseband,
  // across the history wrap (CHUNK = 1024) and for every polyphase row
  for (const [carrier, taps] of [[1800, 31], [1700, 27]] as const) {
    it(`equals mixer + ComplexInterpolator at ${carrier} Hz, ${taps} taps`, () => {
      const phases = 64;
      const bank = rrcPolyphase(0.5, 6.6667, taps, phases);
      const mix = new MixingInterpolator(bank, taps, phases, carrier, 8000);
      const ref = new ComplexInterpolator(bank, taps, phases);
      const w = (2 * Math.PI * carrier) / 8000;
      let worst = 0;
      let reads = 0;
      for (let n = 0; n < 3000; n++) {
        const x = Math.sin(0.37 * n) + 0.5 * Math.cos(2.1 * n + 1) + (((n * 7919) % 13) - 6) / 20;
        mix.push(x);
        ref.push(x * Math.cos(w * n), -x * Math.sin(w * n));
        if (n % 3 === 0) {
          const row = (n * 11) % (phases + 1);
          mix.readRow(row);
          ref.readRow(row);
          worst = Math.max(worst, Math.abs(mix.outRe - ref.outRe), Math.abs(mix.outIm - ref.outIm));
          reads++;
        }
      }
      expect(reads).toBe(1000);
      expect(worst).toBeLessThan(1e-9);
      // and not trivially: the output is not zero
      mix.readRow(0);
      expect(Math.hypot(mix.outRe, mix.outIm)).toBeGreaterThan(1e-3);
    });
  }

  it('restart() starts the carrier at phase 0 again', () => {
    const bank = rrcPolyphase(0.5, 5, 23, 64);
    const a = new MixingInterpolator(bank, 23, 64, 1800, 8000);
    for (let n = 0; n < 1500; n++) a.push(Math.sin(n));
    a.restart();
    const b = new MixingInterpolator(bank, 23, 64, 1800, 8000);
    for (let n = 0; n < 50; n++) { a.push(Math.cos(n)); b.push(Math.cos(n)); }
    a.readRow(17);
    b.readRow(17);
    expect(a.outRe).toBe(b.outRe);
    expect(a.outIm).toBe(b.outIm);
  });
});
