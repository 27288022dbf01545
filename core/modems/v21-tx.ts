/**
 * V.21 FSK modulator, 300 bit/s. Channel 2 (the T.30 control channel, the default): mark (1) =
 * 1650 Hz, space (0) = 1850 Hz; channel 1: 980 / 1180 Hz. Continuous phase: one phase
 * accumulator whose step switches with the bit. Bit timing is a fractional counter in units of
 * 1/8000 bit (add 300 per sample, a new bit every 8000), so 26.67 samples per bit never drift.
 * Bits come from `getBit`; when it returns END_OF_DATA, `tx` stops at that bit boundary and
 * returns fewer samples than asked (the carrier simply ends, as spandsp's does).
 */
import { END_OF_DATA, type GetBit, type ModemTransmitter } from './types';
import { SAMPLE_RATE, sineAmplitudeForDbm0 } from '../dsp/level';
import { cosCycles } from '../dsp/nco';

export interface V21TxOptions {
  /** 2 (T.30, default) or 1. */
  channel?: 1 | 2;
  /** Output level, dBm0 (default -14 like spandsp's fax modems). */
  powerDbm0?: number;
}

export const V21_BAUD = 300;
export const V21_CH2 = { mark: 1650, space: 1850 } as const;
export const V21_CH1 = { mark: 980, space: 1180 } as const;

export class V21Transmitter implements ModemTransmitter {
  private amp = 0;
  private markStep = 0;
  private spaceStep = 0;
  private phase = 0; // cycles, kept in [0, 1)
  private step = 0;
  private baudAcc = 0; // 0..SAMPLE_RATE: position inside the current bit
  private haveBit = false;
  private ended = false;
  /** Samples produced since the last restart. */
  samples = 0;

  constructor(private getBit: GetBit, opts: V21TxOptions = {}) {
    this.restart(opts);
  }

  restart(opts: V21TxOptions = {}, getBit?: GetBit): void {
    if (getBit) this.getBit = getBit;
    const f = opts.channel === 1 ? V21_CH1 : V21_CH2;
    this.markStep = f.mark / SAMPLE_RATE;
    this.spaceStep = f.space / SAMPLE_RATE;
    this.amp = sineAmplitudeForDbm0(opts.powerDbm0 ?? -14);
    this.phase = 0;
    this.step = this.markStep;
    this.baudAcc = 0;
    this.haveBit = false;
    this.ended = false;
    this.samples = 0;
  }

  /** True once getBit said END_OF_DATA and the last bit has been sent. */
  get done(): boolean {
    return this.ended;
  }

  tx(out: Float32Array, offset = 0, length = out.length - offset): number {
    const end = offset + length;
    let i = offset;
    for (; i < end; i++) {
      if (!this.haveBit) {
        if (this.ended) break;
        const b = this.getBit();
        if (b === END_OF_DATA) {
          this.ended = true;
          break;
        }
        this.step = b ? this.markStep : this.spaceStep;
        this.haveBit = true;
      }
      out[i] = this.amp * cosCycles(this.phase);
      this.phase += this.step;
      if (this.phase >= 1) this.phase -= 1;
      this.baudAcc += V21_BAUD;
      if (this.baudAcc >= SAMPLE_RATE) {
        this.baudAcc -= SAMPLE_RATE;
        this.haveBit = false;
      }
    }
    this.samples += i - offset;
    return i - offset;
  }
}
