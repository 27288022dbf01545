/**
 * V.27ter receiver (4800 bit/s 8-phase at 1600 baud, 2400 bit/s 4-phase at 1200 baud, 1800 Hz).
 * Signal processing and the training search are in qam-rx-common.ts; this file gives the
 * training reference (segments 2-5 exactly as sent, long or short train), 8-PSK decisions,
 * differential decoding and the 1 + x^-6 + x^-7 descrambler with V.27ter's pattern guard,
 * started from the transmitter's exact state at the end of the training.
 */
import { QamReceiverBase } from './qam-rx-common';
import { V27terScrambler } from './scrambler';
import type { PutBit, StatusHandler } from './types';
import {
  V27_PHASE_STEPS_2, V27_PHASE_STEPS_3, V27_POINTS_IM, V27_POINTS_RE, v27terTrainingSequence,
  type V27terRate, type V27terTraining,
} from './v27ter-tx';

const INV3 = new Int8Array(8);
V27_PHASE_STEPS_3.forEach((step, bits) => { INV3[step] = bits; });
const INV2 = new Int8Array(8);
V27_PHASE_STEPS_2.forEach((step, bits) => { INV2[step] = bits; });
for (let s = 1; s < 8; s += 2) INV2[s] = INV2[(s + 1) & 7]!;

const C22 = Math.cos(Math.PI / 8);
const S22 = Math.sin(Math.PI / 8);

export interface V27terRxOptions {
  shortTrain?: boolean;
}

export class V27terReceiver extends QamReceiverBase {
  readonly rate: V27terRate;
  private readonly training: V27terTraining;
  private readonly descrambler = new V27terScrambler();
  private prevState = 0;
  /** 1 at 4800 (8 phases), 0 at 2400 (4 phases: even states only). */
  private readonly octantMask: number;

  constructor(rate: V27terRate, putBit: PutBit, onStatus: StatusHandler, opts: V27terRxOptions = {}) {
    if (rate !== 4800 && rate !== 2400) throw new Error(`V.27ter: unsupported rate ${rate}`);
    const t = v27terTrainingSequence(rate, opts.shortTrain ?? false);
    const re = new Float64Array(t.end);
    const im = new Float64Array(t.end);
    for (let i = 0; i < t.end; i++) {
      const s = t.states[i]!;
      if (s >= 0) { re[i] = V27_POINTS_RE[s]!; im[i] = V27_POINTS_IM[s]!; }
    }
    super(
      {
        carrierHz: 1800, baud: rate === 4800 ? 1600 : 1200, beta: 0.5, spanSymbols: rate === 4800 ? 4.5 : 4, eqLen: 25,
        meanPower: 2, refRe: re, refIm: im, dataStart: t.end, anchor: t.seg4 + 27, window: 32, maxTrainMse: 0.5,
        alternationAlpha: opts.shortTrain ? 0.2 : 0.0625,
      },
      putBit,
      onStatus,
    );
    this.rate = rate;
    this.octantMask = rate === 4800 ? 1 : 0;
    this.training = t;
  }

  protected decide(): number {
    const zr = this.zRe;
    const zi = this.zIm;
    // The nearest phase state is the octant (4800) or quadrant (2400) of the point turned by half
    // a sector: +22.5 or +45 degrees. Written out, without branches or calls: a received symbol's
    // octant is a coin toss to the branch predictor, and with several modems in one process V8 may
    // not inline a helper, which then boxes its two double arguments (heap objects per symbol).
    let x: number, y: number;
    if (this.rate === 4800) {
      x = zr * C22 - zi * S22;
      y = zr * S22 + zi * C22;
    } else {
      x = zr - zi;
      y = zr + zi;
    }
    const sx = +(x < 0);
    const sy = +(y < 0);
    const quadrant = (sy << 1) | (sx ^ sy);
    // octant k covers [k*45, (k+1)*45) degrees (up to where an exact tie falls); the upper octant
    // of a quadrant is the one nearer the y axis in quadrants 0 and 2, the x axis in 1 and 3
    const upper = (+(Math.abs(x) < Math.abs(y)) ^ (quadrant & 1)) & this.octantMask;
    const s = (quadrant << 1) | upper;
    this.decRe = V27_POINTS_RE[s]!;
    this.decIm = V27_POINTS_IM[s]!;
    return s;
  }

  protected beginData(): void {
    this.descrambler.reg = this.training.scramblerReg;
    this.descrambler.count = this.training.scramblerCount;
    this.prevState = this.training.state;
  }

  protected onDataSymbol(code: number): void {
    const step = (code - this.prevState) & 7;
    this.prevState = code;
    const d = this.descrambler;
    if (this.rate === 4800) {
      const b = INV3[step]!;
      this.putBit(d.descramble(b >> 2));
      this.putBit(d.descramble(b >> 1));
      this.putBit(d.descramble(b));
    } else {
      const b = INV2[step]!;
      this.putBit(d.descramble(b >> 1));
      this.putBit(d.descramble(b));
    }
  }
}
