/**
 * V.27ter transmitter: differential PSK on an 1800 Hz carrier, 4800 bit/s (8 phases, 1600
 * baud, tribits) or 2400 bit/s (4 phases, 1200 baud, dibits).
 *
 * Training (V.27ter section 2.5, symbol values as spandsp sends them): optional segment 1 of
 * unmodulated carrier (echo protection, 320 symbols), segment 2 = 32 symbols of silence,
 * segment 3 = continuous 180 degree reversals (50 symbols long train, 14 short), segment 4 =
 * scrambled ones, 0 or 180 degrees from the first of every three scrambler bits (1074 long, 58
 * short), segment 5 = 8 symbols of scrambled ones as data. Then data scrambled by
 * 1 + x^-6 + x^-7 (with the repeating-pattern guard). END_OF_DATA: 32 symbols of scrambled
 * ones, the filter drains, and tx() returns fewer samples than asked.
 */
import { QamTransmitterBase } from './qam-tx-common';
import { V27terScrambler } from './scrambler';
import type { GetBit } from './types';

export type V27terRate = 4800 | 2400;

/** The 8 points, index = phase state (45 degree steps), radius sqrt(2). */
export const V27_POINTS_RE = new Float64Array([1.414, 1, 0, -1, -1.414, -1, 0, 1]);
export const V27_POINTS_IM = new Float64Array([0, 1, 1.414, 1, 0, -1, -1.414, -1]);
export const V27_PHASE_STEPS_3 = [1, 0, 2, 3, 6, 7, 5, 4] as const;
export const V27_PHASE_STEPS_2 = [0, 2, 6, 4] as const;

export const V27_SEG1 = 320;
export const V27_SEG2 = 32;
export const V27_SEG5 = 8;

export function v27terBitsPerSymbol(rate: V27terRate): number {
  return rate === 4800 ? 3 : 2;
}

export function v27terSeg3(short: boolean): number {
  return short ? 14 : 50;
}
export function v27terSeg4(short: boolean): number {
  return short ? 58 : 1074;
}

/** Phase state change for the symbol's bits (first-sent bit = MSB). */
export function v27terPhaseStep(rate: V27terRate, bits: number): number {
  return rate === 4800 ? V27_PHASE_STEPS_3[bits & 7]! : V27_PHASE_STEPS_2[bits & 3]!;
}

export interface V27terTraining {
  /** Phase state of each symbol (-1 = silence), from segment 2 to the end of segment 5. */
  states: Int8Array;
  seg3: number;
  seg4: number;
  seg5: number;
  end: number;
  /** Scrambler register, guard count and phase state after the training. */
  scramblerReg: number;
  scramblerCount: number;
  state: number;
}

/** The training exactly as sent (without the optional segment 1). */
export function v27terTrainingSequence(rate: V27terRate, short = false): V27terTraining {
  const seg3 = V27_SEG2;
  const seg4 = seg3 + v27terSeg3(short);
  const seg5 = seg4 + v27terSeg4(short);
  const end = seg5 + V27_SEG5;
  const states = new Int8Array(end);
  for (let i = 0; i < seg3; i++) states[i] = -1;
  let state = 0;
  for (let i = seg3; i < seg4; i++) {
    state = (state + 4) & 7;
    states[i] = state;
  }
  const scr = new V27terScrambler();
  scr.restart(0x3c);
  for (let i = seg4; i < seg5; i++) {
    const b = scr.scramble(1);
    scr.scramble(1);
    scr.scramble(1);
    state = (state + (b << 2)) & 7;
    states[i] = state;
  }
  const nb = v27terBitsPerSymbol(rate);
  for (let i = seg5; i < end; i++) {
    let bits = 0;
    for (let k = 0; k < nb; k++) bits = (bits << 1) | scr.scramble(1);
    state = (state + v27terPhaseStep(rate, bits)) & 7;
    states[i] = state;
  }
  return { states, seg3, seg4, seg5, end, scramblerReg: scr.reg, scramblerCount: scr.count, state };
}

export interface V27terTxOptions {
  /** Send segment 1 (unmodulated carrier for talker echo protection). */
  tep?: boolean;
  /** Use the short training (segments 3 and 4 of 14 and 58 symbols). */
  shortTrain?: boolean;
  powerDbm0?: number;
}

export class V27terTransmitter extends QamTransmitterBase {
  readonly rate: V27terRate;
  private readonly getBit: GetBit;
  private readonly tep: boolean;
  private readonly training: V27terTraining;
  private step = 0;
  private readonly scrambler = new V27terScrambler();
  private state = 0;

  constructor(rate: V27terRate, getBit: GetBit, opts: V27terTxOptions = {}) {
    if (rate !== 4800 && rate !== 2400) throw new Error(`V.27ter: unsupported rate ${rate}`);
    super(
      rate === 4800
        ? { carrierHz: 1800, spsNum: 5, spsDen: 1, beta: 0.5, spanSymbols: 10, meanSymbolPower: 2 }
        : { carrierHz: 1800, spsNum: 20, spsDen: 3, beta: 0.5, spanSymbols: 10, meanSymbolPower: 2 },
      opts.powerDbm0 ?? -14,
    );
    this.rate = rate;
    this.getBit = getBit;
    this.tep = opts.tep ?? false;
    this.training = v27terTrainingSequence(rate, opts.shortTrain ?? false);
    this.restart();
  }

  restart(): void {
    this.restartShaper();
    this.step = this.tep ? -V27_SEG1 : 0;
    this.scrambler.reg = this.training.scramblerReg;
    this.scrambler.count = this.training.scramblerCount;
    this.state = this.training.state;
  }

  protected nextSymbol(): boolean {
    const s = this.step++;
    if (s < 0) {
      this.symRe = V27_POINTS_RE[0]!;
      this.symIm = 0;
      return true;
    }
    const t = this.training;
    if (s < t.end) {
      const st = t.states[s]!;
      if (st < 0) {
        this.symRe = 0;
        this.symIm = 0;
      } else {
        this.symRe = V27_POINTS_RE[st]!;
        this.symIm = V27_POINTS_IM[st]!;
      }
      return true;
    }
    const bits = this.nextDataBits(this.getBit, this.scrambler, v27terBitsPerSymbol(this.rate));
    if (bits < 0) return false;
    this.state = (this.state + v27terPhaseStep(this.rate, bits)) & 7;
    this.symRe = V27_POINTS_RE[this.state]!;
    this.symIm = V27_POINTS_IM[this.state]!;
    return true;
  }
}
