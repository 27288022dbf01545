/**
 * Lost VoIP packets that nobody reports: 20 ms blocks of the received audio zeroed in the middle
 * of a long burst (a gateway without packet-loss concealment), the receiver not told (no fillin).
 * Every modem must ride through them: one training, one carrier-down at the very end, no bits
 * missing, and errors only around the lost audio (at most two blocks' worth of bits per lost
 * block). Before this test V.17 took a 20 ms hole for the end of the burst (its carrier-loss
 * detector fired after 6 ms) and lost the rest of the page.
 */
import { describe, it, expect } from 'vitest';
import { modulate, demodulate, compareBits, SPANDSP_THRESHOLDS } from '../../core/line/modem-harness';
import { applyLine } from '../../core/line/line-model';
import { prbsBits } from '../../core/modems/prbs';

/** Every modem and rate at spandsp's threshold + 3 dB. */
const CASES = SPANDSP_THRESHOLDS.map((t) => ({ modem: t.modem, rate: t.rate, snr: t.snrDb + 3 }));
const SECONDS = 6;

/** Blocks of 160 samples that came out all zero (lost), after the first `from` samples. */
function lostBlocks(y: Float32Array, from: number): number {
  let lost = 0;
  for (let b = Math.ceil(from / 160) * 160; b + 160 <= y.length; b += 160) {
    if (y[b] === 0 && y[b + 80] === 0 && y[b + 159] === 0) lost++;
  }
  return lost;
}

describe('unreported lost 20 ms blocks in a long burst', () => {
  for (const c of CASES) {
    it(`${c.modem} ${c.rate}, ${c.snr} dB, 2% of blocks zeroed: the burst survives, errors only at the holes`, () => {
      const ref = prbsBits(c.rate + 7, c.rate * SECONDS);
      const clean = modulate(c.modem, c.rate, ref, { leadSamples: 800 });
      const y = applyLine(clean, { snrDb: c.snr, seed: 5, loss: 0.02 });
      // holes after the training (the first second): those are what this test is about
      const lost = lostBlocks(y, 8000);
      expect(lost).toBeGreaterThanOrEqual(3); // the test exercises loss at all
      const r = demodulate(c.modem, c.rate, y);
      expect(r.training).toBe('succeeded');
      expect(r.events.filter((e) => e.kind === 'carrier-down').length).toBe(1);
      const cmp = compareBits(ref, r.bits);
      expect(cmp.missing).toBe(0);
      expect(cmp.errors).toBeLessThanOrEqual(lostBlocks(y, 0) * 2 * (c.rate / 50));
    });
  }
});
