/**
 * Level-step compensator for a trained receiver: a delay of `lookahead` symbols between the
 * front end and the equalizer, so a sudden level change (a gateway switching gain, +-6 dB) is
 * seen in the raw symbol power before the affected samples reach the equalizer.
 *
 * How: symbol-instant powers are compared with the trained reference over the newest 12
 * symbols; a change beyond +-4 dB marks a step, which is placed by a two-segment least-squares
 * fit over the last 24 symbols. The new level is then averaged over every symbol after the step
 * until the step reaches the delay output (about `lookahead` symbols: a few % accuracy even for
 * V.29's 16 points), and from that sample on the output gain is corrected; the half-way sample
 * at the step gets the mean gain. A false alarm (the average comes back within +-2 dB) changes
 * nothing. Limitation: the step cuts the received waveform, so the one or two symbols whose
 * matched-filter window straddles it stay distorted (V.29 9600 can lose a symbol there).
 * Before enable() it is a plain delay (training sees the same latency).
 */
/** Until measured, assume a spread of symbol powers like V.29 9600's (+-65%): cautious. */
const SPREAD2_START = 1.5;

export class LevelStepCompensator {
  readonly lookahead: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private pos = 0;
  private half = 0; // T/2 samples pushed
  private readonly pw: Float64Array; // recent symbol powers (normalised by gIn^2), ring of 32, doubled
  private readonly pwHalf: Float64Array; // T/2 index of each
  private pwPos = 0;
  private pwCount = 0;
  private ref = 0;
  private gIn = 1;
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
  /** Mean of (symbol power / ref)^2 at the steady level: the data's own power spread. */
  private spread2 = SPREAD2_START;
  /** Output (delayed, gain-corrected) sample. */
  outRe = 0;
  outIm = 0;
  /** Number of level steps corrected since restart (for tests and diagnostics). */
  steps = 0;

  constructor(lookahead: number) {
    this.lookahead = lookahead;
    this.re = new Float64Array(2 * lookahead);
    this.im = new Float64Array(2 * lookahead);
    this.pw = new Float64Array(64);
    this.pwHalf = new Float64Array(32);
  }

  restart(): void {
    this.re.fill(0);
    this.im.fill(0);
    this.pos = 0;
    this.half = 0;
    this.pwCount = 0;
    this.gIn = this.gOut = 1;
    this.enabled = false;
    this.pending = false;
    this.steps = 0;
    this.spread2 = SPREAD2_START;
  }

  /** Start watching for steps; `refPower` = mean symbol power at the trained level. */
  enable(refPower: number): void {
    this.enabled = refPower > 0;
    this.ref = refPower;
    this.pending = false;
    this.pwCount = 0;
    this.spread2 = SPREAD2_START;
  }

  /** Drop the recent power history and any step in progress (after lost audio). */
  forget(): void {
    this.pwCount = 0;
    this.pending = false;
  }

  disable(): void {
    this.enabled = false;
    this.pending = false;
    this.gIn = this.gOut = 1;
  }

  push(re: number, im: number, isSymbol: boolean): void {
    const n = this.re.length;
    // the sample leaving the delay is the one pushed n T/2 samples ago
    const leavingHalf = this.half - n;
    let g = this.gOut;
    if (this.pending && leavingHalf >= this.stepHalf) {
      this.resolve();
      g = Math.sqrt(g * this.gOut);
    }
    this.outRe = this.re[this.pos]! * g;
    this.outIm = this.im[this.pos]! * g;
    this.re[this.pos] = re;
    this.im[this.pos] = im;
    if (++this.pos === n) this.pos = 0;
    if (isSymbol && this.enabled) {
      this.symP = (re * re + im * im) * this.gIn * this.gIn; // a field: no boxed double argument
      this.symbolPower();
    }
    this.half++;
  }

  private symbolPower(): void {
    const p = this.symP;
    // next to nothing: a dropout (lost packet), not a level; leave it out
    if (p < 0.01 * this.ref) return;
    const k = this.pwPos;
    this.pw[k] = p;
    this.pw[k + 32] = p; // the copy lets the newest 12 be summed without wrapping
    this.pwHalf[k] = this.half;
    this.pwPos = (k + 1) & 31;
    if (this.pwCount < 32) this.pwCount++;
    if (this.pending) {
      this.accum += p;
      this.accumN++;
      this.after += p;
      this.afterN++;
      return;
    }
    if (this.pwCount < 24) return;
    let s = 0;
    const pw = this.pw;
    const top = this.pwPos + 32;
    for (let i = 1; i <= 12; i++) s += pw[top - i]!;
    const r = s / 12 / this.ref;
    if (r < 2.5 && r > 0.4) {
      this.ref += (s / 12 - this.ref) * 0.01;
      const q = p / this.ref;
      this.spread2 += (q * q - this.spread2) * 0.01;
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
    for (let i = 1; i <= best; i++) acc += this.pw[(this.pwPos - i) & 31]!;
    this.accum = acc;
    this.accumN = best;
    this.after = 0;
    this.afterN = 0;
    // start the new gain at the half-way sample before the first symbol after the step
    this.stepHalf = this.pwHalf[(this.pwPos - best) & 31]! - 1;
    this.pending = true;
  }

  private resolve(): void {
    this.pending = false;
    this.pwCount = 0;
    // A real step holds on the symbols that came after it was flagged; a run of V.29's inner
    // points (its symbol powers spread +-65%) that flagged it does not. Test those alone, 5
    // standard errors of their mean from the old level (and at least +-2 dB).
    const ra = this.after / Math.max(1, this.afterN) / this.ref;
    const se = 5 * Math.sqrt(Math.max(0, this.spread2 - 1) / Math.max(1, this.afterN));
    if (ra > Math.min(0.63, 1 - se) && ra < Math.max(1.6, 1 + se)) return; // false alarm
    const m = this.accum / Math.max(1, this.accumN);
    const f = Math.sqrt(this.ref / m);
    this.gIn *= f;
    this.gOut = this.gIn;
    this.steps++;
  }
}
