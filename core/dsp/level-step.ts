/**
 * Level-step compensator for a trained receiver: a delay of `lookahead` symbols between the
 * front end and the equalizer, so a sudden level change (a gateway switching gain, +-6 dB) is
 * seen in the raw symbol power before the affected samples reach the equalizer.
 *
 * Detection: symbol-instant powers are compared with the trained reference over the newest 12
 * symbols; a rise beyond +3 dB or a fall beyond -4 dB marks a step (a fall needs more: a run of
 * V.29 9600's inner points lowers the mean by 4 dB now and then; nothing raises it 3 dB, and +4
 * dB steps hovering at a +4 dB mark were found late), which a two-segment least-squares fit over the
 * last 24 symbols places within a few symbols. The new level is averaged over the symbols after
 * it while the step travels down the delay. A false alarm changes nothing: the symbols that came
 * after the flag stay within +-2 dB, or within 5 standard errors of their mean given the data's
 * own measured power spread (V.29 9600's powers spread +-65%: a dozen inner points look like -4 dB). Before enable() it is a plain delay (training sees the same latency).
 *
 * Correction, with the receiver's matched filter and a judge (`StepFilter`, `StepJudge`): the
 * step cuts the waveform inside the matched filter, so the T/2 samples whose window straddles it
 * are a mix of both levels; one gain for them cannot be right (V.29 9600's 16 points lost a
 * symbol there). So the step is placed to the input sample, and each straddling T/2 sample is
 * rebuilt as gOld * y + (gNew - gOld) * (the filter's sum over the input samples at and after
 * the step), which gives every input sample its own level's gain. The receiver keeps a ring of
 * its line input for this (`rawX`, written at `sample & rawMask`; the mixed-down samples the filter
 * saw are recomputed from the sample index, as the receiver's mixer starts at phase 0 on restart).
 * Set the T/2 sample's input index and polyphase row (`atSample`, `atRow`) before each push. The
 * search runs once per step (a few ms), not when the signal after it is silence (a burst's end
 * or lost audio: then the gain switches as without a filter). The step sample is the candidate
 * (within two filter spans of the symbol fit) with the least cost, a -log-likelihood in nats
 * from three views:
 * - the input's power: Gaussian at the old power before s and the new one after (coarse);
 * - the input's part outside the signal's band: corrected, it should stay stationary noise; a
 *   step at the wrong sample leaves a jump there, whose spectrum is broad (sharp, but blind
 *   where the signal is small at the step);
 * - the receiver's decisions on the delayed samples rebuilt for s (`StepJudge`, weighted by
 *   half: a wrong candidate that pushes a symbol across a boundary looks good to it).
 * The new gain is then refined to about 1% by the decisions over the whole delay. Measured over
 * 432 steps per rate (9 line seeds x 24 positions x +-6 dB, test/unit/modem-line.test.ts runs
 * two of the seeds) V.29 7200 and V.27ter were error-free and V.29 9600 lost bits at two (6 and
 * 3 bits: the step placed 7 and 10 samples late); before, 230 and 13 of 432 for V.29 9600/7200. Without a filter the gain
 * switches at one T/2 sample and the half-way sample gets the mean gain.
 */
/** Until measured, assume a spread of symbol powers like V.29 9600's (+-65%): cautious. */
const SPREAD2_START = 1.5;

/**
 * The receiver's polyphase matched filter (as ComplexInterpolator reads it) and the band the
 * signal occupies on the line (Hz): outside it there is only noise.
 */
export interface StepFilter {
  bank: Float64Array;
  taps: number;
  phases: number;
  lowHz: number;
  highHz: number;
  /** The receiver mixes input sample n (counted from 1 at restart) down by e^{-j w (n-1)},
   * w = 2 pi carrierHz / 8000. */
  carrierHz: number;
}

/** The receiver's verdict on a candidate placement (decision-directed). */
export interface StepJudge {
  /**
   * -log-likelihood (nats) of the decisions the receiver would make from its present state
   * followed by the T/2 samples re/im[0..count) (the next to leave the delay, oldest first).
   */
  stepCost(re: Float64Array, im: Float64Array, count: number): number;
}

const RAW = 2048; // input samples kept: the delay (<= 128 T/2 at 1200 baud = 427) + the search + the receiver writing up to a pass (256) ahead
const OOB_TAPS = 63;
const GAIN_SPAN = 16; // the decisions' gain search: +-16%, in 1% steps
const DECISION_WEIGHT = 0.5; // the decisions' view against the input's (see the header)

/**
 * FIR passing what lies outside [lowHz, highHz] at 8 kHz: a low-pass below the band plus a
 * low-pass shifted to 4 kHz above it (windowed sinc, Blackman). No guard band: the jump a step
 * leaves is strongest right next to the band, and the RRC spectrum is already zero at its edge.
 */
export function outOfBandFir(lowHz: number, highHz: number, len = OOB_TAPS): Float64Array {
  const h = new Float64Array(len);
  const c = (len - 1) / 2;
  const lowCut = lowHz / 8000; // cycles per sample
  const highCut = (4000 - highHz) / 8000;
  const lp = (f: number, t: number): number => (f <= 0 ? 0 : t === 0 ? 2 * f : Math.sin(2 * Math.PI * f * t) / (Math.PI * t));
  for (let i = 0; i < len; i++) {
    const t = i - c;
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (len - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (len - 1));
    h[i] = w * (lp(lowCut, t) + (i % 2 === 0 ? 1 : -1) * lp(highCut, t));
  }
  return h;
}

export class LevelStepCompensator {
  readonly lookahead: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** Input sample index and polyphase row of each delayed T/2 sample (with a filter). */
  private readonly slotSample: Int32Array;
  private readonly slotRow: Int32Array;
  private pos = 0;
  private half = 0; // T/2 samples pushed
  private symHalf = 0; // symbolPower's symbol: its T/2 index (the newest, or one replayed from the delay)
  private readonly pw: Float64Array; // recent symbol powers (normalised by gIn^2), ring of 32
  private readonly pwHalf: Float64Array; // T/2 index of each
  private readonly pwSample: Int32Array; // input sample index of each
  /** Symbol powers (normalised by gIn^2) and input sample index since a step was seen. */
  private readonly afterP: Float64Array;
  private readonly afterSample: Int32Array;
  private pwPos = 0;
  private pwCount = 0;
  private sum12 = 0;
  /** Smoothed power of the symbols leaving the delay (at gain gOut), kept from restart on. */
  private leavingPower = 0;
  /** The last 4 symbol powers (raw, dropouts too) and their sum. */
  private readonly quietRing = new Float64Array(4);
  private quietPos = 0;
  private quiet4 = 0;
  private ref = 0;
  private gIn = 1;
  /** The gain that brings the input's present level back to the trained one (1 until a step). */
  get inputGain(): number {
    return this.gIn;
  }
  private gOut = 1;
  private enabled = false;
  private pending = false;
  private symP = 0;
  private stepHalf = 0;
  private accum = 0;
  private accumN = 0;
  /** Symbol powers seen after the step was flagged (the unbiased test of a real step). */
  private after = 0;
  private afterN = 0;
  /**
   * Mean square symbol power at the steady level; over ref^2 it is the data's own power spread
   * (mean of (power / ref)^2). Kept unnormalised: ref moves by under 1% per symbol, and a
   * division per symbol cost 2% of a V.27ter receiver's time.
   */
  private power2 = 0;
  private dropouts = 0; // symbols with next to no power since the step was seen
  private halfway = false; // without a filter: the next output gets the mean of both gains
  private gPrev = 1;

  private readonly filter: StepFilter | undefined;
  private readonly oob: Float64Array; // out-of-band FIR
  private readonly oobOut: Float64Array; // its outputs over a search (scratch)
  private scale = 1; // the receiver's gain from the mixed-down ring to the T/2 samples
  private candLo = 0; // step candidates, input samples [candLo, candHi]
  private candHi = 0;
  private searching = false; // candidates set: place by the input samples at resolve()
  /** The line input, written by the receiver at `sample & rawMask` (with a filter). */
  readonly rawX: Float64Array;
  readonly rawMask = RAW - 1;
  /** e^{j w j} for filter tap j (the mixer's phase j samples before a T/2 sample's newest). */
  private readonly tapRotRe: Float64Array;
  private readonly tapRotIm: Float64Array;
  private readonly mixW: number;
  private postRe = 0; // postSum's result
  private postIm = 0;
  /** Set before push(): the T/2 sample, its input sample index and its polyphase row. */
  inRe = 0;
  inIm = 0;
  atSample = 0;
  atRow = 0;
  /** Output (delayed, gain-corrected) sample. */
  outRe = 0;
  outIm = 0;
  /** Number of level steps corrected since restart, and the input sample of the last one
   * placed by the input samples (-1: none), for tests and diagnostics. */
  steps = 0;
  stepSample = -1;

  private readonly judge: StepJudge | undefined;
  private readonly judgeSpan: number; // T/2 samples a rebuilt one reaches through the equalizer
  private readonly candRe: Float64Array; // the delayed samples for one candidate (scratch)
  private readonly candIm: Float64Array;
  private readonly candCost: Float64Array; // the input's cost of each candidate (scratch)

  /**
   * Without `filter` and `judge` the gain switches at one T/2 sample; with them a step is placed
   * to the input sample and the straddling T/2 samples are rebuilt (`judgeSpan`: the receiver's
   * equalizer length in T/2 samples).
   */
  constructor(lookahead: number, filter?: StepFilter, judge?: StepJudge, judgeSpan = 0) {
    this.judge = judge;
    this.judgeSpan = judgeSpan;
    this.candRe = new Float64Array(2 * lookahead);
    this.candIm = new Float64Array(2 * lookahead);
    this.candCost = new Float64Array(filter ? 4 * filter.taps + 2 : 0);
    this.lookahead = lookahead;
    this.re = new Float64Array(2 * lookahead);
    this.im = new Float64Array(2 * lookahead);
    this.slotSample = new Int32Array(2 * lookahead);
    this.slotRow = new Int32Array(2 * lookahead);
    this.pw = new Float64Array(32);
    this.pwHalf = new Float64Array(32);
    this.pwSample = new Int32Array(32);
    this.afterP = new Float64Array(4 * lookahead);
    this.afterSample = new Int32Array(4 * lookahead);
    this.filter = filter;
    const raw = filter ? RAW : 0;
    this.rawX = new Float64Array(raw);
    const taps = filter ? filter.taps : 0;
    this.tapRotRe = new Float64Array(taps);
    this.tapRotIm = new Float64Array(taps);
    const w = filter ? (2 * Math.PI * filter.carrierHz) / 8000 : 0;
    this.mixW = w;
    for (let j = 0; j < taps; j++) {
      this.tapRotRe[j] = Math.cos(w * j);
      this.tapRotIm[j] = Math.sin(w * j);
    }
    this.oob = filter ? outOfBandFir(filter.lowHz, filter.highHz) : new Float64Array(0);
    this.oobOut = new Float64Array(filter ? 4 * filter.taps + OOB_TAPS + 2 : 0);
  }

  restart(): void {
    this.re.fill(0);
    this.im.fill(0);
    this.slotSample.fill(-1);
    this.rawX.fill(0);
    this.pos = 0;
    this.half = 0;
    this.pwCount = 0;
    this.gIn = this.gOut = 1;
    this.enabled = false;
    this.pending = false;
    this.halfway = false;
    this.steps = 0;
    this.power2 = 0;
    this.leavingPower = 0;
    this.stepSample = -1;
  }

  /**
   * Start watching for steps; `refPower` = mean symbol power at the trained level, `scale` = the
   * receiver's (frozen) gain from the mixed-down ring to the T/2 samples it pushes.
   */
  enable(refPower: number, scale = 1): void {
    // The reference is the level of the symbols that have left the delay, the ones the receiver
    // trained on: the caller's figure is measured at the input, ahead of them, and a step in the
    // delay (caught by replayDelay) would already have pulled it towards the new level.
    if (this.leavingPower > 0) refPower = this.leavingPower;
    this.enabled = refPower > 0;
    this.ref = refPower;
    this.scale = scale;
    this.pending = false;
    this.pwCount = 0;
    this.power2 = SPREAD2_START * refPower * refPower;
    // as if the last 4 symbols were at the trained level
    this.quietRing.fill(refPower);
    this.quiet4 = 4 * refPower;
    if (this.enabled) this.replayDelay();
  }

  /**
   * The symbols already in the delay, through the detector as if pushed now (at enable, which
   * comes right after a symbol's push): a gateway step in the last `lookahead` symbols before
   * training ended is found and placed like any other, instead of the new level being taken for
   * the trained one (V.27ter 2400 lost the page to a -14 dB step there; spandsp did not).
   */
  private replayDelay(): void {
    const n = this.re.length;
    const atSample = this.atSample;
    // slot pos + i was pushed as T/2 sample half - n + i; the newest (i = n - 1) was a symbol's
    for (let i = (n - 1) & 1; i < n; i += 2) {
      const slot = (this.pos + i) % n;
      const re = this.re[slot]!, im = this.im[slot]!;
      this.symP = (re * re + im * im) * this.gIn * this.gIn;
      this.symHalf = this.half - n + i;
      this.atSample = this.slotSample[slot]!;
      this.symbolPower();
    }
    this.atSample = atSample;
  }

  /** Drop the recent power history and any step in progress (after lost audio). */
  forget(): void {
    this.pwCount = 0;
    this.pending = false;
  }

  disable(): void {
    this.enabled = false;
    this.pending = false;
    this.halfway = false;
    this.gIn = this.gOut = 1;
  }

  /** Push the T/2 sample (inRe, inIm) (fields: a double argument to a call V8 does not inline
   * is boxed, and push is too big to inline); `isSymbol`: it is a symbol instant. */
  push(isSymbol: boolean): void {
    const re = this.inRe, im = this.inIm;
    const n = this.re.length;
    // the sample leaving the delay is the one pushed n T/2 samples ago
    if (this.pending && this.half - n >= this.stepHalf) this.resolve();
    let g = this.gOut;
    if (this.halfway) {
      this.halfway = false;
      g = Math.sqrt(g * this.gPrev);
    }
    this.outRe = this.re[this.pos]! * g;
    this.outIm = this.im[this.pos]! * g;
    // the level leaving the delay (the slot leaving has the entering one's parity: n is even)
    if (isSymbol) this.leavingPower += (this.outRe * this.outRe + this.outIm * this.outIm - this.leavingPower) * 0.03;
    this.re[this.pos] = re;
    this.im[this.pos] = im;
    this.slotSample[this.pos] = this.atSample;
    this.slotRow[this.pos] = this.atRow;
    if (++this.pos === n) this.pos = 0;
    if (isSymbol && this.enabled) {
      this.symP = (re * re + im * im) * this.gIn * this.gIn; // a field: no boxed double argument
      this.symHalf = this.half;
      this.symbolPower();
    }
    this.half++;
  }

  private symbolPower(): void {
    const p = this.symP;
    // next to nothing (-23 dB) over the last 4 symbols: a dropout (lost packet) or the burst's end,
    // not a level; leave it out. Over 4, not 1, and not -20 dB: the inner points of V.29 lie 4-8 dB
    // under its mean power, so after a -12 to -16 dB gateway step they fell under the mark, the
    // step was taken for the burst's end and the new level measured without them (the burst lost).
    const j = this.quietPos;
    this.quiet4 += p - this.quietRing[j]!;
    this.quietRing[j] = p;
    this.quietPos = (j + 1) & 3;
    if (this.quiet4 < 0.02 * this.ref) {
      if (this.pending) this.dropouts++;
      return;
    }
    const k = this.pwPos;
    // the newest 12 powers' sum, kept running (the one leaving it is 12 back); summed afresh
    // once per lap of the ring and when the count first allows a test, so no rounding builds up
    this.sum12 += p - this.pw[(k + 20) & 31]!;
    this.pw[k] = p;
    this.pwHalf[k] = this.symHalf;
    this.pwSample[k] = this.atSample;
    this.pwPos = (k + 1) & 31;
    if (this.pwCount < 32) this.pwCount++;
    if (this.pending) {
      if (this.accumN < this.afterP.length) {
        this.afterP[this.accumN] = p;
        this.afterSample[this.accumN] = this.atSample;
      }
      this.accum += p;
      this.accumN++;
      this.after += p;
      this.afterN++;
      return;
    }
    if (this.pwCount < 24) return;
    if (k === 0 || this.pwCount === 24) {
      let t = 0;
      for (let i = 1; i <= 12; i++) t += this.pw[(this.pwPos - i) & 31]!;
      this.sum12 = t;
    }
    const s = this.sum12;
    // mean / ref within (0.4, 2.0), without dividing
    if (s < 24 * this.ref && s > 4.8 * this.ref) {
      this.ref += (s * (1 / 12) - this.ref) * 0.01;
      this.power2 += (p * p - this.power2) * 0.01;
      return;
    }
    // place the step: the split of the last 24 powers with the least squared error
    let best = 1;
    let bestSse = Infinity;
    for (let j = 2; j <= 20; j++) {
      let sa = 0, sb = 0;
      for (let i = 1; i <= j; i++) sa += this.pw[(this.pwPos - i) & 31]!;
      for (let i = j + 1; i <= 24; i++) sb += this.pw[(this.pwPos - i) & 31]!;
      const ma = sa / j, mb = sb / (24 - j);
      let sse = 0;
      for (let i = 1; i <= 24; i++) {
        const v = this.pw[(this.pwPos - i) & 31]! - (i <= j ? ma : mb);
        sse += v * v;
      }
      if (sse < bestSse) { bestSse = sse; best = j; }
    }
    let acc = 0;
    for (let i = best; i >= 1; i--) {
      const j = (this.pwPos - i) & 31;
      acc += this.pw[j]!;
      this.afterP[best - i] = this.pw[j]!;
      this.afterSample[best - i] = this.pwSample[j]!;
    }
    this.accum = acc;
    this.accumN = best;
    this.after = 0;
    this.afterN = 0;
    this.dropouts = 0;
    const first = (this.pwPos - best) & 31; // the first symbol after the step
    // start the new gain at the half-way sample before the first symbol after the step
    this.stepHalf = this.pwHalf[first]! - 1;
    this.searching = false;
    if (this.filter) this.setCandidates(this.pwSample[first]!);
    this.pending = true;
  }

  /**
   * Step candidates: from two filter spans before to two after the centre of the first symbol
   * after the step (whose T/2 output was computed at input sample `at`; the symbol fit can be a
   * few symbols off, most often early). The step is resolved when the first T/2 sample whose
   * window could hold the earliest candidate is about to leave the delay, so that every
   * candidate's straddling samples are still inside it.
   */
  private setCandidates(at: number): void {
    const taps = this.filter!.taps;
    const c = at - ((taps - 1) >> 1);
    this.candLo = c - 2 * taps;
    this.candHi = c + 2 * taps;
    const n = this.re.length;
    // called from push before half++: the slot i back holds T/2 sample half + 1 - i
    let half = this.half + 1 - n;
    for (let i = 1; i <= n; i++) {
      if (this.slotSample[(this.pos - i + n) % n]! < this.candLo) break;
      half = this.half + 1 - i;
    }
    this.stepHalf = half;
    this.searching = true;
  }

  private resolve(): void {
    this.pending = false;
    this.pwCount = 0;
    // A real step holds on the symbols that came after it was flagged; a run of V.29's inner
    // points (its symbol powers spread +-65%) that flagged it does not. Test those alone, 5
    // standard errors of their mean from the old level (and at least +-2 dB).
    const ra = this.after / Math.max(1, this.afterN) / this.ref;
    const spread2 = this.power2 / (this.ref * this.ref);
    const se = 5 * Math.sqrt(Math.max(0, spread2 - 1) / Math.max(1, this.afterN));
    if (ra > Math.min(0.63, 1 - se) && ra < Math.max(1.6, 1 + se)) return; // false alarm
    const m = this.accum / Math.max(1, this.accumN);
    const f = Math.sqrt(this.ref / m);
    const gOld = this.gOut;
    this.gIn *= f;
    this.gOut = this.gIn;
    this.steps++;
    // silence after the step, or a receiver flushing its delay (atSample < 0): the burst ended
    // (or audio was lost); no gateway step to place
    if (this.searching && this.dropouts < 4 && this.atSample >= 0) {
      this.searching = false;
      this.stepSample = this.placeStep(gOld);
      this.levelAfter(f);
      if (this.judge) this.gainByDecisions(gOld);
      this.rebuild(gOld);
    } else {
      this.searching = false;
      this.gPrev = gOld;
      this.halfway = true;
    }
  }

  /**
   * The most likely step sample s in [candLo, candHi] (gains gOld before s, gNew from s on;
   * costs are -log-likelihoods in nats):
   * - the input's power: x Gaussian at the power P1 it had before, P2 = P1 (gOld/gNew)^2 after;
   * - its part out of the signal's band: corrected, stationary noise of the output power P it had
   *   before. Cost phi * (E / 2P - log of the gains applied), E = the FIR's output energy over
   *   every output the candidates touch, phi = the FIR's share of the band (its degrees of
   *   freedom per sample); the gains term is the Jacobian of the correction (without it, quieter
   *   would always look better). Moving s one sample later changes one sample's gain, i.e. adds
   *   a scaled copy of the FIR to OOB_TAPS outputs: O(taps) per candidate;
   * - the judge's decisions (weighted), for the candidates within 20 nats of the input's best.
   */
  private placeStep(gOld: number): number {
    const h = this.oob;
    const L = h.length;
    const x = this.rawX, m = this.rawMask;
    const lo = this.candLo, hi = this.candHi;
    const gNew = this.gOut;
    // P: out-of-band output power, P1: input power, before the candidates (at gOld), 128 samples
    let p = 0, p1 = 0;
    for (let t = lo - 128; t < lo; t++) {
      let acc = 0;
      for (let k = 0; k < L; k++) acc += h[k]! * x[(t - k) & m]!;
      p += acc * acc;
      p1 += x[t & m]! * x[t & m]!;
    }
    p = (p / 128) * gOld * gOld;
    p1 /= 128;
    if (!(p > 0) || !(p1 > 0)) return lo;
    const p2 = p1 * (gOld / gNew) ** 2;
    let phi = 0;
    for (let k = 0; k < L; k++) phi += h[k]! * h[k]!;
    const out = this.oobOut; // out[i]: output whose newest input sample is lo + i
    const count = hi - lo + L - 1;
    let e = 0;
    let ml = 0; // the power view, all candidates' samples at P2 (s = lo)
    for (let i = 0; i < count; i++) {
      const t = lo + i;
      let acc = 0;
      for (let k = 0; k < L; k++) {
        const u = t - k;
        acc += h[k]! * x[u & m]! * (u < lo ? gOld : gNew);
      }
      out[i] = acc;
      e += acc * acc;
      if (t < hi) ml += (x[t & m]! * x[t & m]!) / (2 * p2) + 0.5 * Math.log(p2);
    }
    const logRatio = Math.log(gNew / gOld);
    const w = phi / (2 * p);
    const dml0 = 1 / (2 * p1) - 1 / (2 * p2);
    const dml1 = 0.5 * Math.log(p1 / p2);
    const cc = this.candCost;
    cc[0] = e * w - phi * (hi - lo) * logRatio + ml;
    for (let s = lo; s < hi; s++) {
      // sample s goes from gNew to gOld: outputs s .. s+L-1 change
      const xs = x[s & m]!;
      const d = (gOld - gNew) * xs;
      const i0 = s - lo;
      for (let k = 0; k < L; k++) {
        const o = out[i0 + k]!;
        const v = o + d * h[k]!;
        e += v * v - o * o;
        out[i0 + k] = v;
      }
      ml += xs * xs * dml0 + dml1;
      cc[s + 1 - lo] = e * w - phi * (hi - s - 1) * logRatio + ml;
    }
    let best = lo;
    for (let s = lo; s <= hi; s++) if (cc[s - lo]! < cc[best - lo]!) best = s;
    if (!this.judge) return best;
    // the decisions' view, for the candidates the input does not already rule out
    const limit = cc[best - lo]! + 20;
    const n = this.re.length;
    let slots = 0;
    while (slots < n && this.slotSample[(this.pos + slots) % n]! < hi + this.filter!.taps) slots++;
    slots = Math.min(n, slots + this.judgeSpan);
    let bestCost = Infinity;
    for (let s = lo; s <= hi; s++) {
      if (cc[s - lo]! > limit) continue;
      this.fill(s, gOld, slots);
      const cost = cc[s - lo]! + DECISION_WEIGHT * this.judge.stepCost(this.candRe, this.candIm, slots);
      if (cost < bestCost) { bestCost = cost; best = s; }
    }
    return best;
  }

  /**
   * The matched filter's sum over the input samples at and after s for the T/2 sample in `slot`
   * (mixed down as the receiver did), into postRe/postIm.
   */
  private postSum(slot: number, s: number): void {
    const f = this.filter!;
    const at = this.slotSample[slot]!;
    const row = this.slotRow[slot]! * f.taps;
    const x = this.rawX, m = this.rawMask;
    let pr = 0, pi = 0;
    for (let j = 0; j <= at - s; j++) {
      const cx = f.bank[row + j]! * x[(at - j) & m]!;
      pr += cx * this.tapRotRe[j]!;
      pi += cx * this.tapRotIm[j]!;
    }
    // times the mixer's phasor for sample at, e^{-j w (at-1)} (at - 1 < 2^31: exact enough)
    const th = this.mixW * (at - 1);
    const c = Math.cos(th), sn = Math.sin(th);
    this.postRe = pr * c + pi * sn;
    this.postIm = pi * c - pr * sn;
  }

  /**
   * The next `count` delayed T/2 samples, oldest first, as they would leave with the step at
   * input sample s (see rebuild), times the output gain.
   */
  private fill(s: number, gOld: number, count: number): void {
    const f = this.filter!;
    const gNew = this.gOut;
    const b = (gNew - gOld) * this.scale;
    const n = this.re.length;
    for (let i = 0; i < count; i++) {
      const slot = (this.pos + i) % n;
      const at = this.slotSample[slot]!;
      const y = this.re[slot]!, yi = this.im[slot]!;
      if (at < s) {
        this.candRe[i] = y * gOld;
        this.candIm[i] = yi * gOld;
      } else if (at - s >= f.taps - 1) {
        this.candRe[i] = y * gNew;
        this.candIm[i] = yi * gNew;
      } else {
        this.postSum(slot, s);
        this.candRe[i] = gOld * y + b * this.postRe;
        this.candIm[i] = gOld * yi + b * this.postIm;
      }
    }
  }

  /**
   * The new level again from only the symbols wholly after the placed step (the symbol fit may
   * have counted a few from before it); gOut follows. `f` is the first estimate's factor.
   */
  private levelAfter(f: number): void {
    const from = this.stepSample + this.filter!.taps;
    const n = Math.min(this.accumN, this.afterP.length);
    let sum = 0, cnt = 0;
    for (let i = 0; i < n; i++) {
      if (this.afterSample[i]! < from) continue;
      sum += this.afterP[i]!;
      cnt++;
    }
    if (cnt < 8) return;
    const f2 = Math.sqrt(this.ref / (sum / cnt));
    this.gIn *= f2 / f;
    this.gOut = this.gIn;
  }

  /**
   * The new gain to about 1%: the decisions' cost over the whole delay for gains within
   * +-GAIN_SPAN % of the power estimate (whose error is several % over a few dozen 16-point
   * symbols), the minimum refined by a parabola through its neighbours.
   */
  private gainByDecisions(gOld: number): void {
    const n = this.re.length;
    const g0 = this.gOut;
    let bestK = 0, c0 = Infinity, cm = Infinity, cp = Infinity;
    let prev = Infinity;
    for (let k = -GAIN_SPAN; k <= GAIN_SPAN; k++) {
      this.gOut = g0 * (1 + 0.01 * k);
      this.fill(this.stepSample, gOld, n);
      const c = this.judge!.stepCost(this.candRe, this.candIm, n);
      if (c < c0) { c0 = c; bestK = k; cm = prev; cp = Infinity; }
      else if (k === bestK + 1) cp = c;
      prev = c;
    }
    let kk = bestK;
    if (cm < Infinity && cp < Infinity) {
      const den = cm - 2 * c0 + cp;
      if (den > 0) kk += (0.5 * (cm - cp)) / den;
    }
    this.gOut = g0 * (1 + 0.01 * kk);
    this.gIn = this.gOut;
  }

  /**
   * Every delayed T/2 sample is rewritten for the output gain gNew with the step at stepSample:
   * before it y * gOld / gNew; across it (gOld * y + (gNew - gOld) * post) / gNew, post = the
   * matched filter's sum over the input samples at and after the step.
   */
  private rebuild(gOld: number): void {
    const f = this.filter!;
    const s = this.stepSample;
    const gNew = this.gOut;
    const a = gOld / gNew;
    const b = (1 - a) * this.scale;
    const n = this.re.length;
    for (let slot = 0; slot < n; slot++) {
      const at = this.slotSample[slot]!;
      if (at - s >= f.taps - 1) continue; // all after the step
      if (at < s) {
        this.re[slot] = this.re[slot]! * a;
        this.im[slot] = this.im[slot]! * a;
        continue;
      }
      this.postSum(slot, s);
      this.re[slot] = a * this.re[slot]! + b * this.postRe;
      this.im[slot] = a * this.im[slot]! + b * this.postIm;
    }
  }
}
