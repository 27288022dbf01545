/**
 * V.17 signal-space maps (ITU-T V.17 figures 2-5, as tabulated in spandsp's
 * v17_v32bis_tx_constellation_maps.h): for each rate, point index -> (re, im), interleaved.
 * Index bits: bit 0 = Y0 (trellis redundant bit), bits 1-2 = Y1Y2 (differentially encoded Q1Q2),
 * bits 3.. = the uncoded bits Q3.. . So (index & 7) is the trellis subset of a point.
 * ABCD are the four training points (segments 1-3). Average energy is ~40 at every rate.
 */
export const V17_POINTS_14400 = new Int8Array([
  -8, -3, 9, 2, 2, -9, -3, 8, 8, 3, -9, -2, -2, 9, 3, -8,
  -8, 1, 9, -2, -2, -9, 1, 8, 8, -1, -9, 2, 2, 9, -1, -8,
  -4, -3, 5, 2, 2, -5, -3, 4, 4, 3, -5, -2, -2, 5, 3, -4,
  -4, 1, 5, -2, -2, -5, 1, 4, 4, -1, -5, 2, 2, 5, -1, -4,
  4, -3, -3, 2, 2, 3, -3, -4, -4, 3, 3, -2, -2, -3, 3, 4,
  4, 1, -3, -2, -2, 3, 1, -4, -4, -1, 3, 2, 2, -3, -1, 4,
  0, -3, 1, 2, 2, -1, -3, 0, 0, 3, -1, -2, -2, 1, 3, 0,
  0, 1, 1, -2, -2, -1, 1, 0, 0, -1, -1, 2, 2, 1, -1, 0,
  8, -3, -7, 2, 2, 7, -3, -8, -8, 3, 7, -2, -2, -7, 3, 8,
  8, 1, -7, -2, -2, 7, 1, -8, -8, -1, 7, 2, 2, -7, -1, 8,
  -4, -7, 5, 6, 6, -5, -7, 4, 4, 7, -5, -6, -6, 5, 7, -4,
  -4, 5, 5, -6, -6, -5, 5, 4, 4, -5, -5, 6, 6, 5, -5, -4,
  4, -7, -3, 6, 6, 3, -7, -4, -4, 7, 3, -6, -6, -3, 7, 4,
  4, 5, -3, -6, -6, 3, 5, -4, -4, -5, 3, 6, 6, -3, -5, 4,
  0, -7, 1, 6, 6, -1, -7, 0, 0, 7, -1, -6, -6, 1, 7, 0,
  0, 5, 1, -6, -6, -1, 5, 0, 0, -5, -1, 6, 6, 1, -5, 0,]);

export const V17_POINTS_12000 = new Int8Array([
  7, 1, -5, -1, -1, 5, 1, -7, -7, -1, 5, 1, 1, -5, -1, 7,
  3, -3, -1, 3, 3, 1, -3, -3, -3, 3, 1, -3, -3, -1, 3, 3,
  7, -7, -5, 7, 7, 5, -7, -7, -7, 7, 5, -7, -7, -5, 7, 7,
  -1, -7, 3, 7, 7, -3, -7, 1, 1, 7, -3, -7, -7, 3, 7, -1,
  3, 5, -1, -5, -5, 1, 5, -3, -3, -5, 1, 5, 5, -1, -5, 3,
  -1, 1, 3, -1, -1, -3, 1, 1, 1, -1, -3, 1, 1, 3, -1, -1,
  -5, 5, 7, -5, -5, -7, 5, 5, 5, -5, -7, 5, 5, 7, -5, -5,
  -5, -3, 7, 3, 3, -7, -3, 5, 5, 3, -7, -3, -3, 7, 3, -5,]);

export const V17_POINTS_9600 = new Int8Array([
  -8, 2, -6, -4, -4, 6, 2, 8, 8, -2, 6, 4, 4, -6, -2, -8,
  0, 2, -6, 4, 4, 6, 2, 0, 0, -2, 6, -4, -4, -6, -2, 0,
  0, -6, 2, -4, -4, -2, -6, 0, 0, 6, -2, 4, 4, 2, 6, 0,
  8, 2, 2, 4, 4, -2, 2, -8, -8, -2, -2, -4, -4, 2, -2, 8,]);

export const V17_POINTS_7200 = new Int8Array([
  6, -6, -2, 6, 6, 2, -6, -6, -6, 6, 2, -6, -6, -2, 6, 6,
  -2, 2, 6, -2, -2, -6, 2, 2, 2, -2, -6, 2, 2, 6, -2, -2,]);

/** Training points A, B, C, D (B = jA, C = jB, D = jC). */
export const V17_ABCD = new Int8Array([-6, -2, 2, -6, 6, 2, -2, 6]);

/** Bits per symbol for each rate (data bits; one more bit goes to the trellis). */
export function v17BitsPerSymbol(rate: number): number {
  switch (rate) {
    case 14400: return 6;
    case 12000: return 5;
    case 9600: return 4;
    case 7200: return 3;
    default: return 0;
  }
}

/** The signal-space map for a rate, or undefined for an unsupported rate. */
export function v17Points(rate: number): Int8Array | undefined {
  switch (rate) {
    case 14400: return V17_POINTS_14400;
    case 12000: return V17_POINTS_12000;
    case 9600: return V17_POINTS_9600;
    case 7200: return V17_POINTS_7200;
    default: return undefined;
  }
}

export const V17_RATES: readonly number[] = [14400, 12000, 9600, 7200];

/** The signal-space map for a rate; throws for a rate V.17 does not have. */
export function v17PointsFor(rate: number): Int8Array {
  const pts = v17Points(rate);
  if (!pts) throw new Error(`V.17 has no ${rate} bit/s rate (use 7200, 9600, 12000 or 14400)`);
  return pts;
}
