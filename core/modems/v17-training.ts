/**
 * The V.17 training sequence, shared by transmitter and receiver, and the V.17 scrambler.
 *
 * Segments (in symbols at 2400 baud; facts from V.17 section 7 and spandsp v17tx.c):
 *   optional TEP: 480 of unmodulated carrier (point A), then 48 of silence;
 *   1: 256 of ABAB...;
 *   2: 2976 (long) or 38 (short) of CDBA: pairs of scrambled ones mapped 0->C 1->D 2->B 3->A;
 *   3: 64 of bridge (long only): the 16-bit word 0x8880 scrambled, as phase steps;
 *   4: 48 of scrambled ones, trellis coded at the data rate; then data.
 * The scrambler (1 + x^-18 + x^-23) starts at 0x2ECDD5, as spandsp's does, so a receiver can
 * generate segments 2 and 3 itself. The differential encoder enters segment 4 at 1 (long) / 0 (short).
 * Shutdown: 32 symbols of scrambled ones, then 48 of silence.
 */

export const SCRAMBLER_SEED = 0x2ecdd5;
export const TEP_CARRIER_SYMBOLS = 480;
export const TEP_SILENCE_SYMBOLS = 48;
export const SEG1_SYMBOLS = 256;
export const SEG2_LONG_SYMBOLS = 2976;
export const SEG2_SHORT_SYMBOLS = 38;
export const SEG3_SYMBOLS = 64;
export const SEG4_SYMBOLS = 48;
export const SHUTDOWN_ONES_SYMBOLS = 32;
export const SHUTDOWN_SILENCE_SYMBOLS = 48;
const BRIDGE_WORD = 0x8880;

/** One step of the V.17 scrambler: returns [outBit, newRegister] packed as out | reg << 1. */
export function scrambleStep(reg: number, bit: number): number {
  const out = (bit ^ (reg >> 17) ^ (reg >> 22)) & 1;
  return (((reg << 1) | out) & 0x7fffff) * 2 + out;
}

/** Descramble one bit (self-synchronising): returns out | newRegister << 1. */
export function descrambleStep(reg: number, bit: number): number {
  const out = (bit ^ (reg >> 17) ^ (reg >> 22)) & 1;
  return (((reg << 1) | (bit & 1)) & 0x7fffff) * 2 + out;
}

export interface V17Training {
  /** ABCD index (0..3) of every symbol of segments 1-3. */
  symbols: Uint8Array;
  /** Scrambler register after segment 3 (or 2 for the short train). */
  scramblerAfter: number;
}

const cache = new Map<boolean, V17Training>();

/** The symbols of segments 1-3 (short: 1-2). Cached; do not modify the result. */
export function v17Training(shortTrain: boolean): V17Training {
  const hit = cache.get(shortTrain);
  if (hit) return hit;
  const seg2 = shortTrain ? SEG2_SHORT_SYMBOLS : SEG2_LONG_SYMBOLS;
  const seg3 = shortTrain ? 0 : SEG3_SYMBOLS;
  const symbols = new Uint8Array(SEG1_SYMBOLS + seg2 + seg3);
  let k = 0;
  for (let i = 0; i < SEG1_SYMBOLS; i++) symbols[k++] = i & 1; // A, B, A, B...
  let reg = SCRAMBLER_SEED;
  const CDBA_TO_ABCD = [2, 3, 1, 0];
  let state = 0;
  for (let i = 0; i < seg2; i++) {
    let r = scrambleStep(reg, 1);
    let bits = r & 1;
    reg = r >>> 1;
    r = scrambleStep(reg, 1);
    bits = (bits << 1) | (r & 1);
    reg = r >>> 1;
    state = CDBA_TO_ABCD[bits]!;
    symbols[k++] = state;
  }
  const DIBIT_TO_STEP = [1, 0, 2, 3];
  for (let i = 0; i < seg3; i++) {
    const shift = (i & 7) << 1;
    let r = scrambleStep(reg, BRIDGE_WORD >> shift);
    let bits = r & 1;
    reg = r >>> 1;
    r = scrambleStep(reg, BRIDGE_WORD >> (shift + 1));
    bits = (bits << 1) | (r & 1);
    reg = r >>> 1;
    state = (state + DIBIT_TO_STEP[bits]!) & 3;
    symbols[k++] = state;
  }
  const t = { symbols, scramblerAfter: reg };
  cache.set(shortTrain, t);
  return t;
}
