/**
 * V.17 trellis coding: the differential encoder, the 8-state convolutional encoder that adds the
 * redundant bit Y0, and the matching Viterbi decoder.
 *
 * How: the encoder state is (diff, conv). Each symbol's two low data bits Q1Q2 are differentially
 * encoded (Y1Y2 = prev + Q1Q2 mod 4), the convolutional state steps on Y1Y2 and its bit 2 becomes
 * Y0; the point index is Q3..Qn:Y2Y1:Y0 (see v17-constellations.ts). The decoder keeps, for each of
 * the 8 encoder states, the best accumulated squared distance; per symbol it finds the nearest point
 * of each of the 8 subsets (index & 7) through a coarse grid lookup, does add-compare-select over
 * the 32 branches and traces back DEPTH symbols to release one decided point. Typed arrays only.
 */
import { v17Points } from './v17-constellations';

/** Next convolutional state for [state * 4 + Y1Y2] (V.17 figure 1, as tabulated by spandsp). */
const CONV_NEXT = new Uint8Array([
  0, 2, 3, 1,
  4, 7, 5, 6,
  1, 3, 2, 0,
  7, 4, 6, 5,
  2, 0, 1, 3,
  6, 5, 7, 4,
  3, 1, 0, 2,
  5, 6, 4, 7,
]);

/** The V.17 differential + convolutional encoder. */
export class V17TrellisEncoder {
  private diff = 0;
  private conv = 0;

  /** `diff0` is the differential encoder's state at the start of segment 4 (spandsp: 1 long, 0 short train). */
  restart(diff0: number): void {
    this.diff = diff0 & 3;
    this.conv = 0;
  }

  /** Map the data bits `q` (Q1 in bit 0) of one symbol to a point index. */
  encode(q: number): number {
    this.diff = (this.diff + q) & 3;
    this.conv = CONV_NEXT[this.conv * 4 + this.diff]!;
    return ((q << 1) & 0x78) | (this.diff << 1) | ((this.conv >> 2) & 1);
  }
}

// Predecessors of each state: PRED_STATE[ns*4+k] and the subset label of that branch.
const PRED_STATE = new Uint8Array(32);
const PRED_SUBSET = new Uint8Array(32);
{
  const n = new Uint8Array(8);
  for (let s = 0; s < 8; s++) {
    for (let d = 0; d < 4; d++) {
      const ns = CONV_NEXT[s * 4 + d]!;
      const k = n[ns]!++;
      PRED_STATE[ns * 4 + k] = s;
      PRED_SUBSET[ns * 4 + k] = (d << 1) | ((ns >> 2) & 1);
    }
  }
}

/** Grid of the nearest-point lookup: cells of GRID_STEP units over [-GRID_HALF, GRID_HALF). */
const GRID_HALF = 11;
const GRID_STEP = 0.5;
const GRID_N = (2 * GRID_HALF) / GRID_STEP;
const GRID_SCALE = 1 / GRID_STEP;

/** Offset in the lookup table of the grid cell holding (re, im); points off the grid use the edge cell. */
function gridCell(re: number, im: number): number {
  let gx = ((re + GRID_HALF) / GRID_STEP) | 0;
  let gy = ((im + GRID_HALF) / GRID_STEP) | 0;
  if (gx < 0) gx = 0; else if (gx >= GRID_N) gx = GRID_N - 1;
  if (gy < 0) gy = 0; else if (gy >= GRID_N) gy = GRID_N - 1;
  return (gy * GRID_N + gx) * 8;
}

const nearestTables = new Map<number, Uint8Array>();

/** For each grid cell and subset, the subset's point nearest the cell centre (built once per rate). */
function nearestTable(rate: number): Uint8Array {
  let t = nearestTables.get(rate);
  if (t) return t;
  const pts = v17Points(rate)!;
  const n = pts.length / 2;
  t = new Uint8Array(GRID_N * GRID_N * 8);
  for (let gy = 0; gy < GRID_N; gy++) {
    for (let gx = 0; gx < GRID_N; gx++) {
      const x = -GRID_HALF + (gx + 0.5) * GRID_STEP;
      const y = -GRID_HALF + (gy + 0.5) * GRID_STEP;
      for (let sub = 0; sub < 8; sub++) {
        let best = 0;
        let bd = Infinity;
        for (let p = sub; p < n; p += 8) {
          const dx = x - pts[2 * p]!;
          const dy = y - pts[2 * p + 1]!;
          const d = dx * dx + dy * dy;
          if (d < bd) { bd = d; best = p; }
        }
        t[(gy * GRID_N + gx) * 8 + sub] = best;
      }
    }
  }
  nearestTables.set(rate, t);
  return t;
}

/** Minimum decision delay in symbols. */
export const VITERBI_DEPTH = 24;
/** Decisions are released in blocks of this many (one traceback per block). */
export const VITERBI_BLOCK = 8;
const SLOTS = VITERBI_DEPTH + VITERBI_BLOCK;

/**
 * Viterbi decoder for the V.17 trellis. Decisions come out VITERBI_BLOCK at a time, each at least
 * VITERBI_DEPTH symbols late (one traceback per block keeps the cost per symbol low).
 */
export class V17Viterbi {
  private pts: Int8Array = new Int8Array(0);
  private table: Uint8Array = new Uint8Array(0);
  private readonly metric = new Float64Array(8);
  private readonly next = new Float64Array(8);
  private readonly subDist = new Float64Array(8);
  private readonly subPoint = new Uint8Array(8);
  /** Survivors: per time slot and state, the previous state and the point on that branch. */
  private readonly prevState = new Uint8Array(SLOTS * 8);
  private readonly branchPoint = new Uint8Array(SLOTS * 8);
  /** The decided point indices of the last push that returned > 0, oldest first. */
  readonly decided = new Uint8Array(VITERBI_BLOCK);
  private slot = 0;
  private filled = 0;
  /** The point index nearest the last symbol (the raw decision, for equalizer/carrier tracking). */
  nearest = 0;
  /** Squared distance from the last symbol to `nearest`. */
  nearestDist = 0;

  restart(rate: number): void {
    this.pts = v17Points(rate)!;
    this.table = nearestTable(rate);
    // Segment 4 starts in encoder state 0: favour it.
    this.metric.fill(1e3);
    this.metric[0] = 0;
    this.slot = 0;
    this.filled = 0;
  }

  /** Continue from another decoder's path metrics, for a cost-only trial run (pushMetrics). */
  copyMetrics(from: V17Viterbi): void {
    this.pts = from.pts;
    this.table = from.table;
    this.metric.set(from.metric);
  }

  /** Add a symbol to the path metrics only (no survivors, no decisions); returns the best metric. */
  pushMetrics(re: number, im: number): number {
    const pts = this.pts;
    const base = gridCell(re, im);
    for (let sub = 0; sub < 8; sub++) {
      const p = this.table[base + sub]!;
      const dx = re - pts[2 * p]!;
      const dy = im - pts[2 * p + 1]!;
      this.subDist[sub] = dx * dx + dy * dy;
    }
    const m = this.metric;
    let minM = Infinity;
    for (let ns = 0; ns < 8; ns++) {
      let bm = Infinity;
      for (let k = 0; k < 4; k++) {
        const v = m[PRED_STATE[ns * 4 + k]!]! + this.subDist[PRED_SUBSET[ns * 4 + k]!]!;
        if (v < bm) bm = v;
      }
      this.next[ns] = bm;
      if (bm < minM) minM = bm;
    }
    m.set(this.next);
    return minM;
  }

  /** Squared distance from (re, im) to the nearest point (grid lookup; no state change). */
  nearestDistance(re: number, im: number): number {
    const pts = this.pts;
    const base = gridCell(re, im);
    let best = Infinity;
    for (let sub = 0; sub < 8; sub++) {
      const p = this.table[base + sub]!;
      const dx = re - pts[2 * p]!;
      const dy = im - pts[2 * p + 1]!;
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
    return best;
  }

  /**
   * Add one received symbol (in constellation units). Returns how many decisions are now in
   * `decided` (0 or VITERBI_BLOCK), for the oldest undecided symbols, in order.
   */
  push(re: number, im: number): number {
    const pts = this.pts;
    let gx = ((re + GRID_HALF) * GRID_SCALE) | 0;
    let gy = ((im + GRID_HALF) * GRID_SCALE) | 0;
    if (gx < 0) gx = 0; else if (gx >= GRID_N) gx = GRID_N - 1;
    if (gy < 0) gy = 0; else if (gy >= GRID_N) gy = GRID_N - 1;
    const base = (gy * GRID_N + gx) * 8;
    let bestD = Infinity;
    let bestP = 0;
    const sd = this.subDist;
    const sp = this.subPoint;
    for (let sub = 0; sub < 8; sub++) {
      const p = this.table[base + sub]!;
      const dx = re - pts[2 * p]!;
      const dy = im - pts[2 * p + 1]!;
      const d = dx * dx + dy * dy;
      sd[sub] = d;
      sp[sub] = p;
      if (d < bestD) { bestD = d; bestP = p; }
    }
    this.nearest = bestP;
    this.nearestDist = bestD;

    const slot = this.slot;
    const m = this.metric;
    const o = slot * 8;
    let minM = Infinity;
    let minS = 0;
    const ps = PRED_STATE;
    const pu = PRED_SUBSET;
    for (let ns = 0; ns < 8; ns++) {
      const q = ns * 4;
      let bm = m[ps[q]!]! + sd[pu[q]!]!;
      let bk = q;
      const v1 = m[ps[q + 1]!]! + sd[pu[q + 1]!]!;
      if (v1 < bm) { bm = v1; bk = q + 1; }
      const v2 = m[ps[q + 2]!]! + sd[pu[q + 2]!]!;
      if (v2 < bm) { bm = v2; bk = q + 2; }
      const v3 = m[ps[q + 3]!]! + sd[pu[q + 3]!]!;
      if (v3 < bm) { bm = v3; bk = q + 3; }
      this.next[ns] = bm;
      this.prevState[o + ns] = PRED_STATE[bk]!;
      this.branchPoint[o + ns] = sp[PRED_SUBSET[bk]!]!;
      if (bm < minM) { minM = bm; minS = ns; }
    }
    for (let s = 0; s < 8; s++) m[s] = this.next[s]! - minM;

    this.slot = slot + 1 === SLOTS ? 0 : slot + 1;
    if (++this.filled < SLOTS) return 0;
    this.filled = SLOTS - VITERBI_BLOCK;
    // Trace back from the best state; the oldest VITERBI_BLOCK slots are decided.
    let s = minS;
    let j = slot;
    for (let i = 0; i < VITERBI_DEPTH; i++) {
      s = this.prevState[j * 8 + s]!;
      j = j === 0 ? SLOTS - 1 : j - 1;
    }
    for (let i = VITERBI_BLOCK - 1; i >= 0; i--) {
      this.decided[i] = this.branchPoint[j * 8 + s]!;
      s = this.prevState[j * 8 + s]!;
      j = j === 0 ? SLOTS - 1 : j - 1;
    }
    return VITERBI_BLOCK;
  }
}

/** Differential decoder: point index -> data bits Q (Q1 in bit 0), given the previous point's Y1Y2. */
export class V17DiffDecoder {
  private prev = 0;
  restart(diff0: number): void {
    this.prev = diff0 & 3;
  }
  decode(point: number): number {
    const y = (point >> 1) & 3;
    const q12 = (y - this.prev) & 3;
    this.prev = y;
    return ((point >> 3) << 2) | q12;
  }
}
