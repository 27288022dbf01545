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
 * Speed (the receiver's largest single cost after the filters): the add-compare-select is written
 * out with the branch table as constants, the per-symbol input comes in fields (no boxed doubles),
 * and the survivors are the previous states, so the traceback is one load a step.
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

/** Predecessors of each state: PRED_STATE[ns*4+k] and the subset label of that branch (exported for the test). */
export const PRED_STATE = new Uint8Array(32);
export const PRED_SUBSET = new Uint8Array(32);
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
const GRID_N = ((2 * GRID_HALF) / GRID_STEP) | 0; // an int32 for V8: as a double, every index built from it is a checked float-to-int conversion
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
  /** The rate's points as doubles (no int-to-double conversions on the per-symbol path). */
  private pts: Float64Array = new Float64Array(0);
  private table: Uint8Array = new Uint8Array(0);
  private readonly metric = new Float64Array(8);
  private readonly next = new Float64Array(8);
  private readonly subDist = new Float64Array(8);
  /** Per time slot: each subset's point nearest the symbol, and per state its survivor's previous state. */
  private readonly subPoint = new Uint8Array(SLOTS * 8);
  private readonly survivor = new Uint8Array(SLOTS * 8);
  /** The decided point indices of the last push that returned > 0, oldest first. */
  readonly decided = new Uint8Array(VITERBI_BLOCK);
  private slot = 0;
  private filled = 0;
  /** The point index nearest the last symbol (the raw decision, for equalizer/carrier tracking). */
  nearest = 0;
  /** Squared distance from the last symbol to `nearest`. */
  nearestDist = 0;

  restart(rate: number): void {
    this.pts = Float64Array.from(v17Points(rate)!);
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
    this.inRe = re;
    this.inIm = im;
    return this.pushSymbol();
  }

  /** The argument of pushSymbol(), set by the caller (fields: a hot caller passes no boxed doubles). */
  inRe = 0;
  inIm = 0;

  /** push(this.inRe, this.inIm). */
  pushSymbol(): number {
    const re = this.inRe;
    const im = this.inIm;
    const pts = this.pts;
    const table = this.table;
    let gx = ((re + GRID_HALF) * GRID_SCALE) | 0;
    let gy = ((im + GRID_HALF) * GRID_SCALE) | 0;
    if (gx < 0) gx = 0; else if (gx >= GRID_N) gx = GRID_N - 1;
    if (gy < 0) gy = 0; else if (gy >= GRID_N) gy = GRID_N - 1;
    const base = (gy * GRID_N + gx) * 8;
    const slot = this.slot;
    const o = slot * 8;
    // This slot's nearest point of each subset (kept for the traceback) and its squared distance.
    const sp = this.subPoint;
    let bestD = Infinity;
    let bestP = 0;
    let p = 0, dx = 0, dy = 0;
    p = table[base]!; sp[o] = p; dx = re - pts[2 * p]!; dy = im - pts[2 * p + 1]!; const d0 = dx * dx + dy * dy;
    if (d0 < bestD) { bestD = d0; bestP = p; }
    p = table[base + 1]!; sp[o + 1] = p; dx = re - pts[2 * p]!; dy = im - pts[2 * p + 1]!; const d1 = dx * dx + dy * dy;
    if (d1 < bestD) { bestD = d1; bestP = p; }
    p = table[base + 2]!; sp[o + 2] = p; dx = re - pts[2 * p]!; dy = im - pts[2 * p + 1]!; const d2 = dx * dx + dy * dy;
    if (d2 < bestD) { bestD = d2; bestP = p; }
    p = table[base + 3]!; sp[o + 3] = p; dx = re - pts[2 * p]!; dy = im - pts[2 * p + 1]!; const d3 = dx * dx + dy * dy;
    if (d3 < bestD) { bestD = d3; bestP = p; }
    p = table[base + 4]!; sp[o + 4] = p; dx = re - pts[2 * p]!; dy = im - pts[2 * p + 1]!; const d4 = dx * dx + dy * dy;
    if (d4 < bestD) { bestD = d4; bestP = p; }
    p = table[base + 5]!; sp[o + 5] = p; dx = re - pts[2 * p]!; dy = im - pts[2 * p + 1]!; const d5 = dx * dx + dy * dy;
    if (d5 < bestD) { bestD = d5; bestP = p; }
    p = table[base + 6]!; sp[o + 6] = p; dx = re - pts[2 * p]!; dy = im - pts[2 * p + 1]!; const d6 = dx * dx + dy * dy;
    if (d6 < bestD) { bestD = d6; bestP = p; }
    p = table[base + 7]!; sp[o + 7] = p; dx = re - pts[2 * p]!; dy = im - pts[2 * p + 1]!; const d7 = dx * dx + dy * dy;
    if (d7 < bestD) { bestD = d7; bestP = p; }
    this.nearest = bestP;
    this.nearestDist = bestD;

    // Add-compare-select, written out from PRED_STATE/PRED_SUBSET (the test checks it against
    // them): new states 0-3 come from states 0, 2, 4, 6 over the even subsets, 4-7 from 1, 3, 5,
    // 7 over the odd ones (branch k from state 2k or 2k + 1; ties keep the lower k). The survivor
    // kept is the predecessor state, so the traceback is one load a step.
    const m = this.metric;
    const m0 = m[0]!, m1 = m[1]!, m2 = m[2]!, m3 = m[3]!, m4 = m[4]!, m5 = m[5]!, m6 = m[6]!, m7 = m[7]!;
    const surv = this.survivor;
    let v = 0, k = 0;
    let n0 = m0 + d0; k = 0;
    v = m2 + d6; if (v < n0) { n0 = v; k = 1; }
    v = m4 + d2; if (v < n0) { n0 = v; k = 2; }
    v = m6 + d4; if (v < n0) { n0 = v; k = 3; }
    surv[o] = 2 * k;
    let n1 = m0 + d6; k = 0;
    v = m2 + d0; if (v < n1) { n1 = v; k = 1; }
    v = m4 + d4; if (v < n1) { n1 = v; k = 2; }
    v = m6 + d2; if (v < n1) { n1 = v; k = 3; }
    surv[o + 1] = 2 * k;
    let n2 = m0 + d2; k = 0;
    v = m2 + d4; if (v < n2) { n2 = v; k = 1; }
    v = m4 + d0; if (v < n2) { n2 = v; k = 2; }
    v = m6 + d6; if (v < n2) { n2 = v; k = 3; }
    surv[o + 2] = 2 * k;
    let n3 = m0 + d4; k = 0;
    v = m2 + d2; if (v < n3) { n3 = v; k = 1; }
    v = m4 + d6; if (v < n3) { n3 = v; k = 2; }
    v = m6 + d0; if (v < n3) { n3 = v; k = 3; }
    surv[o + 3] = 2 * k;
    let n4 = m1 + d1; k = 0;
    v = m3 + d3; if (v < n4) { n4 = v; k = 1; }
    v = m5 + d7; if (v < n4) { n4 = v; k = 2; }
    v = m7 + d5; if (v < n4) { n4 = v; k = 3; }
    surv[o + 4] = 2 * k + 1;
    let n5 = m1 + d5; k = 0;
    v = m3 + d7; if (v < n5) { n5 = v; k = 1; }
    v = m5 + d3; if (v < n5) { n5 = v; k = 2; }
    v = m7 + d1; if (v < n5) { n5 = v; k = 3; }
    surv[o + 5] = 2 * k + 1;
    let n6 = m1 + d7; k = 0;
    v = m3 + d5; if (v < n6) { n6 = v; k = 1; }
    v = m5 + d1; if (v < n6) { n6 = v; k = 2; }
    v = m7 + d3; if (v < n6) { n6 = v; k = 3; }
    surv[o + 6] = 2 * k + 1;
    let n7 = m1 + d3; k = 0;
    v = m3 + d1; if (v < n7) { n7 = v; k = 1; }
    v = m5 + d5; if (v < n7) { n7 = v; k = 2; }
    v = m7 + d7; if (v < n7) { n7 = v; k = 3; }
    surv[o + 7] = 2 * k + 1;
    // The best state (the first of equals), and metrics kept relative to it.
    let minM = n0, minS = 0;
    if (n1 < minM) { minM = n1; minS = 1; }
    if (n2 < minM) { minM = n2; minS = 2; }
    if (n3 < minM) { minM = n3; minS = 3; }
    if (n4 < minM) { minM = n4; minS = 4; }
    if (n5 < minM) { minM = n5; minS = 5; }
    if (n6 < minM) { minM = n6; minS = 6; }
    if (n7 < minM) { minM = n7; minS = 7; }
    m[0] = n0 - minM; m[1] = n1 - minM; m[2] = n2 - minM; m[3] = n3 - minM;
    m[4] = n4 - minM; m[5] = n5 - minM; m[6] = n6 - minM; m[7] = n7 - minM;

    this.slot = slot + 1 === SLOTS ? 0 : slot + 1;
    if (++this.filled < SLOTS) return 0;
    this.filled = SLOTS - VITERBI_BLOCK;
    this.traceBack(minS, slot);
    return VITERBI_BLOCK;
  }

  /** From state s at `slot` back VITERBI_DEPTH symbols, then the oldest VITERBI_BLOCK are decided. */
  private traceBack(s: number, slot: number): void {
    const surv = this.survivor;
    const sp = this.subPoint;
    let j = slot;
    for (let i = 0; i < VITERBI_DEPTH; i++) {
      s = surv[j * 8 + s]!;
      j = j === 0 ? SLOTS - 1 : j - 1;
    }
    for (let i = VITERBI_BLOCK - 1; i >= 0; i--) {
      const prev = surv[j * 8 + s]!;
      // the branch from prev to s is k = prev >> 1 (see pushSymbol)
      this.decided[i] = sp[j * 8 + PRED_SUBSET[s * 4 + (prev >> 1)]!]!;
      s = prev;
      j = j === 0 ? SLOTS - 1 : j - 1;
    }
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
