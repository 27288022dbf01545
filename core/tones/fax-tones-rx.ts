/**
 * Detector for the fax tones CNG (1100 Hz) and CED (2100 Hz), reporting start and end in samples.
 *
 * How: audio is cut into 10 ms blocks (80 samples, so each tone sits on a 100 Hz bin centre); per
 * block, Goertzel filters give the power at 1100 and 2100 Hz, compared with the block's total
 * power less the other tone's (a line tap can carry CNG and CED at the same time). A block "has"
 * a tone when the tone holds most of that energy (a pure tone, not
 * speech or the two-tone V.21 FSK, whose 1650/1850 Hz are 2.5+ bins away) and its level is above
 * -45 dBm0 (so -43 dBm0 tones pass). A tone is reported once it has lasted its minimum time (CNG
 * 0.35 s, CED 0.5 s), with its start; its end comes at the first 3 blocks without it.
 */
import { meanSquareForDbm0 } from '../dsp/level';
import type { FaxTone } from './fax-tones-tx';

export type ToneEvent =
  | { kind: 'tone-on'; tone: FaxTone; start: number; sample: number }
  | { kind: 'tone-off'; tone: FaxTone; start: number; end: number };

export interface ToneRxOptions {
  /** Minimum tone level, dBm0 (default -45). */
  minDbm0?: number;
  /** Fraction of block energy the tone must hold (default 0.6). */
  purity?: number;
}

const BLOCK = 80;
const TONES: FaxTone[] = ['CNG', 'CED'];
const COEF = [2 * Math.cos((2 * Math.PI * 1100) / 8000), 2 * Math.cos((2 * Math.PI * 2100) / 8000)];
const MIN_BLOCKS = [35, 50]; // 0.35 s CNG, 0.5 s CED
const GAP_BLOCKS = 3;

export class FaxToneDetector {
  private minMs = 0;
  private purity = 0.6;
  private n = 0;
  private energy = 0;
  private readonly s1 = new Float64Array(2);
  private readonly s2 = new Float64Array(2);
  private readonly runStart = new Float64Array(2).fill(-1); // sample where the current run began
  private readonly runBlocks = new Int32Array(2);
  private readonly missBlocks = new Int32Array(2);
  private readonly reported = new Uint8Array(2);
  private readonly lastOn = new Float64Array(2);
  private readonly tonePower = new Float64Array(2); // end sample of the last block with the tone
  /** Samples consumed since restart. */
  sample = 0;

  constructor(private readonly onEvent: (e: ToneEvent) => void, opts: ToneRxOptions = {}) {
    this.restart(opts);
  }

  restart(opts: ToneRxOptions = {}): void {
    this.minMs = meanSquareForDbm0(opts.minDbm0 ?? -45);
    this.purity = opts.purity ?? 0.6;
    this.n = 0;
    this.energy = 0;
    this.s1.fill(0);
    this.s2.fill(0);
    this.runStart.fill(-1);
    this.runBlocks.fill(0);
    this.missBlocks.fill(0);
    this.reported.fill(0);
    this.sample = 0;
  }

  rx(samples: Float32Array, offset = 0, length = samples.length - offset): void {
    const end = offset + length;
    for (let i = offset; i < end; i++) {
      let x = samples[i]!;
      if (!(x === x) || x > 1e6 || x < -1e6) x = 0;
      this.energy += x * x;
      for (let k = 0; k < 2; k++) {
        const s0 = x + COEF[k]! * this.s1[k]! - this.s2[k]!;
        this.s2[k] = this.s1[k]!;
        this.s1[k] = s0;
      }
      this.sample++;
      if (++this.n === BLOCK) this.block();
    }
  }

  /** Lost audio counts as silence. */
  fillin(n: number): void {
    for (let k = 0; k < n; k++) {
      this.sample++;
      for (let j = 0; j < 2; j++) {
        const s0 = COEF[j]! * this.s1[j]! - this.s2[j]!;
        this.s2[j] = this.s1[j]!;
        this.s1[j] = s0;
      }
      if (++this.n === BLOCK) this.block();
    }
  }

  /** Close any tone still running (end of the recording). */
  flush(): void {
    for (let k = 0; k < 2; k++) this.endRun(k);
  }

  private block(): void {
    const ms = this.energy / BLOCK;
    const blockStart = this.sample - BLOCK;
    const p = this.tonePower;
    for (let k = 0; k < 2; k++) {
      const a = this.s1[k]!, b = this.s2[k]!;
      // Goertzel power, scaled so a pure tone reads its own mean square.
      p[k] = ((a * a + b * b - COEF[k]! * a * b) * 2) / (BLOCK * BLOCK);
      this.s1[k] = 0;
      this.s2[k] = 0;
    }
    for (let k = 0; k < 2; k++) {
      // Purity against what the other tone does not explain: a line tap may carry CNG and CED at once.
      const on = p[k]! > this.minMs && p[k]! > this.purity * Math.max(0, ms - p[1 - k]!);
      if (on) {
        if (this.runStart[k]! < 0) {
          this.runStart[k] = blockStart;
          this.runBlocks[k] = 0;
        }
        this.runBlocks[k]!++;
        this.missBlocks[k] = 0;
        this.lastOn[k] = this.sample;
        if (!this.reported[k] && this.runBlocks[k]! >= MIN_BLOCKS[k]!) {
          this.reported[k] = 1;
          this.onEvent({ kind: 'tone-on', tone: TONES[k]!, start: this.runStart[k]!, sample: this.sample });
        }
      } else if (this.runStart[k]! >= 0) {
        if (++this.missBlocks[k]! >= GAP_BLOCKS) this.endRun(k);
      }
    }
    this.energy = 0;
    this.n = 0;
  }

  private endRun(k: number): void {
    if (this.runStart[k]! < 0) return;
    if (this.reported[k]) {
      this.onEvent({ kind: 'tone-off', tone: TONES[k]!, start: this.runStart[k]!, end: this.lastOn[k]! });
    }
    this.runStart[k] = -1;
    this.runBlocks[k] = 0;
    this.missBlocks[k] = 0;
    this.reported[k] = 0;
  }
}
