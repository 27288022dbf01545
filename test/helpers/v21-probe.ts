/**
 * Test-only oracles for audio pulled out of captures: tone energy by Goertzel, and a deliberately
 * simple V.21 channel 2 (1650 Hz = 1, 1850 Hz = 0, 300 bit/s) demodulator with an HDLC
 * deframer and CRC-16 check, independent of core/modems and core/hdlc so it can vouch for them.
 *
 * The demodulator compares the power at the two tones over a sliding one-bit window, resyncs
 * its bit clock on every decision change and samples mid-bit; frames are kept only with a good
 * FCS, so a wrong decode cannot pass as a right one.
 */

/** Goertzel power at `freq` of x[start..start+n), normalised so a unit sine gives ~0.5. */
export function goertzelPower(x: Float32Array, start: number, n: number, freq: number, rate = 8000): number {
  const c = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0, s2 = 0;
  for (let i = start; i < start + n; i++) {
    const s0 = x[i]! + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (2 * (s1 * s1 + s2 * s2 - c * s1 * s2)) / (n * n);
}

/** Mean-square power of x[start..start+n). */
export function meanSquare(x: Float32Array, start: number, n: number): number {
  let e = 0;
  for (let i = start; i < start + n; i++) e += x[i]! * x[i]!;
  return e / n;
}

/**
 * Seconds (block starts) where a tone at `freq` holds at least `share` of the block's power
 * and the block is above `floor` mean-square. Blocks of `block` samples.
 */
export function toneBlocks(x: Float32Array, freq: number, share = 0.6, block = 400, floor = 1e-5): number[] {
  const out: number[] = [];
  for (let s = 0; s + block <= x.length; s += block) {
    const e = meanSquare(x, s, block);
    if (e < floor) continue;
    if (goertzelPower(x, s, block, freq) > share * e) out.push(s / 8000);
  }
  return out;
}

/** CRC-16/X.25 (HDLC FCS): a frame plus its FCS leaves 0xF0B8. */
function fcsResidue(bits: number[], nBytes: number): number {
  let crc = 0xffff;
  for (let i = 0; i < nBytes * 8; i++) {
    const b = bits[i]! ^ (crc & 1);
    crc >>= 1;
    if (b) crc ^= 0x8408;
  }
  return crc;
}

export interface ProbeFrame { t: number; bytes: Uint8Array }

/** V.21 channel 2 HDLC frames (FCS good, FCS removed) found in 8 kHz audio. */
export function v21Frames(x: Float32Array, rate = 8000): ProbeFrame[] {
  const period = rate / 300;
  const n = Math.round(period);
  const w1 = (2 * Math.PI * 1650) / rate, w0 = (2 * Math.PI * 1850) / rate;
  let r1 = 0, i1 = 0, r0 = 0, i0 = 0, energy = 0;
  let last = -1, nextSample = 0;
  const frames: ProbeFrame[] = [];
  let ones = 0, inFrame = false, bits: number[] = [], frameStart = 0;
  const bit = (b: number, at: number) => {
    if (b) { ones++; if (ones > 6) { inFrame = false; bits = []; } bits.push(1); return; }
    if (ones === 6) {
      // Flag: close the frame before it (drop the six 1s and the flag's leading 0 already pushed).
      const body = bits.slice(0, bits.length - 7);
      if (inFrame && body.length >= 32 && body.length % 8 === 0 && fcsResidue(body, body.length / 8) === 0xf0b8) {
        const bytes = new Uint8Array(body.length / 8 - 2);
        for (let k = 0; k < bytes.length * 8; k++) bytes[k >> 3]! |= body[k]! << (k & 7);
        frames.push({ t: frameStart / rate, bytes });
      }
      inFrame = true; bits = []; ones = 0; frameStart = at;
      return;
    }
    if (ones === 5) { ones = 0; return; } // stuffed zero
    ones = 0;
    bits.push(0);
  };
  for (let k = 0; k < x.length; k++) {
    const v = x[k]!;
    r1 += v * Math.cos(w1 * k); i1 -= v * Math.sin(w1 * k);
    r0 += v * Math.cos(w0 * k); i0 -= v * Math.sin(w0 * k);
    energy += v * v;
    if (k >= n) {
      const u = x[k - n]!;
      r1 -= u * Math.cos(w1 * (k - n)); i1 += u * Math.sin(w1 * (k - n));
      r0 -= u * Math.cos(w0 * (k - n)); i0 += u * Math.sin(w0 * (k - n));
      energy -= u * u;
    }
    const p1 = r1 * r1 + i1 * i1, p0 = r0 * r0 + i0 * i0;
    // Only where the two tones carry most of the power (FSK present).
    if (energy <= 1e-6 || (p1 + p0) * 2 / n < 0.5 * energy) { last = -1; continue; }
    const d = p1 > p0 ? 1 : 0;
    if (d !== last) { nextSample = k + period / 2; last = d; }
    if (k >= nextSample) { bit(d, k); nextSample += period; }
  }
  return frames;
}

/** T.30 frame name from its FCF (frame octet 2, X bit masked), for the few tests need. */
export function fcfName(bytes: Uint8Array): string {
  const names: Record<number, string> = {
    0x80: 'DIS', 0x40: 'CSI', 0x20: 'NSF', 0x82: 'DCS', 0x42: 'TSI', 0x84: 'CFR', 0x44: 'FTT',
    0x8c: 'MCF', 0x4c: 'RTN', 0x2e: 'EOP', 0x4e: 'MPS', 0xfa: 'DCN', 0x22: 'NSS',
  };
  return names[bytes[2]! & 0xfe] ?? `0x${bytes[2]!.toString(16)}`;
}

/** Identity string of a CSI/TSI frame (digits sent last first). */
export function identText(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(3)).reverse().map((c) => String.fromCharCode(c)).join('').trim();
}
