/**
 * Root-raised-cosine pulse tables for the V.17 transmitter and receiver (2400 baud at 8000 Hz,
 * i.e. 10/3 samples per symbol). Built once at module load into typed arrays.
 *
 * TX: polyphase table over 10 phases of T/10 (the transmitter's baud phase steps by 3/10 T per
 * sample), SPAN symbols long, excess bandwidth 0.25, delay SPAN/2 symbols.
 * RX: baseband low-pass RRC (same excess bandwidth, matched), evaluated at any fractional time
 * through RX_PHASES sub-sample phases, 2*RX_HALF+2 taps, unit DC gain.
 */
import { meanSquareForDbm0 } from '../dsp/level';

export const BETA = 0.25;
export const SAMPLES_PER_SYMBOL = 10 / 3;

/** Root-raised-cosine impulse response at t symbols (peak 1 - beta + 4 beta / pi). */
export function rrc(t: number, beta: number): number {
  const at = Math.abs(t);
  if (at < 1e-9) return 1 - beta + (4 * beta) / Math.PI;
  if (Math.abs(at - 1 / (4 * beta)) < 1e-9) {
    const a = Math.PI / (4 * beta);
    return (beta / Math.SQRT2) * ((1 + 2 / Math.PI) * Math.sin(a) + (1 - 2 / Math.PI) * Math.cos(a));
  }
  const num = Math.sin(Math.PI * t * (1 - beta)) + 4 * beta * t * Math.cos(Math.PI * t * (1 + beta));
  const den = Math.PI * t * (1 - (4 * beta * t) * (4 * beta * t));
  return num / den;
}

/** TX filter length in symbols. */
export const TX_SPAN = 12;
/** TX_TABLE[phase * TX_SPAN + i] multiplies the symbol i places before the newest one. */
export const TX_TABLE = new Float32Array(10 * TX_SPAN);
{
  for (let p = 0; p < 10; p++) {
    for (let i = 0; i < TX_SPAN; i++) {
      const t = i + p / 10 - TX_SPAN / 2;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * t) / (TX_SPAN / 2 + 0.5)); // soft truncation
      TX_TABLE[p * TX_SPAN + i] = rrc(t, BETA) * w;
    }
  }
}

/**
 * Gain that puts a V.17 signal (points of average energy 40) at `dbm0` through TX_TABLE.
 * Passband power = Es * mean over phases of sum(h^2) / 2.
 */
export function txGainForDbm0(dbm0: number): number {
  let acc = 0;
  for (let k = 0; k < TX_TABLE.length; k++) acc += TX_TABLE[k]! * TX_TABLE[k]!;
  const perSample = (40 * (acc / 10)) / 2;
  return Math.sqrt(meanSquareForDbm0(dbm0) / perSample);
}

/** RX filter half-length in samples; the filter has 2*RX_HALF+2 taps. */
export const RX_HALF = 12;
export const RX_TAPS = 2 * RX_HALF + 2;
/** Sub-sample phases of the RX filter. */
export const RX_PHASES = 32;
/** RX_TABLE[p * RX_TAPS + (j + RX_HALF)] = g(j - p/RX_PHASES), j = -RX_HALF..RX_HALF+1 samples. */
export const RX_TABLE = new Float32Array(RX_PHASES * RX_TAPS);
{
  let dc = 0;
  for (let p = 0; p < RX_PHASES; p++) {
    for (let j = -RX_HALF; j <= RX_HALF + 1; j++) {
      const ts = j - p / RX_PHASES;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * ts) / (RX_HALF + 1.5));
      const v = rrc(ts / SAMPLES_PER_SYMBOL, BETA) * w;
      RX_TABLE[p * RX_TAPS + j + RX_HALF] = v;
      if (p === 0) dc += v;
    }
  }
  for (let k = 0; k < RX_TABLE.length; k++) RX_TABLE[k] = RX_TABLE[k]! / dc;
}
