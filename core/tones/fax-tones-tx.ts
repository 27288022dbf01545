/**
 * Fax call tone generators: CNG (calling tone, T.30: 1100 Hz, 0.5 s on / 3 s off, repeating) and
 * CED (called terminal identification / answer tone, 2100 Hz for 2.6-4 s, once).
 * Same life cycle as the modems: `tx(out)` fills samples and returns how many it wrote; CED
 * returns fewer once it is over, CNG repeats until restarted. Time is counted in samples.
 */
import { SAMPLE_RATE, sineAmplitudeForDbm0 } from '../dsp/level';
import { cosCycles } from '../dsp/nco';

export type FaxTone = 'CNG' | 'CED';

export interface ToneTxOptions {
  /** Level in dBm0 (default -11). */
  powerDbm0?: number;
  /** CED length in ms (default 3300, within T.30's 2600-4000). */
  cedMs?: number;
}

export const CNG_HZ = 1100;
export const CED_HZ = 2100;
export const CNG_ON_MS = 500;
export const CNG_OFF_MS = 3000;

export class FaxToneTx {
  private amp = 0;
  private step = 0;
  private phase = 0;
  private t = 0; // samples since start
  private onSamples = 0;
  private periodSamples = 0; // 0 = one-shot

  constructor(private tone: FaxTone, opts: ToneTxOptions = {}) {
    this.restart(tone, opts);
  }

  restart(tone: FaxTone = this.tone, opts: ToneTxOptions = {}): void {
    this.tone = tone;
    this.amp = sineAmplitudeForDbm0(opts.powerDbm0 ?? -11);
    this.step = (tone === 'CNG' ? CNG_HZ : CED_HZ) / SAMPLE_RATE;
    this.phase = 0;
    this.t = 0;
    if (tone === 'CNG') {
      this.onSamples = (CNG_ON_MS * SAMPLE_RATE) / 1000;
      this.periodSamples = ((CNG_ON_MS + CNG_OFF_MS) * SAMPLE_RATE) / 1000;
    } else {
      this.onSamples = Math.round(((opts.cedMs ?? 3300) * SAMPLE_RATE) / 1000);
      this.periodSamples = 0;
    }
  }

  /** Fill `out`; returns the samples written (fewer than asked when a CED has ended). */
  tx(out: Float32Array, offset = 0, length = out.length - offset): number {
    const end = offset + length;
    let i = offset;
    for (; i < end; i++) {
      if (this.periodSamples === 0 && this.t >= this.onSamples) break;
      const pos = this.periodSamples ? this.t % this.periodSamples : this.t;
      if (pos < this.onSamples) {
        out[i] = this.amp * cosCycles(this.phase);
        this.phase += this.step;
        if (this.phase >= 1) this.phase -= 1;
      } else {
        out[i] = 0;
        this.phase = 0;
      }
      this.t++;
    }
    return i - offset;
  }
}
