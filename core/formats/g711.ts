/**
 * G.711 µ-law and A-law (ITU-T G.711), as small pure functions plus 256-entry decode tables
 * built once at load.
 *
 * How: decoding expands the 3-bit segment (exponent) and 4-bit step (mantissa) of a code into
 * a 16-bit linear value (µ-law: 14-bit range scaled by 4, A-law: 13-bit range scaled by 8, the
 * usual s16 convention used by spandsp and every VoIP stack); encoding finds the segment of
 * the magnitude and keeps the top four bits below its leading one. The transmitted octet is
 * complemented (µ-law) or has its even bits inverted (A-law, XOR 0x55) as G.711 requires.
 * Float samples follow core/dsp/level.ts: 1.0 = s16 full scale (32768).
 */

const ULAW_BIAS = 0x84; // 132: makes every segment start at a power of two
const ULAW_CLIP = 32635; // largest magnitude that still fits after adding the bias

/** µ-law octet → linear s16 (e.g. 0xFF → 0, 0x00 → -32124, 0x80 → 32124). */
export function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 7;
  const t = (((u & 0x0f) << 3) + ULAW_BIAS) << exponent;
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

/** A-law octet → linear s16 (e.g. 0xD5 → 8, 0x55 → -8, 0xAA → 32256). */
export function alawToLinear(code: number): number {
  const a = (code ^ 0x55) & 0xff;
  const exponent = (a >> 4) & 7;
  const mantissa = a & 0x0f;
  const t = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? t : -t;
}

/** Linear s16 (clipped to the s16 range) → µ-law octet. */
export function linearToUlaw(sample: number): number {
  let s = Math.round(sample);
  let mask: number;
  // Negative values use the one's complement magnitude, as the G.191 reference coder does.
  if (s < 0) { s = -s - 1; mask = 0x7f; } else { mask = 0xff; }
  if (s > ULAW_CLIP) s = ULAW_CLIP;
  s += ULAW_BIAS;
  // Segment = position of the leading one above bit 7.
  let exponent = 7;
  for (let probe = 0x4000; (s & probe) === 0 && exponent > 0; probe >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ((exponent << 4) | mantissa) ^ mask;
}

/** Linear s16 (clipped to the s16 range) → A-law octet. */
export function linearToAlaw(sample: number): number {
  let s = Math.round(sample);
  let mask: number;
  if (s >= 0) { mask = 0xd5; } else { mask = 0x55; s = -s - 1; }
  if (s > 32767) s = 32767;
  let code: number;
  if (s < 256) {
    code = s >> 4;
  } else {
    let exponent = 7;
    for (let probe = 0x4000; (s & probe) === 0 && exponent > 1; probe >>= 1) exponent--;
    code = (exponent << 4) | ((s >> (exponent + 3)) & 0x0f);
  }
  return code ^ mask;
}

function buildTable(f: (code: number) => number, scale: number): Float32Array {
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) t[i] = f(i) * scale;
  return t;
}

/** Decode tables: octet → linear s16. */
export const ULAW_TO_S16: Int16Array = Int16Array.from({ length: 256 }, (_, i) => ulawToLinear(i));
export const ALAW_TO_S16: Int16Array = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i));
/** Decode tables: octet → float sample (1.0 = s16 full scale). */
export const ULAW_TO_FLOAT: Float32Array = buildTable(ulawToLinear, 1 / 32768);
export const ALAW_TO_FLOAT: Float32Array = buildTable(alawToLinear, 1 / 32768);

export type G711Law = 'ulaw' | 'alaw';

/** Decode `src[from..to)` into `out` starting at `at`; returns the index after the last sample written. */
export function decodeG711Into(
  law: G711Law, src: Uint8Array, out: Float32Array, at = 0, from = 0, to = src.length,
): number {
  const table = law === 'ulaw' ? ULAW_TO_FLOAT : ALAW_TO_FLOAT;
  const n = Math.min(to - from, out.length - at);
  for (let i = 0; i < n; i++) out[at + i] = table[src[from + i]!]!;
  return at + Math.max(0, n);
}

/** Decode a whole G.711 byte string to float samples. */
export function decodeG711(law: G711Law, src: Uint8Array): Float32Array {
  const out = new Float32Array(src.length);
  decodeG711Into(law, src, out);
  return out;
}

/** Encode float samples (1.0 = s16 full scale) to G.711 octets. */
export function encodeG711(law: G711Law, samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  const enc = law === 'ulaw' ? linearToUlaw : linearToAlaw;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]! * 32768;
    out[i] = enc(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
  }
  return out;
}

/** The octet each law uses for digital silence (decodes to 0 / ±8). */
export const ULAW_SILENCE = 0xff;
export const ALAW_SILENCE = 0xd5;
