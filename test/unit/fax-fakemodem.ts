/**
 * A bit-level fake fast modem for front-end tests, so the fax stack can be exercised without the
 * real V.27ter/V.29/V.17: one bit per sample (+A = 1, -A = 0) after a training run of 240 +A
 * samples; carrier on when |x| > A/2, off after 8 quiet samples. Its band overlaps V.21's, like
 * the real modems', so the front end's V.21 handling during fast bursts is exercised too.
 */
import { END_OF_DATA, type GetBit, type ModemReceiver, type ModemTransmitter, type PutBit, type StatusHandler } from '../../core/modems/types';
import type { ModemFactory } from '../../core/fax/frontend';

const A = 0.2;
const TRAIN = 240;

class FakeTx implements ModemTransmitter {
  private n = 0;
  private ended = false;
  constructor(private readonly getBit: GetBit) {}
  tx(out: Float32Array, offset = 0, length = out.length - offset): number {
    for (let i = 0; i < length; i++) {
      if (this.n < TRAIN) { out[offset + i] = A; this.n++; continue; }
      if (this.ended) return i;
      const b = this.getBit();
      if (b === END_OF_DATA) { this.ended = true; return i; }
      out[offset + i] = b ? A : -A;
    }
    return length;
  }
}

class FakeRx implements ModemReceiver {
  private carrier = false;
  private quiet = 0;
  private train = 0;
  private trained = false;
  private failed = false;
  private sample = 0;
  constructor(private readonly putBit: PutBit, private readonly onStatus: StatusHandler) {}
  rx(samples: Float32Array, offset = 0, length = samples.length - offset): void {
    for (let i = offset; i < offset + length; i++) {
      const x = samples[i]!;
      this.sample++;
      const on = Math.abs(x) > A / 2;
      if (!this.carrier) {
        if (on) { this.carrier = true; this.quiet = 0; this.train = 0; this.trained = false; this.failed = false; this.onStatus({ kind: 'carrier-up', sample: this.sample }); }
        else continue;
      }
      if (!on) {
        if (++this.quiet >= 8) { this.carrier = false; this.onStatus({ kind: 'carrier-down', sample: this.sample }); }
        continue;
      }
      this.quiet = 0;
      if (this.failed) continue;
      if (!this.trained) {
        if (x > 0) {
          if (++this.train >= TRAIN - 8) { this.trained = true; this.onStatus({ kind: 'training-succeeded', sample: this.sample }); }
        } else if (this.train > 0) {
          this.failed = true;
          this.onStatus({ kind: 'training-failed', sample: this.sample, reason: 'sequence' });
        }
        continue;
      }
      // After training: skip the rest of the training ones until the first data sample is
      // indistinguishable, so count exactly TRAIN samples.
      if (this.train < TRAIN) { this.train++; continue; }
      this.putBit(x > 0 ? 1 : 0);
    }
  }
  fillin(): void {}
}

export const fakeModems: ModemFactory = {
  createTransmitter: (_m, _r, getBit) => new FakeTx(getBit),
  createReceiver: (_m, _r, putBit, onStatus) => new FakeRx(putBit, onStatus),
};
