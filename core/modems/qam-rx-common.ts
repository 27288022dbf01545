/**
 * The receiver shared by V.29 and V.27ter (and open to any PSK/QAM modem with a known training
 * sequence). What it does, per input sample and per symbol:
 *
 *   audio -> carrier detect -> mix down by the nominal carrier + RRC matched filter, computed
 *   together and only at T/2 instants (MixingInterpolator: polyphase; Gardner timing loop moves
 *   the instants) -> AGC ->
 *   T/2 complex equalizer -> carrier phase loop (2nd order) -> decisions -> subclass (bits).
 *
 * Training never starts on noise: in SEARCH the receiver looks for the recommendation's own
 * pattern. It needs (1) an alternation (period-2 symbols: V.29 segment 2 ABAB, V.27ter segment 3
 * reversals) seen recently, and (2) a differential correlation of the latest W symbol-to-symbol
 * phase increments y[k]*conj(y[k-1]) with the known training sequence above a threshold. The
 * differential form ignores carrier phase and barely notices a +-10 Hz offset, whose value it
 * also yields (the correlation's angle). At that point the symbol index inside the training is
 * known exactly, so the carrier phase and gain are fitted on the window, the equalizer is trained
 * on the known symbols for the rest of the training, and data starts at the first data symbol.
 * Training ends with a verdict: success if the equalized error is small and the decisions agree
 * with the known symbols, otherwise a 'training-failed' event with the reason.
 *
 * Subclasses give the training reference (refRe/refIm per symbol index), the alignment anchor,
 * a decision function and the bit mapping (onDataSymbol).
 */
import { rrcPolyphase } from '../dsp/rrc';
import { MixingInterpolator } from '../dsp/mixing-interpolator';
import { ComplexEqualizer } from '../dsp/equalizer';
import { gardnerError, TimingLoop } from '../dsp/timing';
import { CarrierDetector } from '../dsp/power';
import { LevelStepCompensator, type StepJudge } from '../dsp/level-step';
import { SAMPLE_RATE, meanSquareForDbm0 } from '../dsp/level';
import type { ModemReceiver, PutBit, StatusHandler } from './types';

export interface QamRxConfig {
  carrierHz: number;
  baud: number;
  /** Matched filter roll-off and length in symbols. */
  beta: number;
  spanSymbols: number;
  /** Equalizer length in T/2 taps (odd; centre tap = len >> 1 must be even). */
  eqLen: number;
  /** Mean |symbol|^2 of the data constellation (the scale decisions work at). */
  meanPower: number;
  /** Training symbols (index 0 = first symbol after the silence), and where data begins. */
  refRe: Float64Array;
  refIm: Float64Array;
  dataStart: number;
  /** Alignment: the training index of the newest symbol when the correlation window is full. */
  anchor: number;
  /** Correlation window in symbols. */
  window: number;
  /** Averaging of the alternation detector (default 1/16; short trainings need faster). */
  alternationAlpha?: number;
  /** MSE (relative to meanPower) above which training fails. */
  maxTrainMse: number;
}

const enum Mode {
  Search = 0,
  Train = 1,
  Data = 2,
}

const HIST = 64;
/**
 * Data-mode settling. A short training leaves the equalizer taps and the timing loop's rate
 * (integrator) noisy; both then add error that is not Gaussian noise (a symbol error every few
 * 50 000 bits at 19 dB where the ideal receiver makes almost none). So in data the equalizer
 * step falls from training's 0.05 towards EQ_MU_DATA, and after TIMING_SETTLE symbols the
 * timing rate is replaced by the mean correction actually applied (the real clock difference,
 * averaged) and the loop narrows; the mean is refreshed every TIMING_WINDOW symbols after that,
 * so a +-100 ppm clock stays followed.
 */
const EQ_MU_DATA = 0.008;
const EQ_MU_SETTLE = 400; // symbols for the step to halve from 0.05
const TIMING_SETTLE = 1200;
const TIMING_WINDOW = 2400;
const TIMING_KP_NARROW = 0.003;
const TIMING_KI_NARROW = 0.000001;
const RAW_POWER_FLOOR = meanSquareForDbm0(-55) / 2; // raw symbol history (>= window)
const CONST_POINTS = 256;
/** Symbol power, relative to the trained level, under which the line is as good as silent (-17 dB). */
const QUIET_POWER = 0.02;
/** Samples per rxPass (at most PASS / 8 carrier checks in one). */
const PASS = 256;

export abstract class QamReceiverBase implements ModemReceiver, StepJudge {
  protected readonly cfg: QamRxConfig;
  protected readonly putBit: PutBit;
  private readonly onStatus: StatusHandler;

  private inPower = 0;
  private readonly interp: MixingInterpolator;
  private readonly eq: ComplexEqualizer;
  /** Delay + level-step correction between the front end and the equalizer. */
  private readonly level: LevelStepCompensator;
  private readonly timing = new TimingLoop(0.04, 0);
  private readonly cd = new CarrierDetector(-45.5, -48.5, 40, 40);
  /** The detector's state as of the sample being processed (it runs ahead by up to a pass). */
  private carrierOn = false;
  /** Counts restarts, so rxPass notices one made from a status handler in the middle of it. */
  private generation = 0;
  private readonly evAt = new Int32Array(PASS / 8 + 1);
  private readonly evKind = new Int8Array(PASS / 8 + 1);
  private readonly halfPeriod: number;
  private readonly sps: number;
  private due = 0;
  private parity = 0;
  private midRe = 0;
  private midIm = 0;
  private prevRe = 0;
  private prevIm = 0;
  private samples = 0;
  private symbols = 0;
  private filling = false;
  // per-call values passed in fields: a double argument to a call V8 does not inline is boxed
  // (a heap allocation per T/2 sample); a field store is not
  private inRe = 0; // the T/2 sample for halfSample()
  private inIm = 0;
  private symP = 0; // its power, for eqSymbol()
  /** Symbols left during which the loops and the equalizer do not adapt (after fillin). */
  private hold = 0;
  /** Data symbols since training; timing corrections applied in the current averaging window. */
  private dataSymbols = 0;
  private timingApplied = 0;
  private timingCount = 0;

  // front-end gain (AGC before the equalizer), frozen once training starts
  private feGain = 1;
  private fePower = 0;
  private rawPower = 0;

  // search statistics
  private readonly histRe = new Float64Array(2 * HIST);
  private readonly histIm = new Float64Array(2 * HIST);
  private readonly dRe = new Float64Array(2 * HIST);
  private readonly dIm = new Float64Array(2 * HIST);
  private histPos = 0;
  private r2Re = 0;
  private r2Im = 0;
  private lastAlternation = -1e9;
  private readonly tmplRe: Float64Array;
  private readonly tmplIm: Float64Array;
  private tmplNorm = 0;
  private carrierOnSymbols = 0;
  private searchTimeoutReported = false;

  // training / data
  private mode = Mode.Search;
  private trainIdx = 0;
  private phC = 1; // carrier phasor cos/sin at the equalizer output
  private phS = 0;
  private freq = 0; // rad per symbol
  private mseAcc = 0;
  private mseCount = 0;
  private trainErrors = 0;
  private trainChecked = 0;
  private mseAvg = 1;
  /** Mean squared decision error (relative) over symbols with power; see signal loss (2). */
  private decisionFit = 0;
  /** decisionFit above which the signal is gone: half what the decisions give on noise (noiseFit). */
  private lossFit = 0;
  private trainedPower = 0;
  private symPower = 0;
  private lowPowerCount = 0;
  private carrierReported = false;

  // decisions (subclass fills)
  protected decRe = 0;
  protected decIm = 0;

  // constellation ring
  private readonly cRe = new Float32Array(CONST_POINTS);
  private readonly cIm = new Float32Array(CONST_POINTS);
  private cPos = 0;
  private cCount = 0;

  private readonly zeros = new Float32Array(160);

  constructor(cfg: QamRxConfig, putBit: PutBit, onStatus: StatusHandler) {
    // one object shape for every modem: with V.29 and V.27ter in one process a per-symbol read of
    // a double (meanPower) through two shapes would be polymorphic, and V8 boxes such reads
    this.cfg = {
      carrierHz: cfg.carrierHz, baud: cfg.baud, beta: cfg.beta, spanSymbols: cfg.spanSymbols, eqLen: cfg.eqLen,
      meanPower: cfg.meanPower, refRe: cfg.refRe, refIm: cfg.refIm, dataStart: cfg.dataStart, anchor: cfg.anchor,
      window: cfg.window, alternationAlpha: cfg.alternationAlpha ?? 0.0625, maxTrainMse: cfg.maxTrainMse,
    };
    this.putBit = putBit;
    this.onStatus = onStatus;
    this.sps = SAMPLE_RATE / cfg.baud;
    this.halfPeriod = this.sps / 2;
    let taps = Math.round(cfg.spanSymbols * this.sps);
    if ((taps & 1) === 0) taps++;
    const phases = 64;
    const bank = rrcPolyphase(cfg.beta, this.sps, taps, phases);
    this.interp = new MixingInterpolator(bank, taps, phases, cfg.carrierHz, SAMPLE_RATE);
    const halfBand = (cfg.baud * (1 + cfg.beta)) / 2;
    this.level = new LevelStepCompensator(64, { bank, taps, phases, lowHz: cfg.carrierHz - halfBand, highHz: cfg.carrierHz + halfBand, carrierHz: cfg.carrierHz }, this, cfg.eqLen);
    this.eq = new ComplexEqualizer(cfg.eqLen);
    const W = cfg.window;
    this.tmplRe = new Float64Array(W);
    this.tmplIm = new Float64Array(W);
    for (let i = 0; i < W; i++) {
      const k = cfg.anchor - W + 1 + i;
      const ar = cfg.refRe[k]!;
      const ai = cfg.refIm[k]!;
      const br = cfg.refRe[k - 1]!;
      const bi = cfg.refIm[k - 1]!;
      // e = a * conj(b), as unit phasors like the observed increments
      const m = Math.hypot(ar, ai) * Math.hypot(br, bi) || 1;
      this.tmplRe[i] = (ar * br + ai * bi) / m;
      this.tmplIm[i] = (ai * br - ar * bi) / m;
      this.tmplNorm += this.tmplRe[i]! ** 2 + this.tmplIm[i]! ** 2;
    }
    this.tmplNorm = Math.sqrt(this.tmplNorm);
    this.restartCore();
  }

  private restartCore(): void {
    this.generation++;
    this.interp.restart();
    this.eq.restart(this.cfg.eqLen >> 1, 1, 0);
    this.level.restart();
    this.timing.restart();
    this.cd.restart();
    this.carrierOn = false;
    this.inPower = 0;
    this.due = this.halfPeriod;
    this.parity = 0;
    this.samples = 0;
    this.symbols = 0;
    this.carrierReported = false;
    this.enterSearch();
  }

  /** Reset everything for a new burst. */
  restart(): void {
    this.restartCore();
  }

  private enterSearch(): void {
    this.mode = Mode.Search;
    this.level.disable();
    this.feGain = 1;
    this.fePower = 0;
    this.rawPower = 0;
    this.histRe.fill(0);
    this.histIm.fill(0);
    this.dRe.fill(0);
    this.dIm.fill(0);
    this.r2Re = this.r2Im = 0;
    this.lastAlternation = -1e9;
    this.timing.kp = 0.04;
    this.timing.ki = 0;
    this.timing.restart();
    this.carrierOnSymbols = 0;
    this.searchTimeoutReported = false;
  }

  /** MSE of equalized symbols relative to the mean constellation power (smoothed). */
  mse(): number {
    return this.mseAvg;
  }

  /** True while decoding data after a successful training. */
  get trained(): boolean {
    return this.mode === Mode.Data;
  }

  constellation(re: Float32Array, im: Float32Array): number {
    const n = Math.min(re.length, im.length, this.cCount);
    for (let i = 0; i < n; i++) {
      const k = (this.cPos - n + i + CONST_POINTS) % CONST_POINTS;
      re[i] = this.cRe[k]!;
      im[i] = this.cIm[k]!;
    }
    return n;
  }

  /** Symbol-rate hooks for the subclass. */
  /**
   * Nearest constellation point to (zRe, zIm) into decRe/decIm; returns a code for onDataSymbol.
   * The point comes in fields: with two modems in one page this call site is polymorphic, V8
   * does not inline it, and double arguments would be boxed (a heap object each, per symbol).
   */
  protected abstract decide(): number;
  protected zRe = 0;
  protected zIm = 0;
  /** A data symbol decision (code from decide) to turn into bits. */
  protected abstract onDataSymbol(code: number): void;
  /** Called once when data begins (set descrambler and differential state). */
  protected abstract beginData(): void;

  fillin(n: number): void {
    // no adaptation until the zeros have left the matched filter and the equalizer
    this.hold = (this.cfg.eqLen >> 1) + this.cfg.spanSymbols + this.level.lookahead + 2;
    this.level.forget();
    this.filling = true;
    while (n > 0) {
      const k = Math.min(n, this.zeros.length);
      this.rx(this.zeros, 0, k);
      n -= k;
    }
    this.filling = false;
  }

  rx(samples: Float32Array, offset = 0, length = samples.length - offset): void {
    while (length > 0) {
      const n = length < PASS ? length : PASS;
      this.rxPass(samples, offset, n, 0);
      offset += n;
      length -= n;
    }
  }

  /**
   * Up to PASS samples in two passes. Pass 1 runs per sample and does only what must: clip, input
   * power, carrier checks (their events recorded), the sample into the filter history. Pass 2
   * jumps from one T/2 instant to the next and acts on the recorded carrier events in between, in
   * the order the samples came: the same results as one loop doing everything per sample (the
   * carrier detector depends on the input alone), with the T/2 countdown done in one subtraction
   * (exact: subtracting 1 from a double >= 1 is exact, so only the last step rounds, as here).
   * `firstChecked` = 1: the first sample's carrier check was already made (see resume()).
   */
  private rxPass(samples: Float32Array, offset: number, n: number, firstChecked: number): void {
    const interp = this.interp;
    const cd = this.cd;
    const ns0 = this.samples;
    const filling = this.filling; // flushDelay sets and clears it inside, never across calls
    const evAt = this.evAt;
    const evKind = this.evKind;
    let events = 0;
    const pw0 = this.inPower;
    let pw = pw0;
    // the level-step compensator's copy of the input (to place and rebuild a straddled step)
    const rawX = this.level.rawX;
    const rawMask = this.level.rawMask;
    // the samples go straight into the filter's history (the mixer is applied inside the filter
    // at each T/2 read): indexes in locals, not a field update per sample
    const hist = interp.history;
    const at = interp.reserve(n);
    for (let i = 0; i < n; i++) {
      let x = samples[offset + i]!;
      // bad input (NaN, infinities, overload) must not poison the filters
      if (!(x > -4 && x < 4)) x = x > 0 ? 4 : x < 0 ? -4 : 0;
      if (!filling) {
        // input power for the carrier detector (time constant 40 samples), checked every 8th
        pw += (x * x - pw) * 0.025;
        if (((ns0 + i + 1) & 7) === 0 && i >= firstChecked) {
          cd.input = pw;
          const ev = cd.checkInput(8);
          if (ev !== 0) {
            evAt[events] = i;
            evKind[events++] = ev;
          }
        }
      }
      hist[at + i] = x;
      rawX[(ns0 + i + 1) & rawMask] = x;
    }
    interp.commit(n);
    this.inPower = pw;

    const half = this.halfPeriod;
    const phases = interp.phases;
    const generation = this.generation;
    let due = this.due;
    let e = 0;
    let i = 0; // samples of this pass counted down so far
    for (;;) {
      // the next read is on sample r: due counts down by one per sample and reads at <= 0
      const k = due > 0 ? Math.ceil(due) : 1;
      const r = i + k - 1;
      // a carrier event on sample r comes before that sample's read
      while (e < events && evAt[e]! <= r) {
        this.samples = ns0 + evAt[e]! + 1;
        this.carrierEvent(evKind[e]!);
        e++;
        if (this.generation !== generation) {
          // restarted by a status handler: the rest of the pass from this sample, its check made
          const at = evAt[e - 1]!;
          this.resume(samples, offset, n, ns0 + at, at, due - (at - i), this.powerAt(samples, offset, at - 1, pw0), 1);
          return;
        }
      }
      if (r >= n) {
        due -= n - i;
        break;
      }
      due -= k;
      // -due >= 0 here, so this is Math.round as an int32 (Math.round may give -0, which V8 keeps
      // as a boxed double: the row would be a heap object per read)
      let row = (-due * phases + 0.5) | 0;
      if (row < 0) row = 0;
      else if (row > phases) row = phases;
      interp.readRowAt(row, n - 1 - r);
      this.level.atSample = ns0 + r + 1;
      this.level.atRow = row;
      due += half;
      this.due = due;
      this.samples = ns0 + r + 1;
      this.inRe = interp.outRe * this.feGain;
      this.inIm = interp.outIm * this.feGain;
      this.halfSample();
      due = this.due; // the timing loop may have moved it
      if (this.generation !== generation) {
        this.resume(samples, offset, n, ns0 + r + 1, r + 1, due, this.powerAt(samples, offset, r, pw0), 0);
        return;
      }
      i = r + 1;
    }
    this.samples = ns0 + n;
    this.due = due;
  }

  /** The input power after sample `last` of a pass that started at power pw0 (the same steps as pass 1). */
  private powerAt(samples: Float32Array, offset: number, last: number, pw0: number): number {
    if (this.filling) return pw0;
    let pw = pw0;
    for (let i = 0; i <= last; i++) {
      let x = samples[offset + i]!;
      if (!(x > -4 && x < 4)) x = x > 0 ? 4 : x < 0 ? -4 : 0;
      pw += (x * x - pw) * 0.025;
    }
    return pw;
  }

  /**
   * The rest of a pass (from its sample `from`) after a status handler restarted the receiver
   * inside it (the fax front end and the analyser restart on carrier-down). As the receiver always
   * did there, the sample count, the T/2 countdown and the input power carry on from before the
   * restart (`samples`, `due`, `power`: as of just before sample `from`); the history, detector and
   * loops are fresh. `firstChecked`: the restart came from sample `from`'s own carrier check.
   */
  private resume(samples: Float32Array, offset: number, n: number, samplesBefore: number, from: number,
    due: number, power: number, firstChecked: number): void {
    this.samples = samplesBefore;
    this.due = due;
    this.inPower = power;
    this.rxPass(samples, offset + from, n - from, firstChecked);
  }

  /** A carrier detector event (+1 on, -1 off) recorded by rxPass, acted on at its sample. */
  private carrierEvent(ev: number): void {
    this.carrierOn = ev > 0;
    if (ev > 0 && !this.carrierReported) {
      this.carrierReported = true;
      this.onStatus({ kind: 'carrier-up', sample: this.samples });
    } else if (ev < 0) this.carrierLost();
  }

  private carrierLost(): void {
    if (this.mode === Mode.Data && !this.filling) this.flushDelay();
    if (this.carrierReported) {
      this.carrierReported = false;
      this.onStatus({ kind: 'carrier-down', sample: this.samples });
    }
    if (this.mode === Mode.Train) this.onStatus({ kind: 'training-failed', sample: this.samples, reason: 'carrier lost during training' });
    if (this.mode !== Mode.Search) this.enterSearch();
  }

  /**
   * The burst is over: push what is still in the level-step delay and the equalizer through to
   * the decisions (with zeros behind it), so the last data bits are not left inside.
   */
  private flushDelay(): void {
    this.filling = true;
    const n = 2 * this.level.lookahead + this.cfg.eqLen;
    this.level.atSample = -1;
    for (let k = 0; k < n && this.mode === Mode.Data; k++) {
      this.level.inRe = 0;
      this.level.inIm = 0;
      this.level.push(false);
      this.eq.push(this.level.outRe, this.level.outIm);
      if (this.parity === 0) {
        this.parity = 1;
        continue;
      }
      this.parity = 0;
      this.symbols++;
      this.symP = 0;
      this.eqSymbol();
    }
    this.filling = false;
  }

  private halfSample(): void {
    const yr = this.inRe;
    const yi = this.inIm;
    // lost audio (fillin) is no level step: keep its zeros out of the step detector
    this.level.inRe = yr;
    this.level.inIm = yi;
    this.level.push(this.parity === 1 && !this.filling && this.hold === 0);
    this.eq.inRe = this.level.outRe;
    this.eq.inIm = this.level.outIm;
    this.eq.pushInput();
    if (this.parity === 0) {
      this.parity = 1;
      this.midRe = yr;
      this.midIm = yi;
      return;
    }
    this.parity = 0;
    // timing: Gardner on the raw (unequalized) samples, normalised by the symbol power
    const p = yr * yr + yi * yi;
    // while searching the AGC holds the power at meanPower; after that the gain is frozen
    if (this.mode === Mode.Search) this.fePower = this.cfg.meanPower;
    else this.fePower += (p - this.fePower) * 0.03;
    const adapt = !this.filling && this.hold === 0;
    if (this.hold > 0 && !this.filling) this.hold--;
    if (adapt && this.fePower > 0) {
      const e = gardnerError(this.prevRe, this.prevIm, this.midRe, this.midIm, yr, yi) / (this.fePower + 1e-30);
      const ec = e > 1 ? 1 : e < -1 ? -1 : e;
      this.timing.err = ec;
      this.timing.step();
      const adj = this.timing.adjust;
      this.due += adj * this.sps;
      if (this.mode === Mode.Data) {
        // inline: a double passed to a call V8 does not inline is boxed (a heap object per symbol)
        this.timingApplied += adj;
        if (++this.timingCount >= (this.timing.kp === TIMING_KP_NARROW ? TIMING_WINDOW : TIMING_SETTLE)) this.averageTiming();
      }
    }
    this.prevRe = yr;
    this.prevIm = yi;
    this.symbols++;
    this.symP = p;
    if (this.mode === Mode.Search) {
      // AGC towards the data power while searching, from the unscaled symbol power. (Here rather
      // than in searchSymbol: it also keeps this function too big for V8 to inline into rx(),
      // which, inlined, made rx() box a double per input sample; measured, see the bench.)
      const raw = p / (this.feGain * this.feGain);
      // fast attack so a burst after silence is not blown up for long, slow decay
      this.rawPower += (raw - this.rawPower) * (raw > this.rawPower ? 0.3 : 0.0625);
      // floor: a baseband power of about -55 dBm0, so silence is not blown up to full scale
      this.feGain = Math.sqrt(this.cfg.meanPower / Math.max(this.rawPower, RAW_POWER_FLOOR));
      this.searchSymbol();
    } else this.eqSymbol();
  }

  private searchSymbol(): void {
    const yr = this.inRe;
    const yi = this.inIm;
    if (this.carrierOn) this.carrierOnSymbols++;
    else this.carrierOnSymbols = 0;
    const W = this.cfg.window;
    const H = HIST;
    const pos = this.histPos === 0 ? H - 1 : this.histPos - 1;
    this.histPos = pos;
    const pr = this.histRe[pos + 1]!; // previous symbol (k-1)
    const pi = this.histIm[pos + 1]!;
    const qr = this.histRe[pos + 2]!; // k-2
    const qi = this.histIm[pos + 2]!;
    this.histRe[pos] = yr; this.histRe[pos + H] = yr;
    this.histIm[pos] = yi; this.histIm[pos + H] = yi;
    // phase-only statistics (unit phasors), so the onset of a burst or an impulse cannot
    // dominate them: d = u[k] conj(u[k-1]), alternation: u[k] ~ u[k-2]
    const m0 = Math.sqrt(yr * yr + yi * yi) + 1e-30;
    const m1 = Math.sqrt(pr * pr + pi * pi) + 1e-30;
    const m2 = Math.sqrt(qr * qr + qi * qi) + 1e-30;
    const dr = (yr * pr + yi * pi) / (m0 * m1);
    const di = (yi * pr - yr * pi) / (m0 * m1);
    this.dRe[pos] = dr; this.dRe[pos + H] = dr;
    this.dIm[pos] = di; this.dIm[pos + H] = di;
    const a = this.cfg.alternationAlpha!;
    this.r2Re += a * ((yr * qr + yi * qi) / (m0 * m2) - this.r2Re);
    this.r2Im += a * ((yi * qr - yr * qi) / (m0 * m2) - this.r2Im);
    // |r2| > 0.7, squared: Math.hypot is a call that boxes its arguments
    if (this.r2Re * this.r2Re + this.r2Im * this.r2Im > 0.49) this.lastAlternation = this.symbols;
    // no training found for 3 s of carrier: say so once
    if (!this.searchTimeoutReported && this.carrierOnSymbols > 3 * this.cfg.baud) {
      this.searchTimeoutReported = true;
      this.onStatus({ kind: 'training-failed', sample: this.samples, reason: 'no training sequence found' });
    }
    if (this.symbols - this.lastAlternation > W + 24) return;
    // differential correlation with the template; newest d is at pos (template index W-1)
    let sr = 0, si = 0, dn = 0;
    const tr = this.tmplRe, ti = this.tmplIm;
    for (let i = 0; i < W; i++) {
      const k = pos + (W - 1 - i);
      const xr = this.dRe[k]!, xi = this.dIm[k]!;
      const er = tr[i]!, ei = ti[i]!;
      sr += xr * er + xi * ei; // d * conj(e)
      si += xi * er - xr * ei;
      dn += xr * xr + xi * xi;
    }
    if (dn <= 0) return;
    const c = sr / (Math.sqrt(dn) * this.tmplNorm);
    if (c < 0.6) return;
    this.align(Math.atan2(si, sr));
  }

  /** The newest symbol is training index cfg.anchor: fit phase and gain, start training. */
  private align(freq: number): void {
    const cfg = this.cfg;
    const W = cfg.window;
    const pos = this.histPos;
    // rho = sum y_i conj(a_i) e^{-j freq (i - newest)}
    let rr = 0, ri = 0, aa = 0;
    for (let j = 0; j < W; j++) {
      const yr = this.histRe[pos + j]!, yi = this.histIm[pos + j]!;
      const k = cfg.anchor - j;
      const ar = cfg.refRe[k]!, ai = cfg.refIm[k]!;
      const c = Math.cos(freq * j), s = Math.sin(freq * j); // undo -j*freq lag: multiply by e^{+j freq j}
      const ur = yr * c - yi * s, ui = yr * s + yi * c;
      rr += ur * ar + ui * ai;
      ri += ui * ar - ur * ai;
      aa += ar * ar + ai * ai;
    }
    const gr = rr / aa, gi = ri / aa;
    const g = Math.hypot(gr, gi);
    if (!(g > 1e-12)) return;
    // latency from the newest symbol to the equalizer output: level-step delay + equalizer centre
    const D = ((cfg.eqLen >> 1) >> 1) + this.level.lookahead;
    this.eq.restartTaps(cfg.eqLen >> 1, 1 / g, 0);
    this.freq = freq;
    const ph = Math.atan2(gi, gr) - D * freq + freq;
    this.phC = Math.cos(ph);
    this.phS = Math.sin(ph);
    this.trainIdx = cfg.anchor + 1 - D; // the first equalized symbol comes with the next input symbol
    this.mode = Mode.Train;
    this.mseAcc = 0;
    this.mseCount = 0;
    this.trainErrors = 0;
    this.trainChecked = 0;
    this.timing.kp = 0.02;
    this.timing.ki = 0.0004;
    this.trainedPower = this.fePower;
    this.symPower = this.fePower;
    this.lowPowerCount = 0;
    if (!this.carrierReported) {
      this.carrierReported = true;
      this.onStatus({ kind: 'carrier-up', sample: this.samples });
    }
    this.onStatus({ kind: 'training-in-progress', sample: this.samples });
  }

  private eqSymbol(): void {
    const p = this.symP;
    const cfg = this.cfg;
    // signal loss (1): next to silence, QUIET_POWER under the trained level, for 60 ms (longer than
    // a lost 20 ms VoIP packet, short enough to end a burst promptly). Not 10 dB, as it was: a
    // gateway that turns the level down 10 dB is a level step (the compensator follows it), and a
    // burst that ends into noise less far down is caught by (2), the decisions no longer fitting.
    const watching = !this.filling && this.hold === 0;
    if (watching) this.symPower += (p - this.symPower) * 0.1;
    // (relative to the line's present level: the trained one moved by any level step since)
    const g = this.level.inputGain;
    if (watching && this.symPower * g * g < QUIET_POWER * this.trainedPower) {
      if (++this.lowPowerCount > this.cfg.baud * 0.06) {
        this.carrierLost();
        return;
      }
    } else this.lowPowerCount = 0;

    this.eq.output();
    const c = this.phC, s = this.phS;
    // derotate: z = eq * e^{-j phase}
    const er = this.eq.outRe, ei = this.eq.outIm;
    const zr = er * c + ei * s;
    const zi = ei * c - er * s;
    this.cRe[this.cPos] = zr;
    this.cIm[this.cPos] = zi;
    this.cPos = (this.cPos + 1) & (CONST_POINTS - 1);
    if (this.cCount < CONST_POINTS) this.cCount++;

    this.zRe = zr;
    this.zIm = zi;
    const code = this.decide();
    let wr: number, wi: number; // wanted symbol
    const idx = this.trainIdx;
    const training = this.mode === Mode.Train;
    if (training && idx >= 0 && idx < cfg.dataStart) {
      wr = cfg.refRe[idx]!;
      wi = cfg.refIm[idx]!;
      // silent training symbols teach nothing and have no decision to check
      if (wr !== 0 || wi !== 0) {
        this.trainChecked++;
        if (Math.abs(wr - this.decRe) + Math.abs(wi - this.decIm) > 1e-6) this.trainErrors++;
      }
    } else {
      wr = this.decRe;
      wi = this.decIm;
    }
    const xr = wr - zr, xi = wi - zi;
    const err2 = xr * xr + xi * xi;
    if (watching) this.mseAvg += (err2 / cfg.meanPower - this.mseAvg) * (training ? 0.05 : 0.01);
    const z2 = zr * zr + zi * zi;
    // how well the decisions fit, leaving out next to nothing (zeros of a lost packet say nothing)
    if (watching && z2 > 0.01 * cfg.meanPower) this.decisionFit += (err2 / cfg.meanPower - this.decisionFit) * 0.02;
    // adapt only on real signal: a dropout (zeros) must not drag the equalizer or the loops
    if (watching && z2 > 0.1 * cfg.meanPower) {
      // equalizer error rotated back into the equalizer's frame
      // data mode adapts on every other symbol (half the cost, twice the step: same tracking)
      const eq = this.eq;
      if (training || (this.symbols & 1) === 0) {
        eq.errRe = xr * c - xi * s;
        eq.errIm = xi * c + xr * s;
        eq.mu = training
          ? (this.trainIdx - cfg.anchor < 128 ? 0.15 : 0.05)
          : Math.max(EQ_MU_DATA, (0.05 * EQ_MU_SETTLE) / (EQ_MU_SETTLE + this.dataSymbols));
        eq.adapt();
      }
      // carrier loop: phase error ~ Im(z conj(w)) / meanPower (small angles; no atan2 per
      // symbol). Not / |w|^2: that would weigh the noisy angle of an inner point as much as an
      // outer point's; weighting by |w|^2 halves V.29 9600's phase jitter (0.1 dB at 19 dB SNR).
      const w2 = wr * wr + wi * wi;
      let pe = w2 > 0 ? (zi * wr - zr * wi) / cfg.meanPower : 0;
      if (pe > 0.5) pe = 0.5;
      else if (pe < -0.5) pe = -0.5;
      const kp = training ? 0.1 : 0.03;
      const ki = training ? 0.004 : 0.0005;
      this.freq += ki * pe;
      this.rotateBy = this.freq + kp * pe;
      this.rotatePhase();
    } else {
      this.rotateBy = this.freq;
      this.rotatePhase();
    }
    if ((this.symbols & 255) === 0) this.eq.refreshEnergy();

    if (training) {
      if (idx >= cfg.dataStart - 64 && idx < cfg.dataStart) {
        this.mseAcc += err2 / cfg.meanPower;
        this.mseCount++;
      }
      this.trainIdx++;
      if (this.trainIdx === cfg.dataStart) this.endTraining();
      return;
    }
    // signal loss (2): a burst that ends into continuous noise, which the level compensator may
    // even have scaled up to the signal's level: the decisions fit no better than they fit noise,
    // while the line carries less power than the trained signal (noise over a signal that goes on,
    // as an impulse burst, adds power: the burst is kept, for ECM to repair) or nothing fits at all
    if (watching && (this.mseAvg > 0.6 || (this.decisionFit > this.lossFit && this.symPower < 0.7 * this.trainedPower))) {
      this.carrierLost();
      return;
    }
    this.dataSymbols++;
    this.onDataSymbol(code);
  }

  /**
   * For the level-step compensator: the decision error, in units of the present error power, of
   * the symbols the equalizer would give from its present line followed by re/im[0..count) (the
   * samples next out of the delay; index 0 enters with the present parity), the carrier phase
   * advancing by the present frequency and nothing adapting.
   */
  stepCost(re: Float64Array, im: Float64Array, count: number): number {
    let c = this.phC, s = this.phS;
    const fc = Math.cos(this.freq), fs = Math.sin(this.freq);
    let cost = 0;
    for (let i = 0; i < count; i++) {
      if (((this.parity + i) & 1) === 0) continue; // a mid-symbol sample
      this.eq.probe(re, im, i);
      const er = this.eq.outRe, ei = this.eq.outIm;
      const zr = er * c + ei * s;
      const zi = ei * c - er * s;
      this.zRe = zr;
      this.zIm = zi;
      this.decide();
      const xr = this.decRe - zr, xi = this.decIm - zi;
      cost += xr * xr + xi * xi;
      const t = c * fc - s * fs;
      s = s * fc + c * fs;
      c = t;
    }
    return cost / (Math.max(this.mseAvg, 1e-4) * this.cfg.meanPower);
  }

  /** rotatePhase()'s angle: a field, as a double argument to a call V8 does not inline is boxed. */
  private rotateBy = 0;

  /**
   * The mean squared decision error (relative to meanPower) this constellation gives on Gaussian
   * noise of the signal's power: what decisionFit tends to once a burst has ended into noise. For
   * the modems here 0.11 (V.29 9600) to 0.40 (4 phases); with signal it stays near the inverse of
   * the SNR after the matched filter (0.003-0.08 where they work). Deterministic (a fixed seed),
   * once per receiver.
   */
  private noiseFit(): number {
    const n = 4096;
    const sigma = Math.sqrt(this.cfg.meanPower / 2);
    let seed = 12345;
    const uniform = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed + 0.5) / 4294967296;
    };
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = sigma * Math.sqrt(-2 * Math.log(uniform()));
      const a = 2 * Math.PI * uniform();
      this.zRe = r * Math.cos(a);
      this.zIm = r * Math.sin(a);
      this.decide();
      const dr = this.decRe - this.zRe, di = this.decIm - this.zIm;
      sum += dr * dr + di * di;
    }
    return sum / n / this.cfg.meanPower;
  }

  /** Advance the carrier phasor by `rotateBy` radians (small: a 3rd order series is exact enough), renormalised. */
  private rotatePhase(): void {
    const a = this.rotateBy;
    const a2 = a * a;
    const rc = 1 - a2 * 0.5 + a2 * a2 * (1 / 24);
    const rs = a - a * a2 * (1 / 6);
    const c = this.phC * rc - this.phS * rs;
    const s = this.phS * rc + this.phC * rs;
    const m = 1.5 - 0.5 * (c * c + s * s);
    this.phC = c * m;
    this.phS = s * m;
  }

  /** Data mode, every TIMING_SETTLE then TIMING_WINDOW symbols: the averaged rate, the narrow loop (see TIMING_SETTLE). */
  private averageTiming(): void {
    this.timing.rate = this.timingApplied / this.timingCount;
    this.timingApplied = 0;
    this.timingCount = 0;
    this.timing.kp = TIMING_KP_NARROW;
    this.timing.ki = TIMING_KI_NARROW;
  }

  private endTraining(): void {
    const mse = this.mseCount > 0 ? this.mseAcc / this.mseCount : 1;
    const ser = this.trainChecked > 0 ? this.trainErrors / this.trainChecked : 1;
    if (mse > this.cfg.maxTrainMse || ser > 0.2) {
      const reason = ser > 0.2
        ? `training sequence mismatch (${(100 * ser).toFixed(0)}% symbols wrong)`
        : `equalizer did not converge (MSE ${mse.toFixed(3)})`;
      this.onStatus({ kind: 'training-failed', sample: this.samples, reason });
      this.enterSearch();
      return;
    }
    this.mode = Mode.Data;
    this.mseAvg = mse;
    this.decisionFit = mse;
    if (this.lossFit === 0) this.lossFit = 0.5 * this.noiseFit();
    // data: a narrower timing loop than training's, narrowed again once the rate is averaged
    // (averageTiming). Gardner's self-noise on V.29's 16 points is what sets the clean-line MSE
    // floor; narrowing at once, on training's noisy rate, lost lock on a long spandsp page.
    this.timing.kp = 0.01;
    this.timing.ki = 0.0001;
    this.dataSymbols = 0;
    this.timingApplied = 0;
    this.timingCount = 0;
    this.trainedPower = this.symPower;
    this.level.enable(this.fePower, this.feGain);
    this.beginData();
    this.onStatus({ kind: 'training-succeeded', sample: this.samples });
  }
}
