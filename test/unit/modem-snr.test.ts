/**
 * Line-model SNR step-down, in the spirit of spandsp's v29_tests/v27ter_tests: a PRBS through
 * white noise, SNR stepped down 1 dB at a time to a stated threshold, each step error-free over
 * 50 000 bits. The noise is on the line the whole time, also before the burst (spandsp 0.0.6
 * mostly cannot train then: peer README gotcha 10), so training must find the real pattern.
 *
 * Thresholds asserted (fixed seeds): V.29 9600 20 dB, 7200 15 dB, V.27ter 4800 14 dB, 2400 8 dB;
 * spandsp's own regression thresholds are 20/17/15/9 dB. So three of the four are 1 dB or more
 * below spandsp's. V.29 9600 at 19 dB is error-free in 19 of 20 runs (seeds 10007k), but this
 * test's seed at 19 dB (134) holds one symbol error, so 20 stays. These are near the physics limit:
 * the ideal receiver (core/line/ideal-receiver.ts, perfect sync) itself fails about one 50 000-bit
 * run in four at V.27ter 4800 14 dB; modem-bound.test.ts holds webfax to that ideal receiver over
 * several seeds, and docs/ber.md has the BER tables (webfax, spandsp, ideal) from one run.
 */
import { describe, it, expect } from 'vitest';
import { modulate, demodulate, compareBits } from '../../core/line/modem-harness';
import { applyLine } from '../../core/line/line-model';
import { prbsBits } from '../../core/modems/prbs';
import type { ModemName } from '../../core/modems/registry';

const CASES: Array<{ modem: ModemName; rate: number; threshold: number }> = [
  { modem: 'v29', rate: 9600, threshold: 20 },
  { modem: 'v29', rate: 7200, threshold: 15 },
  { modem: 'v27ter', rate: 4800, threshold: 14 },
  { modem: 'v27ter', rate: 2400, threshold: 8 },
];
const BITS = 50000;

describe('SNR step-down: error-free over 50 000 bits down to the threshold', () => {
  for (const c of CASES) {
    it(`${c.modem} ${c.rate}: ${c.threshold + 3} .. ${c.threshold} dB`, () => {
      const ref = prbsBits(c.rate + 1, BITS);
      const clean = modulate(c.modem, c.rate, ref, { leadSamples: 2400 });
      const results: string[] = [];
      for (let snr = c.threshold + 3; snr >= c.threshold; snr--) {
        const r = demodulate(c.modem, c.rate, applyLine(clean, { snrDb: snr, seed: snr * 7 + 1 }));
        const cmp = compareBits(ref, r.bits);
        results.push(`${snr} dB: ${r.training}, ${cmp.errors} errors, ${cmp.missing} missing`);
      }
      expect(results).toEqual(
        Array.from({ length: 4 }, (_, i) => `${c.threshold + 3 - i} dB: succeeded, 0 errors, 0 missing`),
      );
    });
  }

  it('the test can fail: 6 dB below the threshold V.29 9600 makes errors', () => {
    const ref = prbsBits(1, 20000);
    const r = demodulate('v29', 9600, applyLine(modulate('v29', 9600, ref), { snrDb: 14, seed: 3 }));
    const errors = r.trained ? compareBits(ref, r.bits).errors : ref.length;
    expect(errors).toBeGreaterThan(0);
  });
});
