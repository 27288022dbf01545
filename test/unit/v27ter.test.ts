import { describe, it, expect } from 'vitest';
import { V27terTransmitter, v27terTrainingSequence } from '../../core/modems/v27ter-tx';
import { V27terReceiver } from '../../core/modems/v27ter-rx';
import { modulate, demodulate, compareBits } from '../../core/line/modem-harness';
import { applyLine } from '../../core/line/line-model';
import { prbsBits } from '../../core/modems/prbs';
import { powerDbm0 } from '../../core/dsp/level';
import { Prng } from '../../core/line/prng';
import type { ModemStatus } from '../../core/modems/types';

describe('V.27ter transmitter', () => {
  it('long and short trainings have the segment lengths of V.27ter', () => {
    const l = v27terTrainingSequence(4800);
    expect([l.seg3, l.seg4 - l.seg3, l.seg5 - l.seg4, l.end - l.seg5]).toEqual([32, 50, 1074, 8]);
    const s = v27terTrainingSequence(4800, true);
    expect([s.seg3, s.seg4 - s.seg3, s.seg5 - s.seg4, s.end - s.seg5]).toEqual([32, 14, 58, 8]);
    // segment 2 silent, segment 3 continuous 180 degree reversals, segment 4 only 0/180 changes
    for (let i = 0; i < l.seg3; i++) expect(l.states[i]).toBe(-1);
    for (let i = l.seg3 + 1; i < l.seg4; i++) expect((l.states[i]! - l.states[i - 1]! + 8) & 7).toBe(4);
    for (let i = l.seg4; i < l.seg5; i++) expect(l.states[i]! & 3).toBe(0);
  });

  it('sends at -14 dBm0, with the optional echo protection tone in front', () => {
    const x = modulate('v27ter', 4800, prbsBits(1, 9600), { leadSamples: 0, tailSamples: 0 });
    expect(Math.abs(powerDbm0(x, 2000, 8000) - -14)).toBeLessThan(0.3);
    const t = modulate('v27ter', 4800, prbsBits(1, 9600), { leadSamples: 0, tailSamples: 0, tep: true });
    expect(t.length - x.length).toBe(320 * 5);
  });

  it('rejects rates V.27ter does not have', () => {
    expect(() => new V27terTransmitter(9600 as never, () => 0)).toThrow(/rate/);
    expect(() => new V27terReceiver(7200 as never, () => {}, () => {})).toThrow(/rate/);
  });
});

describe('V.27ter loopback', () => {
  for (const rate of [4800, 2400] as const) {
    it(`${rate} bit/s: trains and delivers 20000 bits without error`, () => {
      const ref = prbsBits(rate, 20000);
      const r = demodulate('v27ter', rate, modulate('v27ter', rate, ref));
      expect(r.training).toBe('succeeded');
      const c = compareBits(ref, r.bits);
      expect([c.offset, c.missing, c.errors]).toEqual([0, 0, 0]);
    });
    it(`${rate} bit/s short train: trains and delivers the data`, () => {
      const ref = prbsBits(7, 9600);
      const r = demodulate('v27ter', rate, modulate('v27ter', rate, ref, { shortTrain: true }), { shortTrain: true });
      expect(r.training).toBe('succeeded');
      expect(compareBits(ref, r.bits).errors).toBe(0);
    });
  }

  it('TCF zeros arrive as zeros, and the receiver exposes MSE and points', () => {
    const x = modulate('v27ter', 4800, new Uint8Array(7200));
    const bits: number[] = [];
    const rx = new V27terReceiver(4800, (b) => bits.push(b), () => {});
    rx.rx(x, 0, Math.floor(x.length * 0.8));
    expect(rx.mse()).toBeLessThan(0.01);
    const re = new Float32Array(32), im = new Float32Array(32);
    expect(rx.constellation(re, im)).toBe(32);
    for (let i = 0; i < 32; i++) expect(Math.abs(Math.hypot(re[i]!, im[i]!) - 1.414)).toBeLessThan(0.15);
    rx.rx(x, Math.floor(x.length * 0.8));
    expect(bits.slice(0, 7200).every((b) => b === 0)).toBe(true);
  });

  it('fillin() over a lost block: the count holds and later bits are right', () => {
    const ref = prbsBits(3, 20000);
    const x = modulate('v27ter', 4800, ref);
    const bits: number[] = [];
    const rx = new V27terReceiver(4800, (b) => bits.push(b), () => {});
    rx.rx(x, 0, 12000);
    rx.fillin(160);
    rx.rx(x, 12160);
    const c = compareBits(ref, bits);
    let late = 0;
    for (let i = 12000; i < ref.length; i++) if (bits[i + c.offset] !== ref[i]) late++;
    expect(late).toBe(0);
  });
});

describe('V.27ter receiver on bad input', () => {
  const run = (x: Float32Array, rate: 4800 | 2400 = 4800) => {
    const ev: ModemStatus[] = [];
    let n = 0;
    const rx = new V27terReceiver(rate, () => n++, (s) => ev.push(s));
    expect(() => { for (let i = 0; i < x.length; i += 160) rx.rx(x, i, Math.min(160, x.length - i)); }).not.toThrow();
    return { ev, n };
  };
  it('4 s of loud noise: never trains, says why', () => {
    const x = new Float32Array(32000);
    const g = new Prng(12);
    for (let i = 0; i < x.length; i++) x[i] = 0.1 * g.gaussian();
    const r = run(x);
    expect(r.ev.some((e) => e.kind === 'training-succeeded')).toBe(false);
    expect(r.ev.some((e) => e.kind === 'training-failed')).toBe(true);
  });
  it('a V.29 burst is not taken for V.27ter; 2400 does not train on 4800', () => {
    expect(run(modulate('v29', 9600, prbsBits(1, 8000))).ev.some((e) => e.kind === 'training-succeeded')).toBe(false);
    expect(run(modulate('v27ter', 4800, prbsBits(1, 8000)), 2400).ev.some((e) => e.kind === 'training-succeeded')).toBe(false);
  });
});

describe('V.27ter with noise already on the line', () => {
  it('trains at 16 dB SNR (4800) after 1 s of noise (spandsp 0.0.6 never does)', () => {
    const ref = prbsBits(5, 20000);
    const x = applyLine(modulate('v27ter', 4800, ref, { leadSamples: 8000 }), { snrDb: 16, seed: 5 });
    const r = demodulate('v27ter', 4800, x);
    expect(r.training).toBe('succeeded');
    expect(compareBits(ref, r.bits).errors).toBe(0);
  });
});
