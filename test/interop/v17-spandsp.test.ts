/**
 * V.17 against spandsp 0.0.6, both ways, every rate, at the normal -14 dBm0 and at -43 dBm0:
 * spandsp modemtx (PRBS-23) -> our receiver, and our transmitter -> spandsp modemrx. The oracle
 * is the PRBS itself (ours: bit-by-bit compare from the first bit after training-succeeded;
 * spandsp's: modemrx's own bit-error count).
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { peerBin, fixture } from '../helpers/peers';
import { V17Receiver, type V17RxOptions } from '../../core/modems/v17-rx';
import type { ModemStatus } from '../../core/modems/types';
import { prbs, v17Signal, addNoise, activePower, concat } from '../unit/v17-line';

const RATES = [14400, 12000, 9600, 7200];

function s16ToFloat(buf: Buffer, gainDb = 0): Float32Array {
  const g = Math.pow(10, gainDb / 20);
  const x = new Float32Array(buf.length >> 1);
  // Re-quantise after the gain change, as a real line at that level would be.
  for (let i = 0; i < x.length; i++) x[i] = Math.round(buf.readInt16LE(2 * i) * g) / 32768;
  return x;
}

function floatToS16(x: Float32Array): Buffer {
  const b = Buffer.alloc(x.length * 2);
  for (let i = 0; i < x.length; i++) b.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(x[i]! * 32768))), 2 * i);
  return b;
}

function wavData(path: string): Buffer {
  const b = readFileSync(path);
  let p = 12;
  while (p + 8 <= b.length) {
    const id = b.toString('ascii', p, p + 4);
    const len = b.readUInt32LE(p + 4);
    if (id === 'data') return b.subarray(p + 8, p + 8 + len);
    p += 8 + len + (len & 1);
  }
  throw new Error('no data chunk');
}

function decode(x: Float32Array, opts: V17RxOptions): { bits: number[]; events: ModemStatus[] } {
  const bits: number[] = [];
  const events: ModemStatus[] = [];
  const rx = new V17Receiver(opts, (b) => bits.push(b), (s) => events.push(s));
  for (let i = 0; i < x.length; i += 160) rx.rx(x, i, Math.min(160, x.length - i));
  return { bits, events };
}

function countErrors(got: number[], ref: Uint8Array): number {
  let e = 0;
  for (let i = 0; i < ref.length; i++) if (got[i] !== ref[i]) e++;
  return e;
}

describe('spandsp modemtx -> webfax V.17 receiver', () => {
  for (const rate of RATES) {
    for (const gain of [0, -29]) {
      it(`${rate} bit/s at ${-14 + gain} dBm0`, () => {
        const n = 20000;
        const raw = execFileSync(peerBin('modemtx'), ['--modem', 'v17', '--rate', String(rate), '--prbs', '1', '--bits', String(n), '-o', '-'], { maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
        const { bits, events } = decode(s16ToFloat(raw, gain), { rate });
        expect(events.filter((e) => e.kind === 'training-succeeded').length).toBe(1);
        expect(events.some((e) => e.kind === 'training-failed')).toBe(false);
        expect(bits.length).toBeGreaterThanOrEqual(n);
        expect(countErrors(bits, prbs(1, n))).toBe(0);
      });
    }
  }

  // spandsp's own receiver almost never trains when noise precedes the signal (its README, gotcha 10).
  const OURS_DB: Record<number, number> = { 14400: 23, 12000: 18, 9600: 16, 7200: 13 };
  for (const rate of RATES) {
    it(`${rate} bit/s with noise before and during the signal at ${OURS_DB[rate]} dB SNR: 50 000 bits error-free`, () => {
      const n = 50000;
      const raw = execFileSync(peerBin('modemtx'), ['--modem', 'v17', '--rate', String(rate), '--prbs', '1', '--bits', String(n), '-o', '-'], { maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
      const clean = concat(new Float32Array(2000), s16ToFloat(raw));
      const { bits, events } = decode(addNoise(clean, OURS_DB[rate]!, 11, activePower(clean)), { rate });
      expect(events.map((e) => e.kind)).toContain('training-succeeded');
      expect(bits.length).toBeGreaterThanOrEqual(n);
      expect(countErrors(bits, prbs(1, n))).toBe(0);
    });
  }

  it('the recorded fixture v17_14400_prbs1.wav decodes bit-exact', () => {
    const x = s16ToFloat(wavData(fixture('modems', 'v17_14400_prbs1.wav')));
    const { bits, events } = decode(x, { rate: 14400 });
    expect(events.map((e) => e.kind)).toContain('training-succeeded');
    expect(bits.length).toBeGreaterThanOrEqual(10000);
    expect(countErrors(bits, prbs(1, 10000))).toBe(0);
  });
});

describe('a recorded spandsp V.17 fax call (fixtures/calls/v17_14400_noecm)', () => {
  it('TCF on the long train is all zeros; each page on the short train carries its 1143 rows of EOLs', () => {
    const x = s16ToFloat(wavData(fixture('calls', 'v17_14400_noecm.wav')));
    const log = readFileSync(fixture('calls', 'v17_14400_noecm.frames.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const starts = log.filter((e) => e.event === 'fast_tx_start');
    const ends = log.filter((e) => e.event === 'fast_tx_end');
    expect(starts.length).toBe(4);
    const bits: number[] = [];
    const events: ModemStatus[] = [];
    const rx = new V17Receiver({ rate: 14400 }, (b) => bits.push(b), (s) => events.push(s));
    const results: { trained: boolean; bits: number[] }[] = [];
    for (let k = 0; k < starts.length; k++) {
      rx.restart({ rate: 14400, shortTrain: starts[k].short_train });
      bits.length = 0;
      events.length = 0;
      const a = starts[k].sample - 800;
      const b = Math.min(x.length, ends[k].sample + 1600);
      for (let i = a; i < b; i += 160) rx.rx(x, i, Math.min(160, b - i));
      results.push({ trained: events.some((e) => e.kind === 'training-succeeded'), bits: bits.slice() });
    }
    // TCF: 1.5 s of zeros (the modem's trailing ones follow them).
    expect(results[0]!.trained).toBe(true);
    const tcf = results[0]!.bits;
    expect(tcf.length).toBeGreaterThan(21000);
    expect(tcf.slice(0, 21000).every((b) => b === 0)).toBe(true);
    // Pages: T.4 2-D, every row starts with EOL (000000000001); 1143 rows + 6 for RTC.
    for (let k = 1; k < 4; k++) {
      expect(results[k]!.trained, `page ${k}`).toBe(true);
      const p = results[k]!.bits;
      let eols = 0;
      let zeros = 0;
      for (const b of p) {
        if (b === 0) zeros++;
        else { if (zeros >= 11) eols++; zeros = 0; }
      }
      expect(eols, `page ${k}`).toBeGreaterThanOrEqual(1143);
      expect(eols, `page ${k}`).toBeLessThanOrEqual(1143 + 6);
    }
  });
});

describe('webfax V.17 transmitter -> spandsp modemrx', () => {
  it('with the talker echo protection tone first (spandsp fails on the tone, then trains after its gap)', () => {
    const n = 20000;
    const x = v17Signal({ rate: 14400, tep: true }, prbs(1, n), 800, 800);
    const out = execFileSync(peerBin('modemrx'), ['--modem', 'v17', '--rate', '14400', '-i', '-', '--prbs', '1', '--bits', String(n)], { input: floatToS16(x) });
    const r = JSON.parse(out.toString().trim().split('\n').pop()!);
    expect(r.trained).toBe(1);
    expect(r.bits_compared).toBe(n);
    expect(r.bit_errors).toBe(0);
    const ours = decode(x, { rate: 14400 });
    expect(ours.events.map((e) => e.kind)).toEqual(['carrier-up', 'training-in-progress', 'training-succeeded', 'carrier-down']);
    expect(countErrors(ours.bits, prbs(1, n))).toBe(0);
  });

  for (const rate of RATES) {
    for (const level of [-14, -43]) {
      it(`${rate} bit/s at ${level} dBm0`, () => {
        const n = 20000;
        const x = v17Signal({ rate, levelDbm0: level }, prbs(1, n), 800, 800);
        const out = execFileSync(peerBin('modemrx'), ['--modem', 'v17', '--rate', String(rate), '-i', '-', '--prbs', '1', '--bits', String(n)], { input: floatToS16(x) });
        const r = JSON.parse(out.toString().trim().split('\n').pop()!);
        expect(r.training).toBe('succeeded');
        expect(r.bits_missing).toBe(0);
        expect(r.bits_compared).toBe(n);
        expect(r.bit_errors).toBe(0);
        expect(Math.abs(r.signal_dbm0 - level)).toBeLessThan(0.5);
      });
    }
  }
});
