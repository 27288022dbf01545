/**
 * V.29 receiver (9600/7200/4800 bit/s, 2400 baud, 1700 Hz). The signal processing and the
 * training search live in qam-rx-common.ts; this file supplies V.29's training reference
 * (segments 2-4 as the transmitter makes them), the decision regions of each rate, and the
 * differential phase + amplitude decoding and 1 + x^-18 + x^-23 descrambling of the data.
 */
import { QamReceiverBase } from './qam-rx-common';
import { Scrambler23 } from './scrambler';
import type { PutBit, StatusHandler } from './types';
import {
  V29_PHASE_STEPS_2, V29_PHASE_STEPS_3, V29_POINTS_IM, V29_POINTS_RE, V29_SEG4,
  v29BitsPerSymbol, v29MeanPower, v29TrainingSequence, type V29Rate,
} from './v29-tx';

const INV3 = new Int8Array(8);
V29_PHASE_STEPS_3.forEach((step, bits) => { INV3[step] = bits; });
const INV2 = new Int8Array(8).fill(-1);
V29_PHASE_STEPS_2.forEach((step, bits) => { INV2[step] = bits; });
// odd steps cannot occur at 4800; map them to a neighbour so a bad decision stays a bit error
for (let s = 1; s < 8; s += 2) INV2[s] = INV2[(s + 1) & 7]!;

const GRID = 512;
const GRID_HALF = 8;
const GRID_SCALE = GRID / (2 * GRID_HALF);
const GRIDS = new Map<number, Int8Array>();

function nearest(zr: number, zi: number, nPoints: number, step: number): number {
  let best = 0;
  let bd = Infinity;
  for (let i = 0; i < nPoints; i += step) {
    const dr = zr - V29_POINTS_RE[i]!;
    const di = zi - V29_POINTS_IM[i]!;
    const d = dr * dr + di * di;
    if (d < bd) { bd = d; best = i; }
  }
  return best;
}

/** Decision table for one rate (built once, shared by every receiver at that rate). */
function decisionGrid(rate: V29Rate): Int8Array {
  let g = GRIDS.get(rate);
  if (g) return g;
  g = new Int8Array(GRID * GRID);
  const n = rate === 9600 ? 16 : 8;
  const step = rate === 4800 ? 2 : 1;
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) g[y * GRID + x] = nearest((x + 0.5) / GRID_SCALE - GRID_HALF, (y + 0.5) / GRID_SCALE - GRID_HALF, n, step);
  }
  GRIDS.set(rate, g);
  return g;
}

export class V29Receiver extends QamReceiverBase {
  readonly rate: V29Rate;
  private readonly descrambler = new Scrambler23();
  private prevState = 0;
  private readonly startReg: number;
  private readonly startState: number;
  private readonly nPoints: number;
  private readonly pointStep: number;
  private readonly grid: Int8Array;

  constructor(rate: V29Rate, putBit: PutBit, onStatus: StatusHandler) {
    if (rate !== 9600 && rate !== 7200 && rate !== 4800) throw new Error(`V.29: unsupported rate ${rate}`);
    const t = v29TrainingSequence(rate);
    super(
      {
        carrierHz: 1700, baud: 2400, beta: 0.3, spanSymbols: 8, eqLen: 25,
        meanPower: v29MeanPower(rate), refRe: t.re, refIm: t.im, dataStart: t.end,
        anchor: t.seg3 + 27, window: 32, maxTrainMse: 0.5,
      },
      putBit,
      onStatus,
    );
    this.rate = rate;
    // the transmitter's scrambler after segment 4 (it starts from 0 there, fed with ones)
    const s = new Scrambler23();
    for (let i = 0; i < V29_SEG4 * v29BitsPerSymbol(rate); i++) s.scramble(1);
    this.startReg = s.reg;
    let st = 0;
    for (let i = 0; i < 16; i++) if (V29_POINTS_RE[i] === t.re[t.end - 1] && V29_POINTS_IM[i] === t.im[t.end - 1]) st = i & 7;
    this.startState = st;
    this.nPoints = rate === 9600 ? 16 : 8;
    this.pointStep = rate === 4800 ? 2 : 1;
    this.grid = decisionGrid(rate);
  }

  protected decide(): number {
    const zr = this.zRe;
    const zi = this.zIm;
    // nearest point from a 512 x 512 grid over [-8, 8)^2 (cells of 1/32: finer than any noise
    // that matters), brute force outside it
    const gx = Math.floor((zr + GRID_HALF) * GRID_SCALE);
    const gy = Math.floor((zi + GRID_HALF) * GRID_SCALE);
    let best: number;
    if (gx >= 0 && gx < GRID && gy >= 0 && gy < GRID) best = this.grid[gy * GRID + gx]!;
    else best = nearest(zr, zi, this.nPoints, this.pointStep);
    this.decRe = V29_POINTS_RE[best]!;
    this.decIm = V29_POINTS_IM[best]!;
    return best;
  }

  protected beginData(): void {
    this.descrambler.reg = this.startReg;
    this.prevState = this.startState;
  }

  protected onDataSymbol(code: number): void {
    const state = code & 7;
    const step = (state - this.prevState) & 7;
    this.prevState = state;
    const d = this.descrambler;
    const put = this.putBit;
    if (this.rate === 9600) {
      put(d.descramble(code >> 3));
      const b = INV3[step]!;
      put(d.descramble(b >> 2));
      put(d.descramble(b >> 1));
      put(d.descramble(b));
    } else if (this.rate === 7200) {
      const b = INV3[step]!;
      put(d.descramble(b >> 2));
      put(d.descramble(b >> 1));
      put(d.descramble(b));
    } else {
      const b = INV2[step]!;
      put(d.descramble(b >> 1));
      put(d.descramble(b));
    }
  }
}
