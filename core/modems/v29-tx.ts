/**
 * V.29 transmitter: 2400 baud QAM on a 1700 Hz carrier at 9600, 7200 or 4800 bit/s.
 *
 * Training (V.29 section 4, spandsp's symbol values): optional 480-symbol unmodulated carrier
 * (talker echo protection), segment 1 = 48 symbols of silence, segment 2 = 128 alternations ABAB,
 * segment 3 = 384 symbols of C/D picked by the 1 + x^-6 + x^-7 generator (start 0x2A),
 * segment 4 = 48 symbols of scrambled ones; then data scrambled by 1 + x^-18 + x^-23. Each symbol
 * carries a differential phase change (3 bits, or 2 at 4800) and at 9600 an amplitude bit first.
 * When getBit returns END_OF_DATA the rest is scrambled ones for 32 symbols, then the filter
 * drains and tx() returns fewer samples than asked. TCF: a getBit that returns 0.
 */
import { QamTransmitterBase } from './qam-tx-common';
import { Scrambler23, trainingScrambler7 } from './scrambler';
import type { GetBit } from './types';

export type V29Rate = 9600 | 7200 | 4800;

/** The 16 points: index = amplitude bit * 8 + phase state (45 degree steps). */
export const V29_POINTS_RE = new Float64Array([3, 1, 0, -1, -3, -1, 0, 1, 5, 3, 0, -3, -5, -3, 0, 3]);
export const V29_POINTS_IM = new Float64Array([0, 1, 3, 1, 0, -1, -3, -1, 0, 3, 5, 3, 0, -3, -5, -3]);
/** Phase change (in 45 degree steps) for Q2Q3Q4 (9600/7200) and for Q2Q3 (4800). */
export const V29_PHASE_STEPS_3 = [1, 0, 2, 3, 6, 7, 5, 4] as const;
export const V29_PHASE_STEPS_2 = [0, 2, 6, 4] as const;

const ABAB: Record<V29Rate, readonly [number, number, number, number]> = {
  9600: [3, -3, -3, 0],
  7200: [1, -1, -3, 0],
  4800: [0, -3, -3, 0],
};
const CDCD: Record<V29Rate, readonly [number, number, number, number]> = {
  9600: [3, 0, -3, 3],
  7200: [3, 0, -1, 1],
  4800: [3, 0, 0, 3],
};

export const V29_SEG1 = 48;
export const V29_SEG2 = 128;
export const V29_SEG3 = 384;
export const V29_SEG4 = 48;
export const V29_TEP = 480;

/** Mean |symbol|^2 of the data constellation at each rate. */
export function v29MeanPower(rate: V29Rate): number {
  return rate === 9600 ? 13.5 : rate === 7200 ? 5.5 : 9;
}

/** Bits per data symbol. */
export function v29BitsPerSymbol(rate: V29Rate): number {
  return rate === 9600 ? 4 : rate === 7200 ? 3 : 2;
}

/**
 * Map the scrambled bits of one symbol to the next constellation index, given the previous
 * phase state. `bits` holds the symbol's bits first-sent first (MSB = first bit).
 * Returns amp*8 + newState.
 */
export function v29MapSymbol(rate: V29Rate, bits: number, state: number): number {
  let amp = 0;
  let step: number;
  if (rate === 9600) {
    amp = (bits >> 3) & 1;
    step = V29_PHASE_STEPS_3[bits & 7]!;
  } else if (rate === 7200) step = V29_PHASE_STEPS_3[bits & 7]!;
  else step = V29_PHASE_STEPS_2[bits & 3]!;
  return amp * 8 + ((state + step) & 7);
}

export interface V29Training {
  re: Float64Array;
  im: Float64Array;
  /** Symbol indexes where segments 2, 3 and 4 start, and the end (first data symbol). */
  seg2: number;
  seg3: number;
  seg4: number;
  end: number;
}

/**
 * The training symbols from segment 1 to the end of segment 4 (without the optional echo
 * protection tone), exactly as the transmitter sends them. The receiver uses it as reference.
 */
export function v29TrainingSequence(rate: V29Rate): V29Training {
  const end = V29_SEG1 + V29_SEG2 + V29_SEG3 + V29_SEG4;
  const re = new Float64Array(end);
  const im = new Float64Array(end);
  const seg2 = V29_SEG1;
  const seg3 = seg2 + V29_SEG2;
  const seg4 = seg3 + V29_SEG3;
  const ab = ABAB[rate];
  // spandsp counts steps from 1 and picks B on odd steps: the segment starts with B
  for (let i = 0; i < V29_SEG2; i++) {
    const b = (i & 1) === 0;
    re[seg2 + i] = b ? ab[2] : ab[0];
    im[seg2 + i] = b ? ab[3] : ab[1];
  }
  const cd = CDCD[rate];
  let reg = 0x2a;
  for (let i = 0; i < V29_SEG3; i++) {
    const r = trainingScrambler7(reg);
    const bit = r & 1;
    reg = r >>> 1;
    re[seg3 + i] = bit ? cd[2] : cd[0];
    im[seg3 + i] = bit ? cd[3] : cd[1];
  }
  const scr = new Scrambler23();
  let state = 0;
  const nb = v29BitsPerSymbol(rate);
  for (let i = 0; i < V29_SEG4; i++) {
    let bits = 0;
    for (let b = 0; b < nb; b++) bits = (bits << 1) | scr.scramble(1);
    const idx = v29MapSymbol(rate, bits, state);
    state = idx & 7;
    re[seg4 + i] = V29_POINTS_RE[idx]!;
    im[seg4 + i] = V29_POINTS_IM[idx]!;
  }
  return { re, im, seg2, seg3, seg4, end };
}

export interface V29TxOptions {
  /** Send the 480-symbol echo protection tone first. */
  tep?: boolean;
  /** Data level in dBm0 (default -14). */
  powerDbm0?: number;
}

export class V29Transmitter extends QamTransmitterBase {
  readonly rate: V29Rate;
  private readonly getBit: GetBit;
  private readonly tep: boolean;
  private training: V29Training;
  private step = 0;
  private readonly scrambler = new Scrambler23();
  private state = 0;

  constructor(rate: V29Rate, getBit: GetBit, opts: V29TxOptions = {}) {
    if (rate !== 9600 && rate !== 7200 && rate !== 4800) throw new Error(`V.29: unsupported rate ${rate}`);
    super(
      { carrierHz: 1700, spsNum: 10, spsDen: 3, beta: 0.25, spanSymbols: 10, meanSymbolPower: v29MeanPower(rate) },
      opts.powerDbm0 ?? -14,
    );
    this.rate = rate;
    this.getBit = getBit;
    this.tep = opts.tep ?? false;
    this.training = v29TrainingSequence(rate);
    this.restart();
  }

  restart(): void {
    this.restartShaper();
    this.step = this.tep ? -V29_TEP : 0;
    // the data scrambler runs through segment 4 already (it starts at 0 there)
    this.scrambler.restart(0);
    for (let i = 0; i < V29_SEG4 * v29BitsPerSymbol(this.rate); i++) this.scrambler.scramble(1);
    this.state = this.stateAfterTraining();
  }

  private stateAfterTraining(): number {
    const t = this.training;
    const re = t.re[t.end - 1]!;
    const im = t.im[t.end - 1]!;
    for (let i = 0; i < 16; i++) if (V29_POINTS_RE[i] === re && V29_POINTS_IM[i] === im) return i & 7;
    return 0;
  }

  protected nextSymbol(): boolean {
    const s = this.step++;
    if (s < 0) {
      this.symRe = 3;
      this.symIm = 0;
      return true;
    }
    const t = this.training;
    if (s < t.end) {
      this.symRe = t.re[s]!;
      this.symIm = t.im[s]!;
      return true;
    }
    const bits = this.nextDataBits(this.getBit, this.scrambler, v29BitsPerSymbol(this.rate));
    if (bits < 0) return false;
    const idx = v29MapSymbol(this.rate, bits, this.state);
    this.state = idx & 7;
    this.symRe = V29_POINTS_RE[idx]!;
    this.symIm = V29_POINTS_IM[idx]!;
    return true;
  }
}
