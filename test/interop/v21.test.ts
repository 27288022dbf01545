/**
 * V.21 channel 2 against spandsp 0.0.6 (.peers/bin/modemtx, modemrx), PRBS-23 as the README
 * describes: identical bits both ways, and an SNR sweep (gated noise, made by the peer) where our
 * receiver and spandsp's decode the very same noisy signals, so the error-free SNRs compare.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { peerBin } from '../helpers/peers';
import { V21Receiver } from '../../core/modems/v21-rx';
import { V21Transmitter } from '../../core/modems/v21-tx';
import { END_OF_DATA } from '../../core/modems/types';
import { prbsBits } from '../../core/modems/prbs';

const BITS = 2000;

function s16ToFloat(buf: Buffer): Float32Array {
  const n = buf.length >> 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readInt16LE(2 * i) / 32768;
  return out;
}

function floatToS16(x: Float32Array): Buffer {
  const b = Buffer.alloc(x.length * 2);
  for (let i = 0; i < x.length; i++) b.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(x[i]! * 32768))), 2 * i);
  return b;
}

function spandspTx(seed: number, snr: number | null, noiseSeed = 1): Buffer {
  const args = ['--modem', 'v21', '--prbs', String(seed), '--bits', String(BITS), '-o', '-'];
  if (snr !== null) args.push('--snr', String(snr), '--gate-noise', '--seed', String(noiseSeed));
  return execFileSync(peerBin('modemtx'), args, { maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
}

function spandspRx(raw: Buffer, seed: number, extra: string[] = []): { bit_errors: number; bits_missing: number; offset: number } {
  const out = execFileSync(peerBin('modemrx'), ['--modem', 'v21', '-i', '-', '--prbs', String(seed), '--bits', String(BITS), ...extra], { input: raw, maxBuffer: 1 << 26 });
  return JSON.parse(out.toString().trim().split('\n').pop()!);
}

function oursRx(audio: Float32Array): number[] {
  const got: number[] = [];
  const rx = new V21Receiver((b) => got.push(b));
  for (let i = 0; i < audio.length; i += 160) rx.rx(audio, i, Math.min(160, audio.length - i));
  return got;
}

function bestErrors(rx: ArrayLike<number>, ref: ArrayLike<number>, maxOff = 256): { offset: number; errors: number } {
  let best = { offset: 0, score: Infinity };
  for (let o = 0; o <= maxOff && o < rx.length; o++) {
    let e = 0;
    for (let k = 0; k < 1024 && k < ref.length && e < best.score; k++) if (rx[o + k] !== ref[k]) e++;
    if (e < best.score) best = { offset: o, score: e };
  }
  let errors = 0;
  for (let k = 0; k < ref.length; k++) if (rx[best.offset + k] !== ref[k]) errors++; // missing counts as error
  return { offset: best.offset, errors };
}

function oursTx(seed: number): Float32Array {
  const data = prbsBits(seed, BITS);
  const bits = new Uint8Array(32 + BITS);
  for (let k = 0; k < 32; k++) bits[k] = (0x7e >> (k & 7)) & 1;
  bits.set(data, 32);
  let i = 0;
  const tx = new V21Transmitter(() => (i < bits.length ? bits[i++]! : END_OF_DATA));
  const out = new Float32Array(800 + Math.ceil(bits.length * 8000 / 300) + 800);
  tx.tx(out, 800, out.length - 800);
  return out;
}

describe('V.21 interop with spandsp', () => {
  it('spandsp modulator -> our demodulator: identical bits', () => {
    for (const seed of [1, 2]) {
      const got = oursRx(s16ToFloat(spandspTx(seed, null)));
      const r = bestErrors(got, prbsBits(seed, BITS));
      expect(r.errors).toBe(0);
      expect(r.offset).toBeGreaterThanOrEqual(30); // after spandsp's 32 flag bits
      expect(r.offset).toBeLessThanOrEqual(34);
    }
  });

  it('our modulator -> spandsp demodulator: identical bits, also with noise it adds', () => {
    for (const seed of [1, 3]) {
      const raw = floatToS16(oursTx(seed));
      const r = spandspRx(raw, seed);
      expect(r.bit_errors).toBe(0);
      expect(r.bits_missing).toBe(0);
      const noisy = spandspRx(raw, seed, ['--snr', '8', '--gate-noise', '--seed', '5']);
      expect(noisy.bit_errors).toBe(0);
    }
  });

  it('SNR sweep: both receivers on the same noisy spandsp signals', () => {
    const snrs = [12, 10, 8, 6, 5, 4, 3, 2, 1, 0];
    const rows: { snr: number; ours: number; spandsp: number; ourTx: number }[] = [];
    const ourSignals = [1, 2, 3].map((seed) => floatToS16(oursTx(seed)));
    for (const snr of snrs) {
      let ours = 0, theirs = 0, ourTx = 0;
      for (const seed of [1, 2, 3]) {
        const raw = spandspTx(seed, snr, seed + 10);
        ours += bestErrors(oursRx(s16ToFloat(raw)), prbsBits(seed, BITS)).errors;
        const r = spandspRx(raw, seed);
        theirs += r.bit_errors + r.bits_missing;
        // The other way: spandsp's receiver on our modulator, noise added by modemrx the same way.
        const o = spandspRx(ourSignals[seed - 1]!, seed, ['--snr', String(snr), '--gate-noise', '--seed', String(seed + 10)]);
        ourTx += o.bit_errors + o.bits_missing;
      }
      rows.push({ snr, ours, spandsp: theirs, ourTx });
    }
    const errorFree = (k: 'ours' | 'spandsp' | 'ourTx') => {
      let best: number | null = null;
      for (const r of rows) { if (r[k] === 0) best = r.snr; else break; }
      return best;
    };
    console.log('V.21 SNR sweep (bit errors in 3 x 2000 bits, gated noise)\n' +
      '         spandsp tx -> our rx | spandsp tx -> spandsp rx | our tx -> spandsp rx\n' +
      rows.map((r) => `  ${String(r.snr).padStart(3)} dB  ${String(r.ours).padStart(14)}   ${String(r.spandsp).padStart(20)}   ${String(r.ourTx).padStart(20)}`).join('\n') +
      `\n  error-free down to: our rx ${errorFree('ours')} dB, spandsp rx ${errorFree('spandsp')} dB, spandsp rx on our tx ${errorFree('ourTx')} dB`);
    // Ours must be error-free wherever the sweep starts (12 dB) down to 4 dB, and never much worse than spandsp.
    expect(errorFree('ours')).not.toBeNull();
    expect(errorFree('ours')!).toBeLessThanOrEqual(4);
    for (const r of rows) if (r.snr >= 3) expect(r.ours).toBeLessThanOrEqual(Math.max(30, 3 * r.spandsp));
    // Our modulator is as good a signal for spandsp as its own.
    expect(errorFree('ourTx')).not.toBeNull();
    expect(errorFree('ourTx')!).toBeLessThanOrEqual(errorFree('spandsp')! + 1);
  });
});
