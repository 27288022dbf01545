/**
 * The pulse shaper and modulator shared by the V.29 and V.27ter transmitters.
 *
 * A subclass supplies one complex symbol at a time (nextSymbol() sets symRe/symIm, or returns
 * false when it has nothing more to send). Symbols enter a short delay line at the symbol rate;
 * every output sample is the dot product of that line with one phase of a root-raised-cosine
 * pulse, picked by a phase accumulator (samples per symbol = num/den, e.g. 10/3 for 2400 baud),
 * then mixed up to the carrier: s = Re{x * e^{j w t}}. The output level is set from the
 * constellation's mean power so the data sits at `powerDbm0` (default -14 dBm0, as spandsp).
 * After the last symbol the filter is flushed with zeros so the burst ends without a click.
 * nextDataBits() is the data end both share: scrambled bits from getBit, then after END_OF_DATA
 * scrambled ones for 32 more symbols.
 */
import { Nco } from '../dsp/nco';
import { rrcPulse } from '../dsp/rrc';
import { meanSquareForDbm0 } from '../dsp/level';
import { END_OF_DATA, type GetBit, type ModemTransmitter } from './types';

/** A self-synchronising scrambler, bit in, bit out. */
export interface BitScrambler {
  scramble(bit: number): number;
}

/** Symbols of scrambled ones sent after END_OF_DATA (as spandsp). */
const SHUTDOWN_SYMBOLS = 32;

export interface QamShape {
  carrierHz: number;
  /** samples per symbol = spsNum / spsDen (integers). */
  spsNum: number;
  spsDen: number;
  /** RRC roll-off. */
  beta: number;
  /** Filter length in symbols (delay line length). */
  spanSymbols: number;
  /** Mean |symbol|^2 of the data constellation, for the level. */
  meanSymbolPower: number;
}

export abstract class QamTransmitterBase implements ModemTransmitter {
  protected symRe = 0;
  protected symIm = 0;
  private readonly shape: QamShape;
  private readonly bank: Float64Array;
  private readonly lineRe: Float64Array;
  private readonly lineIm: Float64Array;
  private linePos = 0;
  private acc = 0;
  private readonly nco: Nco;
  private gain = 1;
  private flushLeft = -1;
  private done = false;
  private ending = false;
  private shutdownLeft = SHUTDOWN_SYMBOLS;

  constructor(shape: QamShape, powerDbm0 = -14) {
    this.shape = shape;
    const n = shape.spanSymbols;
    const N = shape.spsNum;
    this.bank = new Float64Array(N * n);
    const c = n / 2;
    let energy = 0;
    for (let p = 0; p < N; p++) {
      for (let k = 0; k < n; k++) {
        const h = rrcPulse(k + p / N - c, shape.beta);
        this.bank[p * n + k] = h;
        energy += h * h;
      }
    }
    this.lineRe = new Float64Array(2 * n);
    this.lineIm = new Float64Array(2 * n);
    this.nco = new Nco(shape.carrierHz);
    // mean square of Re{x e^jwt} = E|x|^2 / 2, E|x|^2 = P_sym * (sum of squared taps over phases) / N
    const ms = (shape.meanSymbolPower * energy) / N / 2;
    this.gain = Math.sqrt(meanSquareForDbm0(powerDbm0) / ms);
  }

  /** Reset the shaper (the subclass resets its own symbol source). */
  protected restartShaper(): void {
    this.lineRe.fill(0);
    this.lineIm.fill(0);
    this.linePos = 0;
    this.acc = 0;
    this.nco.restart(this.shape.carrierHz);
    this.flushLeft = -1;
    this.done = false;
    this.ending = false;
    this.shutdownLeft = SHUTDOWN_SYMBOLS;
  }

  /**
   * The next nb data bits, scrambled, first bit in the most significant place; -1 when the burst
   * is over. After getBit returns END_OF_DATA the bits are scrambled ones, for SHUTDOWN_SYMBOLS
   * more symbols.
   */
  protected nextDataBits(getBit: GetBit, scrambler: BitScrambler, nb: number): number {
    if (this.ending && --this.shutdownLeft < 0) return -1;
    let bits = 0;
    for (let b = 0; b < nb; b++) {
      let bit = 1;
      if (!this.ending) {
        bit = getBit();
        if (bit === END_OF_DATA) {
          this.ending = true;
          bit = 1;
        }
      }
      bits = (bits << 1) | scrambler.scramble(bit & 1);
    }
    return bits;
  }

  /** Set symRe/symIm to the next symbol; return false when the burst is over. */
  protected abstract nextSymbol(): boolean;

  private pushSymbol(re: number, im: number): void {
    const n = this.shape.spanSymbols;
    this.linePos = this.linePos === 0 ? n - 1 : this.linePos - 1;
    this.lineRe[this.linePos] = re;
    this.lineRe[this.linePos + n] = re;
    this.lineIm[this.linePos] = im;
    this.lineIm[this.linePos + n] = im;
  }

  tx(out: Float32Array, offset = 0, length = out.length - offset): number {
    if (this.done) return 0;
    const n = this.shape.spanSymbols;
    const N = this.shape.spsNum;
    const M = this.shape.spsDen;
    const bank = this.bank;
    const lr = this.lineRe;
    const li = this.lineIm;
    const g = this.gain;
    for (let i = 0; i < length; i++) {
      this.acc += M;
      if (this.acc >= N) {
        this.acc -= N;
        if (this.flushLeft < 0) {
          if (this.nextSymbol()) this.pushSymbol(this.symRe, this.symIm);
          else {
            this.flushLeft = n;
            this.pushSymbol(0, 0);
          }
        } else if (this.flushLeft === 0) {
          this.done = true;
          return i;
        } else {
          this.flushLeft--;
          this.pushSymbol(0, 0);
        }
      }
      const row = this.acc * n;
      const b = this.linePos;
      let xr = 0;
      let xi = 0;
      for (let k = 0; k < n; k++) {
        const h = bank[row + k]!;
        xr += h * lr[b + k]!;
        xi += h * li[b + k]!;
      }
      this.nco.step();
      out[offset + i] = g * (xr * this.nco.cos - xi * this.nco.sin);
    }
    return length;
  }
}
