/**
 * `webfax modem tx|rx`: raw modem bursts to and from WAV files, mirroring the spandsp peer's
 * modemtx/modemrx so the two can be swapped in any pipeline.
 *
 *   webfax modem tx --modem v29 --rate 9600 --prbs 1 --bits 20000 --out x.wav [--snr 20 --seed 1]
 *   webfax modem rx --modem v29 --rate 9600 --in x.wav [--prbs 1 --bits 20000 | --ref BYTES] [--out bytes] [--json]
 *
 * Bytes are sent LSB first. rx prints (or with --json one JSON line) the training result, bits
 * received and, given a reference, the bit errors after aligning like modemrx. Exit 1 if the
 * receiver never trained.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from './command';
import { UsageError, flagOption, numberOption, parseArgs, stringOption, type OptionSpec } from './args';
import { encodeWav, parseWav } from '../formats/wav';
import { parseModemName, supportedRates, type ModemName } from '../modems/registry';
import { packBitsLsbFirst, prbsBits, unpackBitsLsbFirst } from '../modems/prbs';
import { compareBits, demodulate, modulate } from '../line/modem-harness';
import { applyLine } from '../line/line-model';
import { powerDbm0 } from '../dsp/level';

const DEFAULT_RATE: Record<ModemName, number> = { v21: 300, v27ter: 4800, v29: 9600, v17: 14400 };
const NAMES: Record<ModemName, string> = { v21: 'V.21', v27ter: 'V.27ter', v29: 'V.29', v17: 'V.17' };

const options: Record<string, OptionSpec> = {
  modem: { value: true, help: 'v21 | v27 | v29 | v17' },
  rate: { value: true, help: 'bit rate (default: the modem\'s highest)' },
  in: { value: true, help: 'tx: data bytes to send; rx: WAV (or .raw s16le) to demodulate' },
  out: { value: true, help: 'tx: WAV to write; rx: file for the received bytes' },
  prbs: { value: true, help: 'PRBS-23 seed (tx: data to send; rx: reference)' },
  bits: { value: true, help: 'number of PRBS bits (default 20000)' },
  ref: { value: true, help: 'rx: reference bytes to count errors against' },
  snr: { value: true, help: 'add white noise at this SNR (dB, vs -14 dBm0)' },
  seed: { value: true, help: 'noise seed (default 1)' },
  'lead-ms': { value: true, help: 'tx: silence before the burst (default 100)' },
  'tail-ms': { value: true, help: 'tx: silence after the burst (default 100)' },
  level: { value: true, help: 'tx: level in dBm0 (default -14)' },
  tep: { value: false, help: 'tx: send the echo protection tone first' },
  'short-train': { value: false, help: 'short training (V.27ter, V.17)' },
  'max-offset': { value: true, help: 'rx: largest bit offset tried when aligning (default 64)' },
  json: { value: false, help: 'rx: print one JSON line' },
};

function readAudio(path: string): Float32Array {
  const bytes = readFileSync(path);
  if (/\.raw$/i.test(path) || /\.s16$/i.test(path)) {
    const n = bytes.length >> 1;
    const out = new Float32Array(n);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++) out[i] = dv.getInt16(2 * i, true) / 32768;
    return out;
  }
  const w = parseWav(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (w.sampleRate !== 8000) throw new Error(`${path}: sample rate ${w.sampleRate} Hz, expected 8000`);
  if (w.channels.length === 0) throw new Error(`${path}: no audio channels`);
  return w.channels[0]!;
}

function modemAndRate(args: ReturnType<typeof parseArgs>): { modem: ModemName; rate: number } {
  const m = stringOption(args, 'modem');
  if (!m) throw new UsageError('--modem is required');
  let modem: ModemName;
  try { modem = parseModemName(m); } catch (e) { throw new UsageError((e as Error).message); }
  const rate = numberOption(args, 'rate', DEFAULT_RATE[modem]);
  if (!supportedRates(modem).includes(rate)) throw new UsageError(`${NAMES[modem]} has no rate ${rate} (${supportedRates(modem).join(', ')})`);
  return { modem, rate };
}

function runTx(argv: string[]): number {
  const args = parseArgs(argv, options);
  const { modem, rate } = modemAndRate(args);
  const out = stringOption(args, 'out');
  if (!out) throw new UsageError('--out is required');
  const inPath = stringOption(args, 'in');
  const prbs = stringOption(args, 'prbs');
  if (!inPath && prbs === undefined) throw new UsageError('give --in BYTES or --prbs SEED');
  const bits = inPath ? unpackBitsLsbFirst(readFileSync(inPath)) : prbsBits(numberOption(args, 'prbs', 1), numberOption(args, 'bits', 20000));
  let audio = modulate(modem, rate, bits, {
    leadSamples: Math.round(numberOption(args, 'lead-ms', 100) * 8),
    tailSamples: Math.round(numberOption(args, 'tail-ms', 100) * 8),
    powerDbm0: numberOption(args, 'level', -14),
    tep: flagOption(args, 'tep'),
    shortTrain: flagOption(args, 'short-train'),
  });
  if (args.options.has('snr')) audio = applyLine(audio, { snrDb: numberOption(args, 'snr', 30), signalDbm0: numberOption(args, 'level', -14), seed: numberOption(args, 'seed', 1) });
  writeFileSync(out, encodeWav([audio], 8000));
  console.log(JSON.stringify({ modem: NAMES[modem], rate, bits: bits.length, audio_s: +(audio.length / 8000).toFixed(3), file: out }));
  return 0;
}

function runRx(argv: string[]): number {
  const args = parseArgs(argv, options);
  const { modem, rate } = modemAndRate(args);
  const inPath = stringOption(args, 'in');
  if (!inPath) throw new UsageError('--in is required');
  let audio = readAudio(inPath);
  if (args.options.has('snr')) audio = applyLine(audio, { snrDb: numberOption(args, 'snr', 30), seed: numberOption(args, 'seed', 1) });
  const r = demodulate(modem, rate, audio, { shortTrain: flagOption(args, 'short-train') });
  const refPath = stringOption(args, 'ref');
  const prbs = stringOption(args, 'prbs');
  let ref: Uint8Array | undefined;
  if (refPath) ref = unpackBitsLsbFirst(readFileSync(refPath));
  else if (prbs !== undefined) ref = prbsBits(numberOption(args, 'prbs', 1), numberOption(args, 'bits', 20000));
  const cmp = ref ? compareBits(ref, r.bits, numberOption(args, 'max-offset', 64)) : undefined;
  const out = stringOption(args, 'out');
  if (out) writeFileSync(out, packBitsLsbFirst(cmp ? r.bits.subarray(cmp.offset) : r.bits));
  let firstBit: number | null = null;
  const ts = r.events.find((e) => e.kind === 'training-succeeded');
  if (ts) firstBit = +(ts.sample / 8000).toFixed(3);
  const result = {
    modem: NAMES[modem],
    rate,
    audio_s: +(audio.length / 8000).toFixed(3),
    signal_dbm0: +powerDbm0(audio).toFixed(2),
    training: r.training.startsWith('failed') ? 'failed' : r.training,
    training_detail: r.training,
    trained: r.events.filter((e) => e.kind === 'training-succeeded').length,
    train_failed: r.events.filter((e) => e.kind === 'training-failed').length,
    carrier_up: r.events.filter((e) => e.kind === 'carrier-up').length,
    carrier_down: r.events.filter((e) => e.kind === 'carrier-down').length,
    bits_received: r.bits.length,
    first_bit_s: firstBit,
    mse: Number.isFinite(r.mse) ? +r.mse.toFixed(5) : null,
    ...(cmp && ref
      ? { ref_bits: ref.length, offset: cmp.offset, bits_compared: cmp.compared, bits_missing: cmp.missing, bit_errors: cmp.errors, ber: cmp.ber }
      : {}),
  };
  if (flagOption(args, 'json')) console.log(JSON.stringify(result));
  else {
    console.log(`${result.modem} ${rate}: training ${r.training}, ${result.bits_received} bits received` +
      (cmp ? `, ${cmp.errors} errors in ${cmp.compared} bits (BER ${cmp.ber.toExponential(2)}), ${cmp.missing} missing` : ''));
  }
  return r.trained ? 0 : 1;
}

export const modemCommand: Command = {
  name: 'modem',
  summary: 'Raw modem transmit/receive (mirrors spandsp modemtx/modemrx)',
  usage: 'modem tx|rx --modem v21|v27|v29|v17 --rate R (tx: --in BYTES|--prbs SEED [--bits N] --out x.wav; rx: --in x.wav [--out BYTES] [--ref BYTES|--prbs SEED] [--json])',
  options,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'tx') return runTx(rest);
    if (sub === 'rx') return runRx(rest);
    throw new UsageError('modem: say "tx" or "rx"');
  },
};
