/**
 * Impaired lines at spandsp's SNR threshold + 3 dB (V.29 9600/7200 at 23/20 dB, V.27ter
 * 4800/2400 at 18/12 dB): +-10 Hz carrier offset, +-100 ppm sample clock, a 20 dB echo at 1 ms,
 * and -6/+6 dB level steps in the data. Each must train and deliver the bits without error
 * (also: 1% of 20 ms blocks zeroed, as lost VoIP packets: the burst must survive them).
 *
 * Level steps are also swept: 24 positions, each 1/24 symbol later in the symbol and ~97 symbols
 * further into the burst, both directions, two line seeds. The step cuts the waveform inside the
 * matched filter; before the compensator placed it to the input sample and rebuilt the straddled
 * outputs (core/dsp/level-step.ts), V.29 9600 lost bits at 28 of the 48 seed-9 steps here and
 * V.29 7200 at 3. The same sweep over 9 seeds (432 steps per rate; not run here) still finds
 * bit errors at 1 V.29 9600 step (seed 4, -6 dB at sample 7790: 6 bits, the step placed 6
 * samples late, where the decisions' view outweighed the input's; seed 7's +6 dB step at 10649,
 * flagged late while a run of inner points kept the power mean under the old +4 dB mark, is fixed
 * by the +3 dB mark) and none for V.29 7200 or V.27ter (the previous receiver: 230 and 13 of 432
 * for V.29 9600 and 7200).
 */
import { describe, it, expect } from 'vitest';
import { modulate, demodulate, compareBits } from '../../core/line/modem-harness';
import { applyLine, type LineSpec } from '../../core/line/line-model';
import { prbsBits } from '../../core/modems/prbs';
import type { ModemName } from '../../core/modems/registry';

const CASES: Array<{ modem: ModemName; rate: number; snr: number; baud: number; training: number }> = [
  { modem: 'v29', rate: 9600, snr: 23, baud: 2400, training: 608 },
  { modem: 'v29', rate: 7200, snr: 20, baud: 2400, training: 608 },
  { modem: 'v27ter', rate: 4800, snr: 18, baud: 1600, training: 1164 },
  { modem: 'v27ter', rate: 2400, snr: 12, baud: 1200, training: 1164 },
];
const BITS = 20000;
const LEAD = 800;

const IMPAIRMENTS: Array<[string, LineSpec]> = [
  ['+10 Hz offset', { offsetHz: 10 }],
  ['-10 Hz offset', { offsetHz: -10 }],
  ['+100 ppm clock', { ppm: 100 }],
  ['-100 ppm clock', { ppm: -100 }],
  ['20 dB echo at 1 ms', { echoDb: -20, echoMs: 1 }],
];

describe('impaired lines at spandsp threshold + 3 dB', () => {
  for (const c of CASES) {
    const ref = prbsBits(c.rate + 5, BITS);
    const clean = modulate(c.modem, c.rate, ref, { leadSamples: LEAD });
    for (const [name, spec] of IMPAIRMENTS) {
      it(`${c.modem} ${c.rate}, ${c.snr} dB, ${name}: error-free`, () => {
        const r = demodulate(c.modem, c.rate, applyLine(clean, { ...spec, snrDb: c.snr, seed: 9 }));
        expect(r.training).toBe('succeeded');
        const cmp = compareBits(ref, r.bits);
        expect([cmp.errors, cmp.missing]).toEqual([0, 0]);
      });
    }
    it(`${c.modem} ${c.rate}, ${c.snr} dB, 1% of 20 ms blocks lost (zeroed): the burst survives`, () => {
      const y = applyLine(clean, { snrDb: c.snr, seed: 4, loss: 0.01 });
      let lost = 0;
      for (let b = 0; b + 160 <= y.length; b += 160) if (y[b] === 0 && y[b + 80] === 0 && y[b + 159] === 0) lost++;
      const r = demodulate(c.modem, c.rate, y);
      expect(r.training).toBe('succeeded');
      expect(r.events.filter((e) => e.kind === 'carrier-down').length).toBe(1); // only at the end
      const cmp = compareBits(ref, r.bits);
      expect(cmp.missing).toBe(0);
      // errors only where audio was lost: at most twice a block's worth of bits per lost block
      expect(cmp.errors).toBeLessThanOrEqual(lost * 2 * (c.rate / 50));
    });
    for (const step of [-6, 6]) {
      it(`${c.modem} ${c.rate}, ${c.snr} dB, ${step > 0 ? '+' : ''}${step} dB level step mid-data`, () => {
        const dataStart = LEAD + (c.training * 8000) / c.baud;
        const stepAt = Math.round(dataStart + ((BITS / c.rate) * 8000) / 2);
        const r = demodulate(c.modem, c.rate, applyLine(clean, { snrDb: c.snr, seed: 9, stepDb: step, stepAt }));
        expect(r.training).toBe('succeeded');
        const cmp = compareBits(ref, r.bits);
        expect([cmp.errors, cmp.missing]).toEqual([0, 0]);
      });
    }
  }
});

describe('level steps swept across a symbol and across the burst', () => {
  const SWEEP_BITS = 12000;
  for (const c of CASES) {
    const ref = prbsBits(c.rate + 5, SWEEP_BITS);
    const clean = modulate(c.modem, c.rate, ref, { leadSamples: LEAD });
    const dataStart = LEAD + (c.training * 8000) / c.baud;
    const sps = 8000 / c.baud;
    for (const step of [-6, 6]) {
      it(`${c.modem} ${c.rate}, ${c.snr} dB, ${step > 0 ? '+' : ''}${step} dB at 24 positions x 2 seeds: error-free`, () => {
        const bad: string[] = [];
        for (const seed of [9, 1]) {
          for (let i = 0; i < 24; i++) {
            const stepAt = Math.round(dataStart + 2000 + i * (sps / 24 + 97 * sps) + (seed % 7) * 13);
            const r = demodulate(c.modem, c.rate, applyLine(clean, { snrDb: c.snr, seed, stepDb: step, stepAt }));
            const cmp = compareBits(ref, r.bits);
            if (r.training !== 'succeeded' || cmp.errors || cmp.missing) bad.push(`seed ${seed} at ${stepAt}: ${cmp.errors} errors, ${cmp.missing} missing`);
          }
        }
        expect(bad).toEqual([]);
      });
    }
  }
});

/**
 * A gateway that changes its gain scales the line's noise with the signal. Steps down to -16 dB
 * must not end the burst: the receiver used to take a -10 dB drop for the carrier gone (V.27ter
 * 4800 lost the rest of the page in 21 of 36 placements at -10 dB, where spandsp lost none) and
 * V.29 9600's inner points after a -12 dB step for lost audio. And the burst's end must still be
 * reported promptly, whether it ends into silence or into noise the compensator took for a step.
 */
describe('deep gateway level steps and the end of the burst', () => {
  for (const c of CASES) {
    const ref = prbsBits(c.rate + 9, 12000);
    const clean = modulate(c.modem, c.rate, ref, { leadSamples: LEAD });
    const dataStart = LEAD + (c.training * 8000) / c.baud;
    for (const step of [-10, -13, -16, 4, 10]) {
      it(`${c.modem} ${c.rate}, ${c.snr} dB, ${step > 0 ? '+' : ''}${step} dB with the noise at 6 positions: error-free`, () => {
        const bad: string[] = [];
        for (let i = 0; i < 6; i++) {
          const stepAt = Math.round(dataStart + 1500 + i * 1237);
          const noisy = applyLine(clean, { snrDb: c.snr, seed: 11 + i });
          const r = demodulate(c.modem, c.rate, applyLine(noisy, { stepDb: step, stepAt }));
          const cmp = compareBits(ref, r.bits);
          if (r.training !== 'succeeded' || cmp.errors || cmp.missing) bad.push(`at ${stepAt}: ${cmp.errors} errors, ${cmp.missing} missing`);
        }
        expect(bad).toEqual([]);
      });
    }
    it(`${c.modem} ${c.rate}, ${c.snr} dB: -14 dB steps in the first 64 data symbols (in the look-ahead when training ends): error-free`, () => {
      const sps = 8000 / c.baud;
      const bad: string[] = [];
      // (a step in the last ~12 symbols of the training itself, which the equalizer trains through,
      // still costs V.29 9600 some 15-30 bits: not covered here)
      for (const [k, seed] of [[15, 21], [25, 22], [40, 23], [55, 24]] as const) {
        const stepAt = Math.round(dataStart + k * sps);
        const noisy = applyLine(clean, { snrDb: c.snr, seed });
        const r = demodulate(c.modem, c.rate, applyLine(noisy, { stepDb: -14, stepAt }));
        const cmp = compareBits(ref, r.bits);
        if (r.training !== 'succeeded' || cmp.errors || cmp.missing) bad.push(`symbol ${k}: ${cmp.errors} errors, ${cmp.missing} missing`);
      }
      expect(bad).toEqual([]);
    });
    it(`${c.modem} ${c.rate}: carrier-down within 0.2 s of the end, into silence, into noise at ${c.snr - 6} dB, and after a -12 dB step`, () => {
      const tail = new Float32Array(clean.length + 8000);
      tail.set(clean);
      const late: string[] = [];
      const lines: Array<[string, Float32Array]> = [
        ['silence', applyLine(tail, { snrDb: 40, seed: 3 })],
        ['noise', applyLine(tail, { snrDb: c.snr - 6, seed: 3 })],
        ['step', applyLine(applyLine(tail, { snrDb: c.snr, seed: 3 }), { stepDb: -12, stepAt: Math.round(dataStart + 3000) })],
      ];
      for (const [name, x] of lines) {
        const r = demodulate(c.modem, c.rate, x);
        const down = r.events.filter((e) => e.kind === 'carrier-down').map((e) => e.sample);
        if (down.length !== 1 || down[0]! > clean.length + 1600) late.push(`${name}: carrier-down at ${down.join(',')} (signal ends by ${clean.length})`);
      }
      expect(late).toEqual([]);
    });
  }
});
