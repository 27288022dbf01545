import { describe, it, expect } from 'vitest';
import { V21Transmitter } from '../../core/modems/v21-tx';
import { V21Receiver } from '../../core/modems/v21-rx';
import { END_OF_DATA, type ModemStatus } from '../../core/modems/types';
import { prbsBits } from '../../core/modems/prbs';
import { powerDbm0 } from '../../core/dsp/level';

/** 32 bits of flags (as spandsp's modemtx sends) then `data`, with silence around. */
function modulate(data: Uint8Array, powerDbm0 = -14, lead = 800, tail = 800): Float32Array {
  const bits = new Uint8Array(32 + data.length);
  for (let k = 0; k < 32; k++) bits[k] = (0x7e >> (k & 7)) & 1;
  bits.set(data, 32);
  let i = 0;
  const tx = new V21Transmitter(() => (i < bits.length ? bits[i++]! : END_OF_DATA), { powerDbm0 });
  const out = new Float32Array(lead + Math.ceil((bits.length * 8000) / 300) + 10 + tail);
  const n = tx.tx(out, lead, out.length - lead);
  expect(tx.done).toBe(true);
  expect(n).toBeGreaterThan(bits.length * 26);
  return out;
}

/** Errors of `rx` against `ref` at the best offset (search 0..maxOff on the first 256 bits). */
export function bestErrors(rx: ArrayLike<number>, ref: ArrayLike<number>, maxOff = 300): { offset: number; errors: number; missing: number } {
  let best = { offset: 0, score: Infinity };
  for (let o = 0; o <= maxOff && o < rx.length; o++) {
    let e = 0;
    for (let k = 0; k < 256 && k < ref.length; k++) if (rx[o + k] !== ref[k]) e++;
    if (e < best.score) best = { offset: o, score: e };
  }
  let errors = 0, missing = 0;
  for (let k = 0; k < ref.length; k++) {
    const v = rx[best.offset + k];
    if (v === undefined) missing++;
    else if (v !== ref[k]) errors++;
  }
  return { offset: best.offset, errors, missing };
}

function shift(x: Float32Array, hz: number): Float32Array {
  // Frequency offset by single-sideband shift: analytic signal via a long Hilbert FIR is heavy; for a
  // narrowband FSK test it is enough to resynthesise: mix with cos and a 90-degree copy from a delay
  // of a quarter period of the centre frequency (1750 Hz), accurate to a few % over 1650..1850 Hz.
  const out = new Float32Array(x.length);
  const d = Math.round(8000 / 1750 / 4); // ~1 sample
  for (let n = 0; n < x.length; n++) {
    const q = n >= d ? x[n - d]! : 0;
    const w = (2 * Math.PI * hz * n) / 8000;
    out[n] = x[n]! * Math.cos(w) - q * Math.sin(w);
  }
  return out;
}

describe('V.21 channel 2 modem', () => {
  it('transmits at -14 dBm0 on 1650/1850 Hz', () => {
    const sig = modulate(prbsBits(1, 600), -14, 0, 0);
    expect(Math.abs(powerDbm0(sig, 0, 15000) - -14)).toBeLessThan(0.1);
  });

  it('loops back PRBS bits error-free with carrier up and down events', () => {
    const bits = prbsBits(3, 3000);
    const sig = modulate(bits);
    const got: number[] = [];
    const ev: ModemStatus[] = [];
    const rx = new V21Receiver((b) => got.push(b), (s) => ev.push(s));
    for (let i = 0; i < sig.length; i += 160) rx.rx(sig, i, Math.min(160, sig.length - i));
    const r = bestErrors(got, bits);
    expect(r.errors).toBe(0);
    expect(r.missing).toBe(0);
    expect(ev.map((e) => e.kind)).toEqual(['carrier-up', 'carrier-down']);
    expect(Math.abs(ev[0]!.sample - 800)).toBeLessThan(60);
    expect(r.offset).toBeGreaterThanOrEqual(30);
    expect(r.offset).toBeLessThanOrEqual(34);
  });

  for (const hz of [-10, 10]) {
    it(`tolerates a ${hz} Hz carrier offset`, () => {
      const bits = prbsBits(5, 2000);
      const sig = shift(modulate(bits), hz);
      const got: number[] = [];
      const rx = new V21Receiver((b) => got.push(b));
      rx.rx(sig);
      expect(bestErrors(got, bits).errors).toBe(0);
    });
  }

  it('detects carrier at -42 dBm0 but not at -49 dBm0, and decodes at -42', () => {
    const bits = prbsBits(2, 500);
    for (const [lvl, expectUp] of [[-42, true], [-49, false]] as const) {
      const sig = modulate(bits, lvl);
      const got: number[] = [];
      const ev: ModemStatus[] = [];
      const rx = new V21Receiver((b) => got.push(b), (s) => ev.push(s));
      rx.rx(sig);
      expect(ev.some((e) => e.kind === 'carrier-up')).toBe(expectUp);
      if (expectUp) expect(bestErrors(got, bits).errors).toBe(0);
      else expect(got.length).toBe(0);
    }
  });

  it('survives NaN, huge values and fillin without throwing', () => {
    const rx = new V21Receiver(() => {});
    const x = new Float32Array(1000);
    x[5] = NaN; x[6] = Infinity; x[7] = -1e30;
    expect(() => { rx.rx(x); rx.fillin(5000); rx.rx(modulate(prbsBits(1, 100))); }).not.toThrow();
  });
});
