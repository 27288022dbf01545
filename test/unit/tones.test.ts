import { describe, it, expect } from 'vitest';
import { FaxToneTx } from '../../core/tones/fax-tones-tx';
import { FaxToneDetector, type ToneEvent } from '../../core/tones/fax-tones-rx';
import { V21Transmitter } from '../../core/modems/v21-tx';
import { prbsBits } from '../../core/modems/prbs';
import { powerDbm0 } from '../../core/dsp/level';

function detect(x: Float32Array): ToneEvent[] {
  const ev: ToneEvent[] = [];
  const d = new FaxToneDetector((e) => ev.push(e));
  for (let i = 0; i < x.length; i += 160) d.rx(x, i, Math.min(160, x.length - i));
  d.flush();
  return ev;
}
const offs = (ev: ToneEvent[]) => ev.filter((e): e is Extract<ToneEvent, { kind: 'tone-off' }> => e.kind === 'tone-off');

function gauss(seed: number) {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) + 1) / 0x80000000;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

describe('CNG and CED', () => {
  it('generates CNG as 0.5 s on / 3 s off at 1100 Hz and finds each burst', () => {
    const x = new Float32Array(8000 * 8);
    const tx = new FaxToneTx('CNG');
    expect(tx.tx(x)).toBe(x.length);
    expect(Math.abs(powerDbm0(x, 0, 4000) - -11)).toBeLessThan(0.1);
    expect(powerDbm0(x, 4000, 28000)).toBe(-Infinity);
    const o = offs(detect(x));
    expect(o.map((e) => e.tone)).toEqual(['CNG', 'CNG', 'CNG']);
    o.forEach((e, k) => {
      expect(Math.abs(e.start - k * 28000)).toBeLessThanOrEqual(80);
      expect(Math.abs(e.end - (k * 28000 + 4000))).toBeLessThanOrEqual(80);
    });
  });

  it('generates a one-shot CED of the asked length and finds it with start and end', () => {
    const x = new Float32Array(8000 * 5);
    const tx = new FaxToneTx('CED', { cedMs: 3000 });
    const n = tx.tx(x, 4000);
    expect(n).toBe(24000);
    const o = offs(detect(x));
    expect(o.length).toBe(1);
    expect(o[0]!.tone).toBe('CED');
    expect(Math.abs(o[0]!.start - 4000)).toBeLessThanOrEqual(80);
    expect(Math.abs(o[0]!.end - 28000)).toBeLessThanOrEqual(80);
  });

  it('works at -43 dBm0 and with 15 dB SNR noise, ignores -50 dBm0', () => {
    for (const [lvl, snr, found] of [[-43, null, true], [-30, 15, true], [-50, null, false]] as const) {
      const x = new Float32Array(8000 * 4);
      new FaxToneTx('CED', { powerDbm0: lvl }).tx(x, 800);
      if (snr !== null) {
        const g = gauss(3);
        const sigma = Math.sqrt(Math.pow(10, (lvl - snr - 6.16) / 10));
        for (let i = 0; i < x.length; i++) x[i] += sigma * g();
      }
      expect(offs(detect(x)).length).toBe(found ? 1 : 0);
    }
  });

  it('does not fire on V.21, speech-like sounds or noise', () => {
    // V.21 HDLC-like data
    const bits = prbsBits(9, 2000);
    let i = 0;
    const v21 = new Float32Array(8000 * 7);
    new V21Transmitter(() => (i < bits.length ? bits[i++]! : -1)).tx(v21);
    expect(detect(v21)).toEqual([]);
    // flags only (a steady 01111110 pattern)
    let j = 0;
    const flags = new Float32Array(8000 * 2);
    new V21Transmitter(() => (0x7e >> (j++ & 7)) & 1).tx(flags);
    expect(detect(flags)).toEqual([]);
    // voiced speech-like: harmonics of a wobbling 110-140 Hz pitch under moving formants
    const sp = new Float32Array(8000 * 4);
    let ph = 0;
    for (let n = 0; n < sp.length; n++) {
      const t = n / 8000;
      const f0 = 125 + 15 * Math.sin(2 * Math.PI * 3 * t);
      ph += f0 / 8000;
      const f1 = 700 + 300 * Math.sin(2 * Math.PI * 0.7 * t), f2 = 1100 + 500 * Math.sin(2 * Math.PI * 0.45 * t);
      let v = 0;
      for (let h = 1; h < 28; h++) {
        const fh = h * f0;
        const env = Math.exp(-(((fh - f1) / 150) ** 2)) + 0.7 * Math.exp(-(((fh - f2) / 200) ** 2)) + 0.05;
        v += env * Math.sin(2 * Math.PI * h * ph);
      }
      sp[n] = 0.05 * v;
    }
    expect(detect(sp)).toEqual([]);
    const g = gauss(1);
    const noise = Float32Array.from({ length: 8000 * 3 }, () => 0.05 * g());
    expect(detect(noise)).toEqual([]);
  });
});
