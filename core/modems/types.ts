/**
 * The contracts every modem honours. Modems move data only through these callbacks and know
 * nothing of HDLC or T.30 (spandsp's put_bit/get_bit). Audio is Float32 at 8 kHz, 1.0 = s16 full
 * scale (see core/dsp/level.ts). Time is counted in samples.
 */

/** Receives one demodulated bit (0 or 1). */
export type PutBit = (bit: number) => void;

/** Value a GetBit returns when the transmitter's data is finished (it then sends its shutdown). */
export const END_OF_DATA = -1;
/** Supplies the next bit to send (0 or 1), or END_OF_DATA. */
export type GetBit = () => number;

export type ModemStatus =
  | { kind: 'carrier-up'; sample: number }
  | { kind: 'carrier-down'; sample: number }
  | { kind: 'training-in-progress'; sample: number }
  | { kind: 'training-succeeded'; sample: number }
  | { kind: 'training-failed'; sample: number; reason: string };

export type StatusHandler = (status: ModemStatus) => void;

/** A demodulator: feed it audio, it calls putBit and reports status events. */
export interface ModemReceiver {
  /** Process a block of samples. Never allocates; never throws on any sample values. */
  rx(samples: Float32Array, offset?: number, length?: number): void;
  /** Account for `n` lost samples (e.g. a dropped VoIP packet) without audio. */
  fillin(n: number): void;
}

/** A modulator: asks getBit for data and writes audio. */
export interface ModemTransmitter {
  /** Fill up to `length` samples of `out` from `offset`; returns how many were written (fewer means finished). */
  tx(out: Float32Array, offset?: number, length?: number): number;
}
