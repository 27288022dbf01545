/**
 * Symbol timing recovery: the Gardner timing-error detector and a proportional-integral loop.
 *
 * gardnerError() takes three consecutive T/2 matched-filter samples (previous symbol, the
 * half-way sample, current symbol). It is zero when the half-way sample sits on the zero
 * crossing between symbols, positive when sampling is late, and it does not depend on the
 * carrier phase, so it works before carrier lock. TimingLoop turns it into a correction of the
 * sampling period (the integral part follows a sample-clock difference such as +-100 ppm).
 */

/** Gardner TED for complex samples: Re{(cur - prev) * conj(mid)}. */
export function gardnerError(pr: number, pi: number, mr: number, mi: number, cr: number, ci: number): number {
  return (cr - pr) * mr + (ci - pi) * mi;
}

export class TimingLoop {
  /** Accumulated rate correction (fraction of the nominal period). */
  rate = 0;

  /** kp, ki: proportional and integral gains applied to the normalised error. */
  constructor(public kp: number, public ki: number, public maxRate = 0.002) {}

  restart(): void {
    this.rate = 0;
  }

  /**
   * Returns the adjustment, in fractions of a symbol period, to add to the next sampling time
   * given a normalised timing error (late = positive => sample earlier).
   */
  update(err: number): number {
    this.err = err;
    this.step();
    return this.adjust;
  }

  /**
   * update() with the error in `err` and the adjustment left in `adjust`: the hot callers' form.
   * Fields, not arguments, and no call inside: a double passed to or returned from a call V8 does
   * not inline is boxed (a heap object per symbol), and with several modems in one process the
   * inlining budget runs out sooner.
   */
  err = 0;
  adjust = 0;
  step(): void {
    const err = this.err;
    let rate = this.rate - this.ki * err;
    if (rate > this.maxRate) rate = this.maxRate;
    else if (rate < -this.maxRate) rate = -this.maxRate;
    this.rate = rate;
    this.adjust = rate - this.kp * err;
  }
}
