/**
 * Root-raised-cosine pulse design. The pulse is evaluated from its closed form at any time
 * (in symbol periods), so a filter for any roll-off and any (fractional) samples-per-symbol is
 * built once at construction; nothing here runs per sample.
 *
 * - `rrcPulse(t, beta)`: the continuous RRC impulse response, peak 1 + beta*(4/pi - 1) at t = 0.
 * - `rrcTaps(beta, sps, spanSymbols)`: taps at sample spacing, centred, unit DC gain.
 * - `rrcPolyphase(beta, sps, taps, phases, opts?)`: a bank of `phases + 1` fractional-delay
 *   versions for interpolating matched filters and for pulse shaping at non-integer sps; options
 *   move the centre (an even-length filter centred on a tap) and taper the taps with a window.
 */

/** RRC impulse response at time t (symbol periods) with roll-off beta (0 < beta <= 1). */
export function rrcPulse(t: number, beta: number): number {
  const at = Math.abs(t);
  if (at < 1e-9) return 1 + beta * (4 / Math.PI - 1);
  if (beta > 0 && Math.abs(at - 1 / (4 * beta)) < 1e-9) {
    const a = (1 + 2 / Math.PI) * Math.sin(Math.PI / (4 * beta));
    const b = (1 - 2 / Math.PI) * Math.cos(Math.PI / (4 * beta));
    return (beta / Math.SQRT2) * (a + b);
  }
  const num = Math.sin(Math.PI * t * (1 - beta)) + 4 * beta * t * Math.cos(Math.PI * t * (1 + beta));
  const den = Math.PI * t * (1 - (4 * beta * t) * (4 * beta * t));
  return num / den;
}

/**
 * `count` taps of an RRC filter sampled every 1/sps symbol, centred on tap (count-1)/2,
 * scaled to unit DC gain (sum of taps = 1).
 */
export function rrcTaps(beta: number, sps: number, count: number): Float64Array {
  const h = new Float64Array(count);
  const c = (count - 1) / 2;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    h[i] = rrcPulse((i - c) / sps, beta);
    sum += h[i]!;
  }
  for (let i = 0; i < count; i++) h[i]! /= sum;
  return h;
}

export interface PolyphaseOptions {
  /** Tap index the filter is centred on, default (taps - 1) / 2. */
  centre?: number;
  /**
   * Taper: multiply each tap by 0.5 + 0.5 cos(pi t / windowHalf), t = its time from the centre
   * in samples (windowHalf a little over the half-length: the end taps go smoothly to near 0
   * instead of being cut off). Default none.
   */
  windowHalf?: number;
}

/**
 * A polyphase bank for fractional delays: row p (0..phases) holds `taps` coefficients
 * g_p[j] = rrc((j - p/phases - centre) / sps) (times the window, if any), centre = (taps - 1) / 2
 * unless given, all rows scaled by the same factor so that row 0 has unit DC gain. Row-major
 * Float64Array of (phases+1) * taps.
 * Used as y(n - p/phases - centre) = sum_j x[n - j] * g_p[j] (the filter's delay is centre).
 */
export function rrcPolyphase(
  beta: number, sps: number, taps: number, phases: number, opts: PolyphaseOptions = {},
): Float64Array {
  const bank = new Float64Array((phases + 1) * taps);
  const c = opts.centre ?? (taps - 1) / 2;
  const wh = opts.windowHalf;
  // t: the tap's time from the centre, in samples
  const tap = (t: number): number =>
    wh === undefined ? rrcPulse(t / sps, beta) : rrcPulse(t / sps, beta) * (0.5 + 0.5 * Math.cos((Math.PI * t) / wh));
  let sum0 = 0;
  for (let j = 0; j < taps; j++) sum0 += tap(j - c);
  for (let p = 0; p <= phases; p++) {
    for (let j = 0; j < taps; j++) bank[p * taps + j] = tap(j - p / phases - c) / sum0;
  }
  return bank;
}
