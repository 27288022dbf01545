/**
 * Signal power meter and carrier detector with on/off thresholds and hysteresis.
 *
 * PowerMeter: one-pole average of x^2 over a time constant given in samples; `dbm0()` reads the
 * level with the convention of level.ts. CarrierDetector: reports `on` once the level has been
 * above `onDbm0` and `off` once below `offDbm0` (< onDbm0), each for `persist` samples, so noise
 * near one threshold does not make the state flicker.
 */
import { meanSquareForDbm0 } from './level';

export class PowerMeter {
  power = 0;
  private readonly alpha: number;

  constructor(timeConstantSamples: number) {
    this.alpha = 1 / Math.max(1, timeConstantSamples);
  }

  restart(): void {
    this.power = 0;
  }

  step(x: number): number {
    this.power += this.alpha * (x * x - this.power);
    return this.power;
  }

  dbm0(): number {
    return this.power > 0 ? 10 * Math.log10(this.power) + 6.16 : -Infinity;
  }
}

export class CarrierDetector {
  on = false;
  private readonly meter: PowerMeter;
  private readonly onMs: number;
  private readonly offMs: number;
  private count = 0;

  constructor(public readonly onDbm0 = -45, public readonly offDbm0 = -48, private readonly persist = 40, timeConstant = 40) {
    this.meter = new PowerMeter(timeConstant);
    this.onMs = meanSquareForDbm0(onDbm0);
    this.offMs = meanSquareForDbm0(offDbm0);
  }

  restart(): void {
    this.on = false;
    this.count = 0;
    this.meter.restart();
  }

  get power(): number {
    return this.meter.power;
  }

  /** Feed one sample to the meter only (pair with check() every few samples). */
  feed(x: number): void {
    this.meter.step(x);
  }

  /**
   * Decide after `n` samples fed with feed(): +1 when the carrier comes on, -1 when it drops,
   * else 0 (persistence counted in samples, like step()).
   */
  check(n: number): number {
    return this.checkPower(this.meter.power, n);
  }

  /** Mean square measured by the caller, for checkInput() (a field, so a hot loop passes no double). */
  input = 0;

  /** checkPower(this.input, n). */
  checkInput(n: number): number {
    return this.checkPower(this.input, n);
  }

  /** check() with a power measured by the caller (mean square, full scale = 1). */
  checkPower(p: number, n: number): number {
    if (!this.on) {
      if (p > this.onMs) {
        if ((this.count += n) >= this.persist) { this.on = true; this.count = 0; return 1; }
      } else this.count = 0;
    } else if (p < this.offMs) {
      if ((this.count += n) >= this.persist) { this.on = false; this.count = 0; return -1; }
    } else this.count = 0;
    return 0;
  }

  /** Feed one sample; returns +1 on the sample the carrier comes on, -1 when it drops, else 0. */
  step(x: number): number {
    const p = this.meter.step(x);
    if (!this.on) {
      if (p > this.onMs) {
        if (++this.count >= this.persist) { this.on = true; this.count = 0; return 1; }
      } else this.count = 0;
    } else if (p < this.offMs) {
      if (++this.count >= this.persist) { this.on = false; this.count = 0; return -1; }
    } else this.count = 0;
    return 0;
  }
}
