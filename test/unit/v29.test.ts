import { describe, it, expect } from 'vitest';
import { V29Transmitter, v29TrainingSequence, V29_SEG1, V29_SEG2, V29_SEG3, V29_SEG4 } from '../../core/modems/v29-tx';
import { V29Receiver } from '../../core/modems/v29-rx';
import { modulate, demodulate, compareBits } from '../../core/line/modem-harness';
import { applyLine } from '../../core/line/line-model';
import { prbsBits } from '../../core/modems/prbs';
import { powerDbm0 } from '../../core/dsp/level';
import { Prng } from '../../core/line/prng';
import type { ModemStatus } from '../../core/modems/types';

describe('V.29 transmitter', () => {
  it('training segments have the lengths and symbols of V.29 (as spandsp sends them)', () => {
    const t = v29TrainingSequence(9600);
    expect([t.seg2, t.seg3, t.seg4, t.end]).toEqual([V29_SEG1, V29_SEG1 + V29_SEG2, V29_SEG1 + V29_SEG2 + V29_SEG3, 48 + 128 + 384 + 48]);
    expect([V29_SEG1, V29_SEG2, V29_SEG3, V29_SEG4]).toEqual([48, 128, 384, 48]);
    for (let i = 0; i < t.seg2; i++) expect([t.re[i], t.im[i]]).toEqual([0, 0]);
    // segment 2 alternates B = (-3, 0) and A = (3, -3) at 9600, starting with B
    expect([t.re[t.seg2], t.im[t.seg2], t.re[t.seg2 + 1], t.im[t.seg2 + 1]]).toEqual([-3, 0, 3, -3]);
    // segment 3 uses only C = (3, 0) and D = (-3, 3)
    for (let i = t.seg3; i < t.seg4; i++) expect(['3,0', '-3,3']).toContain(`${t.re[i]},${t.im[i]}`);
    const t48 = v29TrainingSequence(4800);
    expect([t48.re[t48.seg2 + 1], t48.im[t48.seg2 + 1]]).toEqual([0, -3]);
    const t72 = v29TrainingSequence(7200);
    expect([t72.re[t72.seg2 + 1], t72.im[t72.seg2 + 1]]).toEqual([1, -1]);
  });

  it('sends data at -14 dBm0 and stops after the shutdown', () => {
    const x = modulate('v29', 9600, prbsBits(1, 24000), { leadSamples: 0, tailSamples: 0 });
    // 608 training symbols (20 ms of them silence), 6000 data, 1 + 32 shutdown, 11 to drain the filter
    expect(Math.abs(powerDbm0(x, 4000, 20000) - -14)).toBeLessThan(0.3);
    const expected = ((608 + 24000 / 4 + 33 + 11) * 10) / 3;
    expect(Math.abs(x.length - expected)).toBeLessThan(20);
  });

  it('rejects rates V.29 does not have', () => {
    expect(() => new V29Transmitter(14400 as never, () => 0)).toThrow(/rate/);
    expect(() => new V29Receiver(2400 as never, () => {}, () => {})).toThrow(/rate/);
  });
});

describe('V.29 loopback', () => {
  for (const rate of [9600, 7200, 4800] as const) {
    it(`${rate} bit/s: trains and delivers 20000 bits without error`, () => {
      const ref = prbsBits(rate, 20000);
      const r = demodulate('v29', rate, modulate('v29', rate, ref));
      expect(r.training).toBe('succeeded');
      const c = compareBits(ref, r.bits);
      expect(c.offset).toBe(0);
      expect(c.missing).toBe(0);
      expect(c.errors).toBe(0);
    });
  }

  it('TCF: a getBit of zeros arrives as zeros', () => {
    const r = demodulate('v29', 9600, modulate('v29', 9600, new Uint8Array(14400)));
    expect(r.trained).toBe(true);
    let ones = 0;
    for (let i = 0; i < 14400; i++) ones += r.bits[i]!;
    expect(ones).toBe(0);
  });

  it('exposes MSE and constellation points while receiving, and events in order', () => {
    const x = modulate('v29', 9600, prbsBits(2, 20000));
    const ev: ModemStatus[] = [];
    const rx = new V29Receiver(9600, () => {}, (s) => ev.push(s));
    const half = Math.floor(x.length / 2);
    rx.rx(x, 0, half);
    expect(rx.trained).toBe(true);
    expect(rx.mse()).toBeLessThan(0.01);
    const re = new Float32Array(64), im = new Float32Array(64);
    expect(rx.constellation(re, im)).toBe(64);
    // points sit on the 9600 constellation: radii 1.41, 3, 4.24, 5
    for (let i = 0; i < 64; i++) {
      const r = Math.hypot(re[i]!, im[i]!);
      expect(Math.min(...[Math.SQRT2, 3, Math.sqrt(18), 5].map((v) => Math.abs(v - r)))).toBeLessThan(0.3);
    }
    rx.rx(x, half);
    expect(ev.map((e) => e.kind)).toEqual(['carrier-up', 'training-in-progress', 'training-succeeded', 'carrier-down']);
  });

  it('fillin() over a lost 20 ms block keeps the bit count and the later bits right', () => {
    const ref = prbsBits(3, 30000);
    const x = modulate('v29', 9600, ref);
    const bits: number[] = [];
    const rx = new V29Receiver(9600, (b) => bits.push(b), () => {});
    const gap = 8000; // 1 s in, during data
    rx.rx(x, 0, gap);
    rx.fillin(160);
    rx.rx(x, gap + 160);
    const c = compareBits(ref, bits);
    // 160 samples = 48 symbols = 192 bits were lost; the receiver keeps time, so the count holds
    expect(c.offset).toBe(0);
    expect(c.missing).toBe(0);
    let late = 0;
    for (let i = 15000; i < ref.length; i++) if (bits[i + c.offset] !== ref[i]) late++;
    expect(late).toBe(0);
  });
});

describe('V.29 receiver on bad input', () => {
  const run = (x: Float32Array, rate: 9600 | 7200 | 4800 = 9600) => {
    const ev: ModemStatus[] = [];
    let n = 0;
    const rx = new V29Receiver(rate, () => n++, (s) => ev.push(s));
    expect(() => { for (let i = 0; i < x.length; i += 160) rx.rx(x, i, Math.min(160, x.length - i)); }).not.toThrow();
    return { ev, n };
  };
  it('silence: no events, no bits', () => {
    const r = run(new Float32Array(16000));
    expect(r.ev).toEqual([]);
    expect(r.n).toBe(0);
  });
  it('4 s of loud noise: carrier up, never trains, says why', () => {
    const x = new Float32Array(32000);
    const g = new Prng(11);
    for (let i = 0; i < x.length; i++) x[i] = 0.1 * g.gaussian();
    const r = run(x);
    expect(r.ev.some((e) => e.kind === 'training-succeeded')).toBe(false);
    expect(r.ev.some((e) => e.kind === 'training-failed' && e.reason.length > 0)).toBe(true);
    expect(r.n).toBe(0);
  });
  it('NaN, infinities and full-scale square waves do not throw', () => {
    const x = new Float32Array(8000);
    for (let i = 0; i < x.length; i++) x[i] = i % 100 === 0 ? NaN : i % 77 === 0 ? Infinity : (i >> 3) & 1 ? 1 : -1;
    const r = run(x);
    expect(r.ev.some((e) => e.kind === 'training-succeeded')).toBe(false);
  });
  it('a V.27ter burst is not taken for V.29', () => {
    const r = run(modulate('v27ter', 4800, prbsBits(1, 8000)));
    expect(r.ev.some((e) => e.kind === 'training-succeeded')).toBe(false);
  });
  it('7200 receiver does not train on a 9600 signal', () => {
    const r = run(modulate('v29', 9600, prbsBits(1, 8000)), 7200);
    expect(r.ev.some((e) => e.kind === 'training-succeeded')).toBe(false);
  });
});

describe('V.29 training with noise already on the line', () => {
  it('trains at 22 dB SNR with 1 s of noise before the burst (spandsp 0.0.6 often cannot)', () => {
    const ref = prbsBits(5, 20000);
    const x = applyLine(modulate('v29', 9600, ref, { leadSamples: 8000 }), { snrDb: 22, seed: 5 });
    const r = demodulate('v29', 9600, x);
    expect(r.training).toBe('succeeded');
    expect(compareBits(ref, r.bits).errors).toBe(0);
  });
});
