/**
 * V.17 receiver: 2400 baud, 1800 Hz carrier, 7200-14400 bit/s, long and short train.
 *
 * How, per sample: the input is mixed to baseband with a fixed 1800 Hz table (exact, 40-sample
 * period: dsp/nco.ts periodicCarrier) into a small ring. While searching, three DFT bins on
 * 80-sample blocks watch 600, 1800 and 3000 Hz: segment 1 (ABAB) is exactly these three tones, so
 * two consecutive blocks holding most of the energy in them, in the right proportions, mean
 * "V.17 training here" whatever noise came before. From those bins come, in closed form, the
 * gain, the carrier phase and frequency offset, and the symbol timing including which instants
 * carry A (the side tones' phase difference gives timing mod T; their phase against the carrier
 * tone tells A from B).
 * Then the ring's samples go, LOOKAHEAD behind the input, into the matched RRC filter
 * (dsp/interpolator.ts over a dsp/rrc.ts bank: 32 sub-sample phases, 26 taps, tapered), read at T/2
 * instants steered by a Gardner timing loop (dsp/timing.ts), into a T/2 fractionally spaced complex
 * equalizer (dsp/equalizer.ts, step normalised by a smoothed power) whose output is de-rotated by a
 * second-order decision-directed carrier loop.
 * Per symbol: during ABAB the loop settles, the equalizer learns the three tones (A and B are judged
 * against where they arrive: a line's group-delay distortion can move them far from the ideal points),
 * and the start of segment 2 is found by matching the
 * known CDBA sequence (the receiver generates segments 2-3 itself, see v17-training.ts); the
 * equalizer trains on the known symbols (fast, then slow), is checked for convergence, then runs
 * decision directed through segment 4 and the data. The Viterbi decoder (trellis.ts) releases
 * points at least 24 symbols late, 8 at a time; they are differentially decoded and descrambled. Training succeeds when
 * segment 4's decoded ones and mean squared error pass; only then does data reach putBit, starting
 * exactly with the first data bit. Carrier up: energy 6 dB over the line's noise floor (and over
 * the cut-off), or the training pattern itself. Carrier loss: power 8.5 dB under the tracked level
 * or under the cut-off (for 6 ms; 60 ms in data, so a lost packet is not the end), or a long run of huge errors. A failed training is reported with its reason and the
 * receiver goes back to searching (it never parks).
 * Level steps: the matched filter runs LOOKAHEAD samples (20 ms) behind the input; a sustained
 * power change of more than 4.5 dB is located and sized by trial runs of the trellis over the
 * look-ahead, and the not yet filtered samples are rescaled, so a 6 dB step costs no bits.
 */
import type { ModemReceiver, PutBit, StatusHandler } from './types';
import { v17BitsPerSymbol, v17PointsFor, V17_ABCD } from './v17-constellations';
import { V17DiffDecoder, V17Viterbi } from './trellis';
import * as training from './v17-training';
import { meanSquareForDbm0 } from '../dsp/level';
import { periodicCarrier } from '../dsp/nco';
import { rrcPolyphase } from '../dsp/rrc';
import { ComplexInterpolator } from '../dsp/interpolator';
import { ComplexEqualizer } from '../dsp/equalizer';
import * as timingBlock from '../dsp/timing';

export interface V17RxOptions {
  /** 14400, 12000, 9600 or 7200. */
  rate: number;
  /** Expect the short train (uses the equalizer from the last successful long train). */
  shortTrain?: boolean;
  /** Energy cut-off for carrier detection, dBm0 (default -45.5, as spandsp). */
  cutoffDbm0?: number;
  /** Report a training failure after this long with energy but no V.17 pattern (default 0.6 s). */
  searchTimeoutMs?: number;
}

// Module-local copies: some bundlers turn imported bindings into getters, too slow per sample.
const { SEG1_SYMBOLS, SEG4_SYMBOLS, descrambleStep, v17Training } = training;
const { gardnerError, TimingLoop } = timingBlock;
const ABCD: Int8Array = V17_ABCD;
const T = 10 / 3; // samples per symbol
const HALF_T = 5 / 3;
// Matched filter: RRC, roll-off 0.25, taps from RX_HALF samples before the instant to RX_HALF + 1
// after it, tapered to the ends; RX_PHASES sub-sample phases.
const RX_HALF = 12;
const RX_TAPS = 2 * RX_HALF + 2;
const RX_PHASES = 32;
// Row r delays by r/RX_PHASES sample: the instant floor(tau) + ph/RX_PHASES is row RX_PHASES - ph
// with the sample floor(tau) + RX_HALF + 1 the newest in the filter.
const RX_BANK = rrcPolyphase(0.25, T, RX_TAPS, RX_PHASES, { centre: RX_HALF, windowHalf: RX_HALF + 1.5 });
const BLOCK = 80; // search block: 24 symbols, bins 6/18/30 are 600/1800/3000 Hz
const M = 256; // baseband ring length
const NPRE = 8; // equalizer taps (T/2) ahead of the centre
const NPOST = 12;
const NEQ = NPRE + 1 + NPOST;
const CDBA_MATCH = 16; // symbols matched to find the start of segment 2
const CONSTELLATION_KEEP = 256;
const LOOKAHEAD = 160; // samples the matched filter runs behind the input, for the level-step fix
const WIN = 32; // level-step power window, samples
const DATA_DROPOUT_SAMPLES = 480; // 60 ms of lost power before a burst in data is over (as V.29/V.27ter)
const REFINE_OUTS = 100; // T/2 outputs examined when placing a level step
const STEP_UP = 2.8; // +4.5 dB
const STEP_DOWN = 0.35; // -4.5 dB
const M_RE = -2; // m = (A + B) / 2
const M_IM = -4;
const M_ABS = Math.sqrt(20);

const { cos: COS40, sin: SIN40 } = periodicCarrier(1800);
const BIN_COS = new Float32Array(3 * BLOCK);
const BIN_SIN = new Float32Array(3 * BLOCK);
for (let b = 0; b < 3; b++) {
  const k = [6, 18, 30][b]!;
  for (let n = 0; n < BLOCK; n++) {
    BIN_COS[b * BLOCK + n] = Math.cos((2 * Math.PI * k * n) / BLOCK);
    BIN_SIN[b * BLOCK + n] = Math.sin((2 * Math.PI * k * n) / BLOCK);
  }
}

/** Normalised MSE above which training is refused, per rate (roughly where bits go bad). */
function mseLimit(rate: number): number {
  switch (rate) {
    case 14400: return 0.025;
    case 12000: return 0.05;
    case 9600: return 0.1;
    default: return 0.18;
  }
}

function wrapPi(a: number): number {
  while (a > Math.PI) a -= 2 * Math.PI;
  while (a < -Math.PI) a += 2 * Math.PI;
  return a;
}

const enum Stage { Search, Abab, Train, Seg4, Data }

export class V17Receiver implements ModemReceiver {
  private putBit: PutBit;
  private onStatus: StatusHandler | undefined;
  private rate = 14400;
  private bps = 6;
  private points: Int8Array = V17_ABCD;
  private shortTrain = false;
  private train: Uint8Array = new Uint8Array(0);
  private cutoffPower = 0;
  private searchTimeout = 4800;

  // Time and front end.
  private n = 0;
  private inX = 0; // the sample being processed
  private carrierIdx = 0; // n mod 40
  private readonly bbRe = new Float32Array(M);
  private readonly bbIm = new Float32Array(M);
  private readonly mf = new ComplexInterpolator(RX_BANK, RX_TAPS, RX_PHASES);
  private fed = 0; // the next ring sample (time) for the matched filter
  private powFast = 0;
  private powRef = 0;
  private lowCount = 0;
  private floorPower = Infinity;
  private warm = 0;
  private frozen = false;
  private inGain = 1;
  private readonly win = new Float32Array(WIN);
  private readonly tmpRe = new Float32Array(NEQ + REFINE_OUTS);
  private readonly tmpIm = new Float32Array(NEQ + REFINE_OUTS);
  private readonly tmpRe2 = new Float32Array(NEQ + REFINE_OUTS);
  private readonly tmpIm2 = new Float32Array(NEQ + REFINE_OUTS);
  private readonly partRe = new Float32Array(REFINE_OUTS);
  private readonly partIm = new Float32Array(REFINE_OUTS);
  private partN = 0;
  private stepAt = 0;
  private stepGain = 1;
  private winSum = 0;
  private refLevel = 1;
  private invRef = 1 / WIN;
  private stepPending = false;
  private stepStart = 0;
  private stepCount = 0;

  // Search.
  private readonly acc = new Float64Array(6);
  private accE = 0;
  private readonly prev = new Float64Array(6);
  private prevE = 0;
  private prevGood = false;
  private energyOn = false;
  private carrierReported = false;
  private failReported = false;
  private energySamples = 0;

  // Demodulator.
  private stage = Stage.Search;
  private tau = 0;
  private half = 0;
  private k = 0; // index of the latest symbol instant; even = A during segment 1
  private gain = 1;
  // Equalizer: centre tap NPRE, step normalised by NEQ times the T/2 power smoothed over ~100 samples.
  private readonly eq = new ComplexEqualizer(NEQ, { powerAverage: 0.01, powerFloor: 1 });
  private readonly saved = new Float64Array(2 * NEQ);
  private haveSaved = false;
  private savedFreq = 0;
  private savedTimingRate = 0;
  private eqMu = 0;
  // Gardner timing; the loop's output is a correction of the T/2 step, in samples.
  private readonly timing = new TimingLoop(0.01, 0.0001, Infinity);
  private prevSymRe = 0;
  private prevSymIm = 0;
  private midRe = 0;
  private midIm = 0;
  private timingOn = false;
  // Carrier loop.
  private psi = 0;
  private freq = 0; // rad per symbol
  private pKp = 0;
  private pKi = 0;
  private psiSet = false;
  private pc = 1; // cos(psi)
  private ps = 0; // sin(psi)
  private phi0 = 0;
  private dw = 0;
  private nMid = 0;
  // Per-symbol values handed to carrier()/turn()/decode() in fields, not arguments: a double
  // argument to a call V8 does not inline is boxed (allocated) on every call.
  private symRe = 0; // the derotated equalizer output
  private symIm = 0;
  private wantRe = 0; // the point it should have been (training symbol or decision)
  private wantIm = 0;
  private turnBy = 0; // radians
  // Per-stage counters.
  private count = 0;
  private trainIdx = 0;
  private readonly histRe = new Float32Array(CDBA_MATCH);
  private readonly histIm = new Float32Array(CDBA_MATCH);
  private readonly abRe = new Float32Array(2); // A and B as received during segment 1
  private readonly abIm = new Float32Array(2);
  private readonly abMiss = new Int32Array(2);
  private errAcc = 0;
  private errN = 0;
  private mseAvg = 0;
  private mseHold = 0;
  private badRun = 0;
  // Decoding.
  private readonly vit = new V17Viterbi();
  private readonly trial = new V17Viterbi();
  private readonly dd = new V17DiffDecoder();
  private descReg = 0;
  private decided = 0;
  private onesErr = 0;
  private onesN = 0;
  private seg4Err = 0;
  private trained = false;
  // Constellation display ring.
  private readonly showRe = new Float32Array(CONSTELLATION_KEEP);
  private readonly showIm = new Float32Array(CONSTELLATION_KEEP);
  private showPos = 0;

  constructor(opts: V17RxOptions, putBit: PutBit, onStatus?: StatusHandler) {
    this.putBit = putBit;
    this.onStatus = onStatus;
    this.restart(opts);
  }

  setPutBit(putBit: PutBit): void {
    this.putBit = putBit;
  }

  setStatusHandler(h: StatusHandler | undefined): void {
    this.onStatus = h;
  }

  /** Get ready for a new burst. Keeps the equalizer of the last good long train for short trains. */
  restart(opts: V17RxOptions = { rate: this.rate, shortTrain: this.shortTrain }): void {
    const pts = v17PointsFor(opts.rate);
    this.rate = opts.rate;
    this.bps = v17BitsPerSymbol(opts.rate);
    this.points = pts;
    this.shortTrain = opts.shortTrain ?? false;
    this.train = v17Training(this.shortTrain).symbols;
    this.cutoffPower = meanSquareForDbm0(opts.cutoffDbm0 ?? -45.5);
    this.searchTimeout = Math.round(((opts.searchTimeoutMs ?? 600) * 8000) / 1000);
    this.energyOn = false;
    this.carrierReported = false;
    this.failReported = false;
    this.energySamples = 0;
    this.lowCount = 0;
    this.toSearch();
  }

  /** Latest normalised mean squared error (error power / mean constellation power). */
  mse(): number {
    return this.mseAvg;
  }

  /** True between training-succeeded and carrier-down. */
  get isTrained(): boolean {
    return this.trained;
  }

  /** Carrier frequency offset being tracked, Hz. */
  get carrierOffsetHz(): number {
    return ((this.freq / T) * 8000) / (2 * Math.PI);
  }

  /** Copy the latest received points (constellation units, oldest first) into re/im; returns count. */
  constellation(re: Float32Array, im: Float32Array): number {
    const n = Math.min(re.length, im.length, CONSTELLATION_KEEP);
    for (let i = 0; i < n; i++) {
      const j = (this.showPos + CONSTELLATION_KEEP - n + i) % CONSTELLATION_KEEP;
      re[i] = this.showRe[j]!;
      im[i] = this.showIm[j]!;
    }
    return n;
  }

  private status(kind: 'carrier-up' | 'carrier-down' | 'training-in-progress' | 'training-succeeded'): void {
    this.onStatus?.({ kind, sample: this.n });
  }

  private fail(reason: string): void {
    this.onStatus?.({ kind: 'training-failed', sample: this.n, reason });
    this.failReported = true;
    this.toSearch();
  }

  private searching(): boolean {
    return this.stage === Stage.Search;
  }

  private toSearch(): void {
    this.stage = Stage.Search;
    this.trained = false;
    this.acc.fill(0);
    this.accE = 0;
    this.prevGood = false;
  }

  rx(samples: Float32Array, offset = 0, length = samples.length - offset): void {
    const end = offset + length;
    for (let i = offset; i < end; i++) {
      let x = samples[i]!;
      if (!(x > -1e6 && x < 1e6)) x = 0; // NaN / absurd values: treat as silence
      this.inX = x;
      this.sample();
    }
  }

  /** Lost audio: run n silent samples through with all adaptation and carrier detection frozen. */
  fillin(n: number): void {
    if (!(n > 0)) return;
    this.frozen = true;
    for (let i = 0; i < n; i++) { this.inX = 0; this.sample(); }
    this.frozen = false;
  }

  /** One input sample, this.inX (a field, not an argument: see symRe). */
  private sample(): void {
    const x = this.inX;
    const n = this.n;
    const ci = this.carrierIdx;
    this.carrierIdx = ci === 39 ? 0 : ci + 1;
    const w = n & (M - 1);
    const xs = x * this.inGain;
    const re = xs * COS40[ci]!;
    const im = -xs * SIN40[ci]!;
    this.bbRe[w] = re;
    this.bbIm[w] = im;
    if (!this.frozen) {
      this.powFast += (x * x - this.powFast) * (1 / 64);
      this.energyDetect();
    }
    if (this.stage === Stage.Search) {
      this.search(n);
    } else {
      if (!this.frozen) {
        // The level-step window, here: levelStep() is called only when it has something to do
        // (a window out of range, a step pending, the reference's update every 64 samples).
        const p = xs * xs;
        const j = n & (WIN - 1);
        this.winSum += p - this.win[j]!;
        this.win[j] = p;
        const ratio = this.winSum * this.invRef;
        if (this.stepPending || ratio > STEP_UP || ratio < STEP_DOWN || (n & 63) === 0) this.levelStep(n);
      }
      this.filterDue(n, LOOKAHEAD);
    }
    this.n = n + 1;
  }

  /**
   * Sudden level changes (a line switching gain): a WIN-sample power window leaving +-4.5 dB of
   * the reference for WIN samples more is a step. Its start is estimated from when the window crossed
   * the threshold, and the not yet filtered samples since then are rescaled (the filter runs
   * LOOKAHEAD samples behind), so symbols after the step are seen at the right level at once.
   */
  private levelStep(n: number): void {
    let ratio = this.winSum * this.invRef;
    const out = ratio > STEP_UP || ratio < STEP_DOWN;
    if (!this.stepPending) {
      if (out) { this.stepPending = true; this.stepStart = n; this.stepCount = 0; }
      else if ((n & 63) === 0 && this.stage === Stage.Data) {
        // The reference follows slow drift (time constant ~0.5 s), updated every 64 samples.
        this.refLevel += (this.winSum / WIN - this.refLevel) * (1 / 64);
        this.invRef = 1 / (WIN * this.refLevel);
      }
      return;
    }
    if (!out) { this.stepPending = false; return; }
    if (++this.stepCount < WIN) return;
    if (ratio < 0.1 || ratio > 20) {
      // Not a gain change: the signal ended (-10 dB or more: carrier detection decides), or
      // something else began (+13 dB or more). A gateway's +10 dB step is still a gain change.
      this.stepPending = false;
      return;
    }
    // The window now holds only post-step samples: ratio is the step.
    const thr = ratio > 1 ? STEP_UP : STEP_DOWN;
    let k = Math.round((WIN * (thr - 1)) / (ratio - 1));
    if (k < 0) k = 0; else if (k > WIN) k = WIN;
    let from = this.stepStart - k;
    let corr = 1 / Math.sqrt(ratio);
    // The crossing comes some 0..4*WIN samples after the step, depending on the data's power.
    if (this.stage === Stage.Data) {
      this.refineStep(this.stepStart - 4 * WIN, this.stepStart, corr, n);
      from = this.stepAt;
      corr = this.stepGain;
      ratio = 1 / (corr * corr);
    }
    for (let t = Math.max(from, n - LOOKAHEAD); t <= n; t++) {
      const i = t & (M - 1);
      this.bbRe[i]! *= corr; this.bbIm[i]! *= corr;
    }
    this.inGain *= corr;
    this.powRef *= ratio; // the carrier-loss reference follows the line level
    const c2 = corr * corr;
    for (let i = 0; i < WIN; i++) this.win[i]! *= c2;
    this.winSum *= c2;
    this.stepPending = false;
  }

  /**
   * Decision-aided placement and size of a level step: for start candidates in [lo, hi] and gain
   * corrections within +-2 dB of the power-based one, run the not yet processed samples through
   * the matched filter and the equalizer as they stand (both linear: the part before and the part
   * after the candidate are computed once and mixed per gain), and keep the pair whose symbols sit
   * closest to constellation points. Rare (only at detected steps), so plain loops are fine.
   */
  private refineStep(lo: number, hi: number, corr: number, n: number): void {
    let outs = 0;
    while (outs < REFINE_OUTS && this.tau + outs * HALF_T + RX_HALF + 1 <= n) outs++;
    if (lo < n - LOOKAHEAD) lo = n - LOOKAHEAD;
    let bestCost = Infinity;
    this.stepAt = hi;
    this.stepGain = corr;
    for (let cand = lo; cand <= hi; cand++) {
      this.stepParts(cand, outs);
      for (let k = -4; k <= 4; k++) {
        const g = corr * Math.pow(10, (k * 0.5) / 20);
        const cost = this.stepCost(g);
        if (cost < bestCost) { bestCost = cost; this.stepAt = cand; this.stepGain = g; }
      }
    }
  }

  /** Equalizer outputs of the coming symbols split into the parts before / from `cand` (derotated). */
  private stepParts(cand: number, outs: number): void {
    const eq = this.eq;
    const ar = this.tmpRe; // before-step part of the T/2 samples (the old ones are all "before")
    const ai = this.tmpIm;
    const br = this.tmpRe2; // after-step part, unscaled
    const bi = this.tmpIm2;
    for (let i = 0; i < NEQ; i++) {
      ar[i] = eq.lineRe(NEQ - 1 - i);
      ai[i] = eq.lineIm(NEQ - 1 - i);
      br[i] = 0;
      bi[i] = 0;
    }
    for (let j = 0; j < outs; j++) {
      const tau = this.tau + j * HALF_T;
      let base = Math.floor(tau);
      let ph = Math.round((tau - base) * RX_PHASES);
      if (ph === RX_PHASES) { base++; ph = 0; }
      const t0 = base - RX_HALF;
      // the matched filter's row, walked oldest sample first (its last tap multiplies the oldest)
      const h = (RX_PHASES - ph + 1) * RX_TAPS - 1;
      let r0 = 0, i0 = 0, r1 = 0, i1 = 0;
      for (let i = 0; i < RX_TAPS; i++) {
        const c = RX_BANK[h - i]!;
        const s = (t0 + i) & (M - 1);
        if (t0 + i >= cand) { r1 += c * this.bbRe[s]!; i1 += c * this.bbIm[s]!; }
        else { r0 += c * this.bbRe[s]!; i0 += c * this.bbIm[s]!; }
      }
      ar[NEQ + j] = r0 * this.gain; ai[NEQ + j] = i0 * this.gain;
      br[NEQ + j] = r1 * this.gain; bi[NEQ + j] = i1 * this.gain;
    }
    let sym = 0;
    for (let j = 0; j < outs; j++) {
      if (((this.half + j) & 1) !== 0) continue;
      const newest = NEQ + j;
      let zr = 0, zi = 0, wr = 0, wi = 0;
      for (let i = 0; i < NEQ; i++) {
        const cr = eq.tapRe(i);
        const ci = eq.tapIm(i);
        zr += cr * ar[newest - i]! - ci * ai[newest - i]!;
        zi += cr * ai[newest - i]! + ci * ar[newest - i]!;
        wr += cr * br[newest - i]! - ci * bi[newest - i]!;
        wi += cr * bi[newest - i]! + ci * br[newest - i]!;
      }
      const psi = this.psi + this.freq * sym;
      const cp = Math.cos(psi);
      const sp = Math.sin(psi);
      this.partRe[2 * sym] = zr * cp + zi * sp;
      this.partIm[2 * sym] = zi * cp - zr * sp;
      this.partRe[2 * sym + 1] = wr * cp + wi * sp;
      this.partIm[2 * sym + 1] = wi * cp - wr * sp;
      sym++;
    }
    this.partN = sym;
  }

  /** Best trellis path metric over the coming symbols with the after-step part scaled by g. */
  private stepCost(g: number): number {
    // The trellis judges whole sequences: far sharper than nearest-point distances.
    const v = this.trial;
    v.copyMetrics(this.vit);
    let cost = 0;
    for (let s = 0; s < this.partN; s++) {
      const yr = this.partRe[2 * s]! + g * this.partRe[2 * s + 1]!;
      const yi = this.partIm[2 * s]! + g * this.partIm[2 * s + 1]!;
      cost = v.pushMetrics(yr, yi);
    }
    return cost;
  }

  private energyDetect(): void {
    const p = this.powFast;
    if (!this.energyOn) {
      if (this.warm < 128) { this.warm++; return; } // the power meter is still settling
      // The line's floor: follows any fall at once, rises only slowly (2 s), so steady noise
      // already on the line is not mistaken for a carrier (and reported as a failed training).
      if (p < this.floorPower) this.floorPower = p;
      else this.floorPower += (p - this.floorPower) * (1 / 16000);
      // On: 2.5 dB over the cut-off and 6 dB over the floor, or simply loud (> -15.5 dBm0).
      if (p > this.cutoffPower * 1.78 && (p > this.floorPower * 4 || p > this.cutoffPower * 1000)) {
        this.energyOn = true;
        this.energySamples = 0;
        if (!this.carrierReported) { this.carrierReported = true; this.status('carrier-up'); }
      }
      return;
    }
    this.energySamples++;
    const dropped = p < this.cutoffPower * 0.56 || (this.stage !== Stage.Search && p < this.powRef * 0.14);
    if (dropped) {
      // The symbols being decided now are still the signal's (the filter runs behind): keep the
      // quality figure from here, not from the silence decoded after the end.
      if (this.lowCount === 0) this.mseHold = this.mseAvg;
      // In data, a hole shorter than 60 ms is a lost VoIP packet (zeroed by a gateway), not the
      // end: riding through it costs the bits of the hole instead of the rest of the page.
      if (++this.lowCount >= (this.stage === Stage.Data ? DATA_DROPOUT_SAMPLES : 48)) {
        this.lowCount = 0;
        this.energyOn = false;
        // Let the look-ahead backlog through first: the last symbols are still in it.
        this.filterDue(this.n, 0);
        if (this.stage !== Stage.Search) { this.toSearch(); this.mseAvg = this.mseHold; }
        this.floorPower = p;
        if (this.carrierReported) { this.carrierReported = false; this.status('carrier-down'); }
        this.failReported = false;
        return;
      }
    } else {
      this.lowCount = 0;
      if (this.stage === Stage.Data) this.powRef += (p - this.powRef) * (1 / 4096);
    }
    if (this.stage === Stage.Search && !this.failReported && this.energySamples > this.searchTimeout) {
      this.fail('no V.17 training (segment 1 ABAB) found in the signal');
    }
  }

  private search(n: number): void {
    const x = this.inX;
    const j = n % BLOCK;
    const a = this.acc;
    a[0] += x * BIN_COS[j]!; a[1] -= x * BIN_SIN[j]!;
    a[2] += x * BIN_COS[BLOCK + j]!; a[3] -= x * BIN_SIN[BLOCK + j]!;
    a[4] += x * BIN_COS[2 * BLOCK + j]!; a[5] -= x * BIN_SIN[2 * BLOCK + j]!;
    this.accE += x * x;
    if (j !== BLOCK - 1) return;
    const e = this.accE;
    const l2 = a[0]! * a[0]! + a[1]! * a[1]!;
    const c2 = a[2]! * a[2]! + a[3]! * a[3]!;
    const u2 = a[4]! * a[4]! + a[5]! * a[5]!;
    let good = e > BLOCK * 1e-7 && ((l2 + c2 + u2) * 2) / BLOCK > 0.55 * e;
    if (good) {
      const rl = l2 / c2;
      const ru = u2 / c2;
      good = rl > 0.015 && rl < 0.64 && ru > 0.015 && ru < 0.64 && rl < 4 * ru && ru < 4 * rl;
    }
    if (good && this.prevGood) this.acquire(n);
    if (this.stage === Stage.Search) {
      this.prev.set(a);
      this.prevE = e;
      this.prevGood = good;
      a.fill(0);
      this.accE = 0;
    }
  }

  /** Two good ABAB blocks: the previous (prev) and this one (acc), this one ending at sample n. */
  private acquire(n: number): void {
    const a = this.acc;
    const p = this.prev;
    const argC2 = Math.atan2(a[3]!, a[2]!);
    const argC1 = Math.atan2(p[3]!, p[2]!);
    const dw = wrapPi(argC2 - argC1) / BLOCK; // rad per sample
    if (Math.abs(dw) > (2 * Math.PI * 20) / 8000) { this.prevGood = true; return; }
    // Timing: arg(Xl conj Xu) = 2 pi t0 / T, summed over both blocks.
    const sr = a[0]! * a[4]! + a[1]! * a[5]! + p[0]! * p[4]! + p[1]! * p[5]!;
    const si = a[1]! * a[4]! - a[0]! * a[5]! + p[1]! * p[4]! - p[0]! * p[5]!;
    let t0 = (Math.atan2(si, sr) / (2 * Math.PI)) * T;
    // Which instant is A: Xu e^{j pi t0 / T} conj(Xc) should point along a conj(m) = -j |m|^2.
    const cr = Math.cos((Math.PI * t0) / T);
    const cs = Math.sin((Math.PI * t0) / T);
    const ur = a[4]! * cr - a[5]! * cs;
    const ui = a[4]! * cs + a[5]! * cr;
    const qi = ui * a[2]! - ur * a[3]!;
    if (qi > 0) t0 += T;
    const xc = Math.hypot(a[2]!, a[3]!);
    this.gain = (BLOCK * M_ABS) / xc;
    this.powRef = (this.accE + this.prevE) / (2 * BLOCK);
    this.refLevel = this.powRef;
    this.invRef = 1 / (WIN * this.refLevel);
    this.inGain = 1;
    this.win.fill(0);
    this.winSum = 0;
    this.stepPending = false;
    this.phi0 = argC2 - Math.atan2(M_IM, M_RE);
    this.dw = dw;
    this.nMid = n - (BLOCK - 1) / 2;
    // First symbol instant (an A) a little in the past; all of it is still in the ring.
    const start = n - 40 - LOOKAHEAD;
    let kk = Math.ceil((start - t0) / (2 * T)) * 2;
    this.tau = t0 + kk * T;
    this.k = kk - 1; // halfSymbol increments on each symbol instant
    this.half = 0;
    // The matched filter starts afresh from the ring at the first instant's oldest sample.
    this.mf.restart();
    this.fed = Math.floor(this.tau) - RX_HALF;
    // Equalizer: the saved one for a short train, else a bare centre tap.
    this.eq.restart(NPRE, 1, 0);
    if (this.shortTrain && this.haveSaved) {
      // The saved equalizer, normalised to unit response at DC (the carrier tone): the gain and
      // phase just measured from the tones then apply to it exactly as to a bare centre tap.
      const sv = this.saved;
      const taps = this.eq.taps;
      let sr = 0;
      let si = 0;
      for (let i = 0; i < NEQ; i++) { sr += sv[2 * i]!; si += sv[2 * i + 1]!; }
      const d = sr * sr + si * si;
      for (let i = 0; i < NEQ; i++) {
        const cr = sv[2 * i]!;
        const ci = sv[2 * i + 1]!;
        taps[2 * i] = d > 0 ? (cr * sr + ci * si) / d : i === NPRE ? 1 : 0;
        taps[2 * i + 1] = d > 0 ? (ci * sr - cr * si) / d : 0;
      }
    }
    this.eq.power = 40; // a training point's power, until the average has learnt the real one
    this.eqMu = 0;
    this.prevSymRe = this.prevSymIm = this.midRe = this.midIm = 0;
    this.timing.restart();
    this.timingOn = false;
    this.psiSet = false;
    this.freq = dw * T;
    if (this.shortTrain && this.haveSaved) {
      // Same line as the long train: its converged carrier frequency and clock drift are far
      // better than what 40 ms of tones can give, and the short train has no time to refine them.
      this.freq = this.savedFreq;
      this.timing.rate = this.savedTimingRate;
    }
    this.pKp = 0.2; this.pKi = 0.01;
    this.count = 0;
    this.errAcc = 0; this.errN = 0;
    this.mseAvg = 1;
    this.badRun = 0;
    this.abRe[0] = ABCD[0]!; this.abIm[0] = ABCD[1]!;
    this.abRe[1] = ABCD[2]!; this.abIm[1] = ABCD[3]!;
    this.abMiss.fill(0);
    this.stage = Stage.Abab;
    // The pattern is proof of a carrier even where energy alone did not tell (noise at the same level).
    this.energyOn = true;
    this.energySamples = 0;
    this.lowCount = 0;
    if (!this.carrierReported) { this.carrierReported = true; this.status('carrier-up'); }
  }

  /**
   * Every T/2 output of the matched filter (at time tau) whose last sample is at least `ahead`
   * samples before sample n, while the demodulator runs. (The loop is here rather than in
   * sample(): measured with --trace-turbo-inlining, V8 then keeps halfSymbol() out of rx() and
   * inlines the dsp blocks' methods into it; inlined into rx() it left them as calls, ~5% slower.)
   */
  private filterDue(n: number, ahead: number): void {
    while (this.tau + RX_HALF + 1 + ahead <= n && this.stage !== Stage.Search) this.halfSymbol();
  }

  /** One T/2 output of the matched filter at time tau. */
  private halfSymbol(): void {
    const tau = this.tau;
    let base = Math.floor(tau);
    let ph = Math.round((tau - base) * RX_PHASES);
    if (ph === RX_PHASES) { base++; ph = 0; }
    // Feed the matched filter from the ring up to the newest sample this instant needs.
    const mf = this.mf;
    const last = base + RX_HALF + 1;
    for (let t = this.fed; t <= last; t++) mf.push(this.bbRe[t & (M - 1)]!, this.bbIm[t & (M - 1)]!);
    if (last >= this.fed) this.fed = last + 1;
    mf.readRow(RX_PHASES - ph);
    const re = mf.outRe * this.gain;
    const im = mf.outIm * this.gain;
    const eq = this.eq;
    eq.inRe = re;
    eq.inIm = im;
    eq.pushInput();
    if (this.half === 1) {
      this.midRe = re; this.midIm = im;
      this.half = 0;
      this.tau = tau + HALF_T;
      return;
    }
    this.half = 1;
    this.k++;
    // Gardner: e > 0 means we sample late.
    const e = gardnerError(this.prevSymRe, this.prevSymIm, this.midRe, this.midIm, re, im) / 40;
    this.prevSymRe = re; this.prevSymIm = im;
    // The loop's correction of the step, 0 while it is off (HALF_T + 0 is HALF_T exactly). Not
    // `step = HALF_T; step += ...`: V8 merged the module constant (a tagged load) with the sum
    // into a tagged value, one boxed double per symbol.
    const corr = !this.frozen && this.timingOn ? this.timing.update(e > 2 ? 2 : e < -2 ? -2 : e) : 0;
    this.symbol();
    this.timingOn = this.stage !== Stage.Search;
    this.tau = tau + (HALF_T + corr);
  }

  /** Equalizer output for the symbol NPRE/2 before the newest, and everything after it. */
  private symbol(): void {
    const eq = this.eq;
    eq.output();
    const zr = eq.outRe;
    const zi = eq.outIm;
    const kOut = this.k - NPRE / 2;
    if (!this.psiSet) {
      // Carrier phase at this symbol's time, from the search blocks.
      const tSym = this.tau - (NPRE / 2) * T;
      this.psi = this.phi0 + this.dw * (tSym - this.nMid);
      this.pc = Math.cos(this.psi);
      this.ps = Math.sin(this.psi);
      this.psiSet = true;
    }
    const cp = this.pc;
    const sp = this.ps;
    const yr = zr * cp + zi * sp;
    const yi = zi * cp - zr * sp;
    this.symRe = yr;
    this.symIm = yi;
    this.showRe[this.showPos] = yr;
    this.showIm[this.showPos] = yi;
    this.showPos = (this.showPos + 1) % CONSTELLATION_KEEP;

    let tr = 0;
    let ti = 0;
    let adapt = false;
    switch (this.stage) {
      case Stage.Abab: {
        const ab = kOut & 1;
        tr = ABCD[2 * ab]!; ti = ABCD[2 * ab + 1]!;
        this.count++;
        const hp = this.count % CDBA_MATCH;
        this.histRe[hp] = yr; this.histIm[hp] = yi;
        if (this.count >= 8 + CDBA_MATCH && ((kOut - CDBA_MATCH + 1) & 1) === 0 && this.cdbaStarted(hp, kOut)) {
          this.stage = Stage.Train;
          this.trainIdx = SEG1_SYMBOLS + CDBA_MATCH;
          this.count = 0;
          this.errAcc = 0; this.errN = 0;
          this.eqMu = this.shortTrain && this.haveSaved ? 0.02 : 0.15;
          this.pKp = 0.1; this.pKi = 0.003;
          this.status('training-in-progress');
          // this symbol was the last of the matched ones: no further work on it.
          this.wantRe = tr; this.wantIm = ti;
          this.carrier();
          return;
        }
        if (this.count > 420) { this.fail('no segment 2 (CDBA) after the ABAB segment'); return; }
        if (this.count === 40) { this.pKp = 0.08; this.pKi = 0.002; }
        // Skipped symbols still advance the carrier phase (the loop below is not run for them).
        if (this.count <= 4) { this.turnBy = this.freq; this.turn(); return; } // the equalizer's ring is still filling
        // Segment 2 may have begun: symbols far from where A/B have been arriving must not steer
        // the loop or the equalizer. Judged against the observed A/B points, not the ideal ones: a
        // line's group-delay distortion turns the 600/3000 Hz tones against the 1800 Hz one, and
        // that moves A and B (the Wireshark T.38 sample: 60 degrees, every point > 4 off ideal).
        const dr = yr - this.abRe[ab]!;
        const di = yi - this.abIm[ab]!;
        const settling = this.count <= 24; // the first symbols may predate the signal
        if (!settling && dr * dr + di * di > 12) {
          // Segment 2 is matched within CDBA_MATCH symbols; a longer run of misses means the
          // reference point was learnt wrong (e.g. from a transient): learn it again from here.
          if (++this.abMiss[ab]! > 2 * CDBA_MATCH) { this.abRe[ab] = yr; this.abIm[ab] = yi; this.abMiss[ab] = 0; }
          this.turnBy = this.freq; this.turn();
          return;
        }
        this.abMiss[ab] = 0;
        const a = settling ? 0.5 : 0.2;
        this.abRe[ab] += dr * a; this.abIm[ab] += di * a;
        // ABAB is three tones: the equalizer learns them now, so segment 2 arrives near the ideal points.
        if (!settling) { adapt = true; this.eqMu = this.shortTrain && this.haveSaved ? 0.02 : 0.05; }
        break;
      }
      case Stage.Train: {
        const s = this.train[this.trainIdx]!;
        tr = ABCD[2 * s]!; ti = ABCD[2 * s + 1]!;
        adapt = true;
        this.count++;
        this.trainIdx++;
        const left = this.train.length - this.trainIdx;
        if (this.count === 600) { this.eqMu = 0.05; this.pKp = 0.05; this.pKi = 0.001; }
        if (this.count === 1600) this.eqMu = 0.02;
        if (left < 200) {
          const dr = yr - tr;
          const di = yi - ti;
          this.errAcc += dr * dr + di * di;
          this.errN++;
        }
        if (left === 0) {
          const mse = this.errN > 0 ? this.errAcc / this.errN / 40 : 0;
          if (!this.shortTrain && mse > 4 * mseLimit(this.rate)) {
            this.fail(`equalizer did not converge on segment 2 (MSE ${mse.toFixed(3)})`);
            return;
          }
          this.stage = Stage.Seg4;
          this.count = 0;
          this.eqMu = 0.01;
          // Loops in an intermediate gear for segment 4 and the first data, then quiet.
          this.pKp = 0.03; this.pKi = 0.0005;
          this.vit.restart(this.rate);
          this.dd.restart(this.shortTrain ? 0 : 1);
          this.descReg = 0;
          this.decided = 0;
          this.onesErr = 0; this.onesN = 0;
          this.seg4Err = 0;
        }
        break;
      }
      case Stage.Seg4:
      case Stage.Data: {
        const p = this.decode();
        if (this.searching()) return; // training failed inside decode
        tr = this.points[2 * p]!; ti = this.points[2 * p + 1]!;
        adapt = true;
        if (this.stage === Stage.Seg4) {
          this.seg4Err += this.vit.nearestDist;
          if (++this.count >= SEG4_SYMBOLS) { this.stage = Stage.Data; this.count = 0; }
        } else {
          if (++this.count === 300) { this.pKp = 0.01; this.pKi = 0.00005; }
          if (this.mseAvg > 0.35) {
            if (++this.badRun > 200) {
              this.toSearch();
              if (this.carrierReported) { this.carrierReported = false; this.status('carrier-down'); }
              this.energyOn = false;
              this.floorPower = this.powFast;
              return;
            }
          } else this.badRun = 0;
        }
        break;
      }
      default:
        return;
    }
    const dr = tr - yr;
    const di = ti - yi;
    this.mseAvg += ((dr * dr + di * di) / 40 - this.mseAvg) * 0.02;
    if (this.frozen) { this.turnBy = this.freq; this.turn(); return; }
    if (adapt && this.eqMu > 0) {
      // Error rotated back into the equalizer's frame; normalised LMS.
      eq.errRe = dr * cp - di * sp;
      eq.errIm = di * cp + dr * sp;
      eq.mu = this.eqMu;
      eq.adapt();
    }
    this.wantRe = tr; this.wantIm = ti;
    this.carrier();
  }

  /** Second-order carrier loop on the decision error. */
  private carrier(): void {
    const yr = this.symRe;
    const yi = this.symIm;
    const tr = this.wantRe;
    const ti = this.wantIm;
    const t2 = tr * tr + ti * ti;
    let err = t2 > 0 ? (yi * tr - yr * ti) / t2 : 0;
    if (err > 0.5) err = 0.5; else if (err < -0.5) err = -0.5;
    this.freq += this.pKi * err;
    this.turnBy = this.freq + this.pKp * err;
    this.turn();
  }

  /** Advance the carrier phase by turnBy radians (small): the angle, and its phasor without trig. */
  private turn(): void {
    const d = this.turnBy;
    let psi = this.psi + d;
    if (psi > Math.PI) psi -= 2 * Math.PI;
    else if (psi < -Math.PI) psi += 2 * Math.PI;
    this.psi = psi;
    const d2 = d * d;
    const c = 1 - d2 * 0.5 + d2 * d2 * (1 / 24);
    const sn = d * (1 - d2 * (1 / 6) + d2 * d2 * (1 / 120));
    let pc = this.pc * c - this.ps * sn;
    let ps = this.ps * c + this.pc * sn;
    const g = 1.5 - 0.5 * (pc * pc + ps * ps); // keeps |phasor| at 1
    pc *= g;
    ps *= g;
    this.pc = pc;
    this.ps = ps;
  }

  /** Is the last CDBA_MATCH symbols' history the start of segment 2 rather than more ABAB? */
  private cdbaStarted(hp: number, kOut: number): boolean {
    let mc = 0;
    let ma = 0;
    for (let i = 0; i < CDBA_MATCH; i++) {
      const j = (hp + 1 + i) % CDBA_MATCH;
      const yr = this.histRe[j]!;
      const yi = this.histIm[j]!;
      const s = this.train[SEG1_SYMBOLS + i]!;
      let dr = yr - ABCD[2 * s]!;
      let di = yi - ABCD[2 * s + 1]!;
      mc += dr * dr + di * di;
      const ab = (kOut - CDBA_MATCH + 1 + i) & 1;
      dr = yr - ABCD[2 * ab]!;
      di = yi - ABCD[2 * ab + 1]!;
      ma += dr * dr + di * di;
    }
    return mc < 0.3 * ma && mc < CDBA_MATCH * 16;
  }

  /** Viterbi + differential decoding + descrambling; returns the raw nearest point for tracking. */
  private decode(): number {
    const vit = this.vit;
    vit.inRe = this.symRe;
    vit.inIm = this.symIm;
    const k = vit.pushSymbol();
    const nearest = vit.nearest;
    for (let i = 0; i < k && !this.searching(); i++) this.decided1(vit.decided[i]!);
    return nearest;
  }

  /** One decided point: bits out, and the segment 4 checks. */
  private decided1(p: number): void {
    let q = this.dd.decode(p);
    const j = this.decided++;
    let reg = this.descReg;
    for (let b = 0; b < this.bps; b++) {
      const r = descrambleStep(reg, q & 1);
      q >>= 1;
      reg = r >>> 1;
      const bit = r & 1;
      if (j >= SEG4_SYMBOLS) {
        if (this.trained) this.putBit(bit);
      } else if (j >= 8) {
        this.onesN++;
        if (bit === 0) this.onesErr++;
      }
    }
    this.descReg = reg;
    if (j === SEG4_SYMBOLS - 1) {
      const mse = this.seg4Err / SEG4_SYMBOLS / 40;
      if (this.onesErr * 10 > this.onesN) {
        this.fail(`segment 4 ones test failed (${this.onesErr} of ${this.onesN} bits wrong)`);
      } else if (mse > mseLimit(this.rate)) {
        this.fail(`constellation mismatch in segment 4 (MSE ${mse.toFixed(3)})`);
      } else {
        this.trained = true;
        this.badRun = 0;
        if (!this.shortTrain) {
          this.saved.set(this.eq.taps);
          this.savedFreq = this.freq;
          this.savedTimingRate = this.timing.rate;
          this.haveSaved = true;
        }
        this.status('training-succeeded');
      }
    }
  }
}
