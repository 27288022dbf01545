/**
 * Signal levels. Samples in core are Float32 at 8000 Hz where 1.0 is 16-bit full scale (32768).
 * Level convention (spandsp's, G.711's): a full-scale sine is +3.14 dBm0, so
 * P(dBm0) = 10*log10(mean(x^2)) + 6.16 for x in full-scale units (x = s16 / 32768),
 * and a sine of level L dBm0 has peak amplitude 10^((L - 3.14) / 20).
 */
export const SAMPLE_RATE = 8000;

/** Peak amplitude (full scale = 1.0) of a sine at `dbm0`. */
export function sineAmplitudeForDbm0(dbm0: number): number {
  return Math.pow(10, (dbm0 - 3.14) / 20);
}

/** Power in dBm0 of a block of samples (full scale = 1.0). -Infinity for silence. */
export function powerDbm0(x: ArrayLike<number>, start = 0, end = x.length): number {
  let acc = 0;
  for (let i = start; i < end; i++) acc += x[i]! * x[i]!;
  const n = end - start;
  if (n <= 0 || acc === 0) return -Infinity;
  return 10 * Math.log10(acc / n) + 6.16;
}

/** Mean-square power (full-scale units) corresponding to a level in dBm0. */
export function meanSquareForDbm0(dbm0: number): number {
  return Math.pow(10, (dbm0 - 6.16) / 10);
}
