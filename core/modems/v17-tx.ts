/**
 * V.17 transmitter: 2400 baud on an 1800 Hz carrier, 7200/9600/12000/14400 bit/s, trellis coded.
 *
 * How: a symbol source walks the training segments (v17-training.ts), then scrambles the data bits
 * from getBit, trellis-encodes them (trellis.ts) and maps them to the rate's constellation. Every
 * sample the baud phase advances by 3/10 of a symbol; when it wraps a new symbol enters a small
 * ring, and a root-raised-cosine polyphase table (10 phases of T/10, 12 symbols, roll-off 0.25,
 * softly truncated) shapes the baseband, which is mixed onto the carrier from an exact 40-sample
 * table (1800/8000 = 9/40; dsp/nco.ts periodicCarrier). When getBit returns
 * END_OF_DATA the shutdown follows (32 symbols of ones, 48 of silence) and tx() returns short.
 * Level -14 dBm0 unless told otherwise.
 */
import { END_OF_DATA, type GetBit, type ModemTransmitter } from './types';
import { v17BitsPerSymbol, v17PointsFor, V17_ABCD } from './v17-constellations';
import { V17TrellisEncoder } from './trellis';
import * as training from './v17-training';
import { rrcPulse } from '../dsp/rrc';
import { periodicCarrier } from '../dsp/nco';
import { meanSquareForDbm0 } from '../dsp/level';

// Module-local copies: some bundlers turn imported bindings into getters, too slow per sample.
const {
  SCRAMBLER_SEED, SEG4_SYMBOLS, SHUTDOWN_ONES_SYMBOLS, SHUTDOWN_SILENCE_SYMBOLS,
  TEP_CARRIER_SYMBOLS, TEP_SILENCE_SYMBOLS, scrambleStep, v17Training,
} = training;
const ABCD: Int8Array = V17_ABCD;

/** Pulse-shaping filter length in symbols. */
const TX_SPAN = 12;
/** TX_TABLE[phase * TX_SPAN + i] multiplies the symbol i places before the newest one. */
const TX_TABLE = new Float32Array(10 * TX_SPAN);
for (let p = 0; p < 10; p++) {
  for (let i = 0; i < TX_SPAN; i++) {
    const t = i + p / 10 - TX_SPAN / 2;
    const w = 0.5 + 0.5 * Math.cos((Math.PI * t) / (TX_SPAN / 2 + 0.5)); // soft truncation
    TX_TABLE[p * TX_SPAN + i] = rrcPulse(t, 0.25) * w;
  }
}

/**
 * Gain that puts a V.17 signal (points of average energy 40) at `dbm0` through TX_TABLE.
 * Passband power = Es * mean over phases of sum(h^2) / 2.
 */
function txGainForDbm0(dbm0: number): number {
  let acc = 0;
  for (let k = 0; k < TX_TABLE.length; k++) acc += TX_TABLE[k]! * TX_TABLE[k]!;
  const perSample = (40 * (acc / 10)) / 2;
  return Math.sqrt(meanSquareForDbm0(dbm0) / perSample);
}

export interface V17TxOptions {
  /** 14400, 12000, 9600 or 7200. */
  rate: number;
  /** Short train (pages after TCF); default long. */
  shortTrain?: boolean;
  /** Precede the training with talker echo protection tone (480 T of carrier + 48 T silence). */
  tep?: boolean;
  /** Transmit level in dBm0; default -14. */
  levelDbm0?: number;
}

const { cos: COS40, sin: SIN40 } = periodicCarrier(1800);

const enum Stage { TepCarrier, TepSilence, Train, Seg4, Data, ShutOnes, ShutSilence, Done }

export class V17Transmitter implements ModemTransmitter {
  private getBit: GetBit;
  private rate = 14400;
  private bps = 6;
  private points: Int8Array = V17_ABCD;
  private train: Uint8Array = new Uint8Array(0);
  private shortTrain = false;
  private gain = 1;
  private readonly enc = new V17TrellisEncoder();
  private scramReg = SCRAMBLER_SEED;
  private stage = Stage.Train;
  private count = 0;
  private dataDone = false;
  // Symbol ring for the pulse shaper (doubled so the newest TX_SPAN are contiguous).
  private readonly ringRe = new Float32Array(2 * TX_SPAN);
  private readonly ringIm = new Float32Array(2 * TX_SPAN);
  private ringPos = 0;
  private baudPhase = 0;
  private carrierIdx = 0;

  constructor(opts: V17TxOptions, getBit: GetBit) {
    this.getBit = getBit;
    this.restart(opts);
  }

  setGetBit(getBit: GetBit): void {
    this.getBit = getBit;
  }

  /** Start a new burst. Throws on an unsupported rate. */
  restart(opts: V17TxOptions): void {
    const pts = v17PointsFor(opts.rate);
    this.rate = opts.rate;
    this.bps = v17BitsPerSymbol(opts.rate);
    this.points = pts;
    this.shortTrain = opts.shortTrain ?? false;
    const t = v17Training(this.shortTrain);
    this.train = t.symbols;
    this.scramReg = t.scramblerAfter;
    this.enc.restart(this.shortTrain ? 0 : 1);
    this.gain = txGainForDbm0(opts.levelDbm0 ?? -14);
    this.stage = opts.tep ? Stage.TepCarrier : Stage.Train;
    this.count = 0;
    this.dataDone = false;
    this.ringRe.fill(0);
    this.ringIm.fill(0);
    this.ringPos = 0;
    this.baudPhase = 0;
    this.carrierIdx = 0;
  }

  /** True once the shutdown sequence has been sent. */
  get done(): boolean {
    return this.stage === Stage.Done;
  }

  /** Scramble the next `bps` bits (ones when `ones`) and trellis-encode them into a point index. */
  private codedPoint(ones: boolean): number {
    let q = 0;
    let reg = this.scramReg;
    for (let i = 0; i < this.bps; i++) {
      let bit = 1;
      if (!ones && !this.dataDone) {
        const b = this.getBit();
        if (b === END_OF_DATA) {
          this.dataDone = true;
          this.stage = Stage.ShutOnes;
          this.count = 1; // this symbol is the first of the 32 ones
        } else bit = b & 1;
      }
      const r = scrambleStep(reg, bit);
      q |= (r & 1) << i;
      reg = r >>> 1;
    }
    this.scramReg = reg;
    return this.enc.encode(q);
  }

  /** Next symbol as a point (writes re/im into the ring); returns false when the burst is over. */
  private nextSymbol(): boolean {
    let re = 0;
    let im = 0;
    switch (this.stage) {
      case Stage.TepCarrier:
        re = ABCD[0]!; im = ABCD[1]!;
        if (++this.count >= TEP_CARRIER_SYMBOLS) { this.stage = Stage.TepSilence; this.count = 0; }
        break;
      case Stage.TepSilence:
        if (++this.count >= TEP_SILENCE_SYMBOLS) { this.stage = Stage.Train; this.count = 0; }
        break;
      case Stage.Train: {
        const s = this.train[this.count]!;
        re = ABCD[2 * s]!; im = ABCD[2 * s + 1]!;
        if (++this.count >= this.train.length) { this.stage = Stage.Seg4; this.count = 0; }
        break;
      }
      case Stage.Seg4: {
        const p = this.codedPoint(true);
        re = this.points[2 * p]!; im = this.points[2 * p + 1]!;
        if (++this.count >= SEG4_SYMBOLS) { this.stage = Stage.Data; this.count = 0; }
        break;
      }
      case Stage.Data: {
        const p = this.codedPoint(false);
        re = this.points[2 * p]!; im = this.points[2 * p + 1]!;
        break;
      }
      case Stage.ShutOnes: {
        const p = this.codedPoint(true);
        re = this.points[2 * p]!; im = this.points[2 * p + 1]!;
        if (++this.count >= SHUTDOWN_ONES_SYMBOLS) { this.stage = Stage.ShutSilence; this.count = 0; }
        break;
      }
      case Stage.ShutSilence:
        if (++this.count > SHUTDOWN_SILENCE_SYMBOLS) { this.stage = Stage.Done; return false; }
        break;
      case Stage.Done:
        return false;
    }
    // Data may have ended inside codedPoint (stage switched to ShutOnes with count 1): fine.
    const pos = this.ringPos === 0 ? TX_SPAN - 1 : this.ringPos - 1;
    this.ringPos = pos;
    this.ringRe[pos] = re; this.ringRe[pos + TX_SPAN] = re;
    this.ringIm[pos] = im; this.ringIm[pos + TX_SPAN] = im;
    return true;
  }

  tx(out: Float32Array, offset = 0, length = out.length - offset): number {
    if (this.stage === Stage.Done) return 0;
    const g = this.gain;
    for (let n = 0; n < length; n++) {
      if ((this.baudPhase += 3) >= 10) {
        this.baudPhase -= 10;
        if (!this.nextSymbol()) return n;
      }
      const h = this.baudPhase * TX_SPAN;
      const p = this.ringPos;
      let bre = 0;
      let bim = 0;
      for (let i = 0; i < TX_SPAN; i++) {
        const c = TX_TABLE[h + i]!;
        bre += c * this.ringRe[p + i]!;
        bim += c * this.ringIm[p + i]!;
      }
      const ci = this.carrierIdx;
      out[offset + n] = g * (bre * COS40[ci]! - bim * SIN40[ci]!);
      this.carrierIdx = ci === 39 ? 0 : ci + 1;
    }
    return length;
  }

  get bitRate(): number {
    return this.rate;
  }
}
