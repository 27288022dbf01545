/**
 * Automatic gain control for symbol-rate receivers. It tracks the mean square of complex
 * samples with a one-pole average and exposes `gain` = sqrt(target / power). `lock()` freezes
 * the estimate (a trained equalizer takes over fine gain); `jump(power)` sets it outright, e.g.
 * from a training pattern's measured power, or when a level step is detected.
 */
export class Agc {
  /** Current gain to multiply samples by. */
  gain = 1;
  /** Smoothed mean square of the (unscaled) input. */
  power = 0;
  locked = false;

  /** `target`: wanted mean square after gain; `alpha`: averaging coefficient per update (0..1). */
  constructor(public target: number, public alpha: number) {}

  restart(): void {
    this.gain = 1;
    this.power = 0;
    this.locked = false;
  }

  /** Feed the mean square of one sample (re^2 + im^2); updates gain unless locked. */
  update(ms: number): void {
    this.power += this.alpha * (ms - this.power);
    if (!this.locked && this.power > 1e-20) this.gain = Math.sqrt(this.target / this.power);
  }

  jump(power: number): void {
    this.power = power;
    if (power > 1e-20) this.gain = Math.sqrt(this.target / power);
  }

  lock(on = true): void {
    this.locked = on;
  }
}
