/**
 * Test and CLI plumbing around the modem registry: modulate a bit array into a burst with
 * silence around it, demodulate a recording collecting bits and status events, and compare
 * recovered bits with a reference the way the spandsp peer's modemrx does (best offset over
 * the first 1024 bits, then errors over the reference length, missing bits counted apart).
 */
import { createReceiver, createTransmitter, type ModemName, type RxOptions, type TxOptions } from '../modems/registry';
import { END_OF_DATA, type ModemStatus } from '../modems/types';

export interface ModulateOptions extends TxOptions {
  leadSamples?: number;
  tailSamples?: number;
}

export function modulate(modem: ModemName, rate: number, bits: ArrayLike<number>, opts: ModulateOptions = {}): Float32Array {
  let k = 0;
  const tx = createTransmitter(modem, rate, () => (k < bits.length ? bits[k++]! & 1 : END_OF_DATA), opts);
  const lead = opts.leadSamples ?? 800;
  const tail = opts.tailSamples ?? 800;
  const chunks: Float32Array[] = [];
  let total = 0;
  for (;;) {
    const b = new Float32Array(4000);
    const n = tx.tx(b);
    chunks.push(b.subarray(0, n));
    total += n;
    if (n < b.length) break;
    if (total > 8000 * 3600) throw new Error('modulate: transmitter did not finish');
  }
  const out = new Float32Array(lead + total + tail);
  let o = lead;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

export interface DemodResult {
  bits: Uint8Array;
  events: ModemStatus[];
  trained: boolean;
  /** Outcome of the first training attempt: 'succeeded', 'failed: reason', or 'none'. */
  training: string;
  mse: number;
}

export function demodulate(modem: ModemName, rate: number, samples: Float32Array, opts: RxOptions = {}, block = 160): DemodResult {
  // bits into a growing byte array (a plain array of numbers costs more than the modem)
  let bits = new Uint8Array(Math.max(1024, Math.ceil((samples.length / 8000) * rate * 1.05)));
  let n = 0;
  const events: ModemStatus[] = [];
  const rx = createReceiver(modem, rate, (b) => {
    if (n === bits.length) {
      const nb = new Uint8Array(bits.length * 2);
      nb.set(bits);
      bits = nb;
    }
    bits[n++] = b;
  }, (s) => events.push(s), opts);
  for (let i = 0; i < samples.length; i += block) rx.rx(samples, i, Math.min(block, samples.length - i));
  const first = events.find((e) => e.kind === 'training-succeeded' || e.kind === 'training-failed');
  const training = !first ? 'none' : first.kind === 'training-succeeded' ? 'succeeded' : `failed: ${(first as { reason: string }).reason}`;
  return {
    bits: bits.slice(0, n),
    events,
    trained: events.some((e) => e.kind === 'training-succeeded'),
    training,
    mse: rx.mse ? rx.mse() : NaN,
  };
}

export interface BitCompare {
  offset: number;
  compared: number;
  missing: number;
  errors: number;
  ber: number;
}

export function compareBits(ref: ArrayLike<number>, got: ArrayLike<number>, maxOffset = 64): BitCompare {
  const probe = Math.min(1024, ref.length);
  let bestOff = 0;
  let bestErr = Infinity;
  for (let off = 0; off <= maxOffset; off++) {
    let e = 0;
    for (let i = 0; i < probe; i++) {
      const g = got[i + off];
      if (g === undefined || g !== ref[i]) e++;
    }
    if (e < bestErr) { bestErr = e; bestOff = off; }
  }
  let errors = 0;
  let missing = 0;
  for (let i = 0; i < ref.length; i++) {
    const g = got[i + bestOff];
    if (g === undefined) missing++;
    else if (g !== ref[i]) errors++;
  }
  const compared = ref.length - missing;
  return { offset: bestOff, compared, missing, errors, ber: compared > 0 ? errors / compared : 1 };
}

/**
 * spandsp's regression thresholds: the SNR (dB) at which its own modem tests pass, as
 * regression_tests.sh runs them (e.g. `v29_tests -b 9600 -s -42 -n -62`: 20 dB). The issue's and
 * the tests' reference points (threshold + 3 dB for impaired lines, - 1 dB for the goal).
 */
export const SPANDSP_THRESHOLDS: ReadonlyArray<{ modem: ModemName; rate: number; snrDb: number }> = [
  { modem: 'v17', rate: 14400, snrDb: 24 },
  { modem: 'v17', rate: 12000, snrDb: 19 },
  { modem: 'v17', rate: 9600, snrDb: 17 },
  { modem: 'v17', rate: 7200, snrDb: 14 },
  { modem: 'v29', rate: 9600, snrDb: 20 },
  { modem: 'v29', rate: 7200, snrDb: 17 },
  { modem: 'v27ter', rate: 4800, snrDb: 15 },
  { modem: 'v27ter', rate: 2400, snrDb: 9 },
];

/** The BERT report interval of spandsp's modem tests (v17_tests.c etc.: bert_set_report(&bert, 10000, ...)). */
export const SPANDSP_REPORT_BITS = 10000;

/**
 * Errors among the last `tail` bits of `ref` (a missing bit counts as one), with `got` aligned
 * at `offset` (compareBits' offset). spandsp's own modem tests pass a run when its last 10 000-bit
 * BERT report is error-free (errors earlier in the run do not fail it): this measures that rule.
 */
export function tailErrors(ref: ArrayLike<number>, got: ArrayLike<number>, offset: number, tail: number): number {
  let errors = 0;
  for (let i = Math.max(0, ref.length - tail); i < ref.length; i++) {
    const g = got[i + offset];
    if (g === undefined || g !== ref[i]) errors++;
  }
  return errors;
}
