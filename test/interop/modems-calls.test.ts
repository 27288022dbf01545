/**
 * webfax's V.29 and V.27ter receivers over whole spandsp-to-spandsp call recordings (mono taps
 * in ../shared/fixtures/calls, with the peer's ground-truth frame logs): the receiver must train
 * once on every high-speed burst (TCF and each page or ECM block), never on anything else (CNG,
 * CED, V.21 frames, silence, the gated noise of the noisy call), and the TCF must come out as
 * zeros (T.30 demands at least 1 s of them).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { parseWav } from '../../core/formats/wav';
import { createReceiver, type ModemName } from '../../core/modems/registry';

interface Burst { what: string; on: number; off: number }

const CALLS: Array<{ name: string; modem: ModemName; rate: number }> = [
  { name: 'v29_9600_noecm', modem: 'v29', rate: 9600 },
  { name: 'v29_9600_ecm', modem: 'v29', rate: 9600 },
  { name: 'noisy_gated-snr20_v29_noecm', modem: 'v29', rate: 9600 },
  { name: 'v27ter_4800_noecm', modem: 'v27ter', rate: 4800 },
];

describe('receivers over whole call recordings', () => {
  for (const c of CALLS) {
    it(`${c.name}: one training per burst, none elsewhere, TCF all zeros`, () => {
      const x = parseWav(readFileSync(fixture('calls', `${c.name}.wav`))).channels[0]!;
      const log = readFileSync(fixture('calls', `${c.name}.frames.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const bursts: Burst[] = [];
      for (const f of log) {
        if (f.event === 'fast_tx_start') bursts.push({ what: String(f.what), on: Number(f.modem_on_sample), off: Infinity });
        if (f.event === 'fast_tx_end') bursts[bursts.length - 1]!.off = Number(f.modem_off_sample);
      }
      expect(bursts.length).toBeGreaterThanOrEqual(2);
      const trained: number[] = [];
      const bitsAt: number[] = []; // sample index of each bit
      const bits: number[] = [];
      let now = 0;
      const rx = createReceiver(c.modem, c.rate, (b) => { bits.push(b); bitsAt.push(now); }, (s) => {
        if (s.kind === 'training-succeeded') trained.push(s.sample);
      });
      for (let i = 0; i < x.length; i += 160) {
        now = i;
        rx.rx(x, i, Math.min(160, x.length - i));
      }
      expect(trained.length).toBe(bursts.length);
      for (let k = 0; k < bursts.length; k++) {
        // trained within a second of the burst starting (V.27ter's long train is 0.73 s)
        expect(trained[k]! - bursts[k]!.on).toBeGreaterThan(0);
        expect(trained[k]! - bursts[k]!.on).toBeLessThan(8000);
      }
      // the TCF: the first second of bits after its training are zeros
      const tcf = bursts.findIndex((b) => b.what === 'tcf');
      expect(tcf).toBe(0);
      const first = bitsAt.findIndex((s) => s >= trained[0]! - 160);
      let ones = 0;
      for (let i = first; i < first + c.rate; i++) ones += bits[i]!;
      expect(ones).toBe(0);
    });
  }
});
