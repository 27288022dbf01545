/**
 * The ideal receiver, for judging the real one: the transmitter's own symbols plus complex white
 * Gaussian noise, decided by the receiver's own decision and bit-mapping code with perfect
 * carrier, timing, gain and equalization. That is the matched-filter bound: no receiver of these
 * uncoded modems can make fewer errors at the same line SNR. It answers "how close to perfect
 * is webfax?" and "what BER does any receiver have at spandsp's threshold - 1 dB?".
 *
 * Line SNR as in line-model.ts and scripts/ber-table.ts: signal power over white noise across
 * 0-4 kHz. After a matched filter the noise in a symbol is N0 = Es / (SNR * (fs / 2) / baud),
 * split equally between the two dimensions.
 *
 * Only the QAM/PSK modems built on QamReceiverBase (V.29, V.27ter); V.17's trellis code would
 * need its Viterbi decoder here too.
 */
import { V29Transmitter, v29MeanPower, v29TrainingSequence, type V29Rate } from '../modems/v29-tx';
import { V27terTransmitter, v27terTrainingSequence, type V27terRate } from '../modems/v27ter-tx';
import { V29Receiver } from '../modems/v29-rx';
import { V27terReceiver } from '../modems/v27ter-rx';
import { prbsBits } from '../modems/prbs';
import { SAMPLE_RATE } from '../dsp/level';
import { Prng } from './prng';
import { compareBits, tailErrors, SPANDSP_REPORT_BITS } from './modem-harness';

export interface IdealResult {
  errors: number;
  bits: number;
  /** Symbols in error (decision != sent), each costing a few bit errors after the differential decoder and the descrambler. */
  symbolErrors: number;
  /** Errors in the last SPANDSP_REPORT_BITS bits (spandsp's tests' pass rule, see tailErrors). */
  tailErrors: number;
}

/** The parts of the transmitter and receiver used here (their protected symbol-level steps). */
interface SymbolTx { nextSymbol(): boolean; symRe: number; symIm: number }
interface SymbolRx { beginData(): void; decide(): number; onDataSymbol(code: number): void; zRe: number; zIm: number; decRe: number; decIm: number }

/** Bit errors of the ideal receiver for `nBits` PRBS bits (PRBS seed `seed`, noise seed `seed`). */
export function idealReceiverErrors(modem: 'v29' | 'v27ter', rate: number, snrDb: number, nBits: number, seed = 1): IdealResult {
  const ref = prbsBits(seed, nBits);
  let n = 0;
  const getBit = () => (n < ref.length ? ref[n++]! : 1);
  const got = new Uint8Array(nBits + 64);
  let m = 0;
  const putBit = (b: number) => { if (m < got.length) got[m++] = b; };
  const none = () => {};
  let tx: SymbolTx, rx: SymbolRx, baud: number, meanPower: number, training: number;
  if (modem === 'v29') {
    tx = new V29Transmitter(rate as V29Rate, getBit) as unknown as SymbolTx;
    rx = new V29Receiver(rate as V29Rate, putBit, none) as unknown as SymbolRx;
    baud = 2400;
    meanPower = v29MeanPower(rate as V29Rate);
    training = v29TrainingSequence(rate as V29Rate).end;
  } else {
    tx = new V27terTransmitter(rate as V27terRate, getBit) as unknown as SymbolTx;
    rx = new V27terReceiver(rate as V27terRate, putBit, none) as unknown as SymbolRx;
    baud = rate === 4800 ? 1600 : 1200;
    meanPower = 2;
    training = v27terTrainingSequence(rate as V27terRate, false).end;
  }
  for (let i = 0; i < training; i++) tx.nextSymbol();
  const esn0 = Math.pow(10, snrDb / 10) * (SAMPLE_RATE / 2) / baud;
  const sigma = Math.sqrt(meanPower / esn0 / 2);
  const noise = new Prng(seed * 7919 + 17);
  rx.beginData();
  let symbolErrors = 0;
  while (n < ref.length && tx.nextSymbol()) {
    rx.zRe = tx.symRe + sigma * noise.gaussian();
    rx.zIm = tx.symIm + sigma * noise.gaussian();
    const code = rx.decide();
    if (rx.decRe !== tx.symRe || rx.decIm !== tx.symIm) symbolErrors++;
    rx.onDataSymbol(code);
  }
  const c = compareBits(ref, got.subarray(0, m), 8);
  return { errors: c.errors + c.missing, bits: nBits, symbolErrors, tailErrors: tailErrors(ref, got.subarray(0, m), c.offset, SPANDSP_REPORT_BITS) };
}
