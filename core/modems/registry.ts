/**
 * One place to create any modem by name and rate, so the T.30 engine, the recording analyser
 * and the CLI never import a specific modem file.
 *
 *   createTransmitter('v29', 9600, getBit, { powerDbm0: -14 })
 *   createReceiver('v27ter', 4800, putBit, onStatus)
 *
 * Each modem registers a factory pair in FACTORIES below. V.17 and V.21 are built in other
 * files by other engineers: their registration lines are marked and may be edited by them.
 */
import type { GetBit, ModemReceiver, ModemTransmitter, PutBit, StatusHandler } from './types';
import { V29Transmitter, type V29Rate } from './v29-tx';
import { V27terTransmitter, type V27terRate } from './v27ter-tx';
import { V29Receiver } from './v29-rx';
import { V27terReceiver } from './v27ter-rx';
import { V17Transmitter } from './v17-tx';
import { V17Receiver } from './v17-rx';
import { V21Transmitter } from './v21-tx';
import { V21Receiver } from './v21-rx';

export type ModemName = 'v21' | 'v27ter' | 'v29' | 'v17';

export interface TxOptions {
  /** Data level in dBm0 (default -14, as spandsp). */
  powerDbm0?: number;
  /** Echo protection tone before the training (V.27ter, V.29, V.17). */
  tep?: boolean;
  /** Short training (V.17 pages after the TCF, V.27ter short train). */
  shortTrain?: boolean;
}

export interface RxOptions {
  /** Expect the short training (V.17 pages, V.27ter short train). */
  shortTrain?: boolean;
}

/**
 * What a fast receiver offers beyond ModemReceiver: restart for the next burst, a quality
 * figure and the latest constellation points for display. Optional so V.21 need not have them.
 */
export interface ReceiverExtras {
  restart?(): void;
  /** Mean squared error of the equalized symbols relative to the constellation's mean power (0 = perfect). */
  mse?(): number;
  /** Copy up to re.length latest equalized points (oldest first); returns how many. */
  constellation?(re: Float32Array, im: Float32Array): number;
}

export type Receiver = ModemReceiver & ReceiverExtras;

interface Factory {
  rates: readonly number[];
  tx?: (rate: number, getBit: GetBit, opts: TxOptions) => ModemTransmitter;
  rx?: (rate: number, putBit: PutBit, onStatus: StatusHandler, opts: RxOptions) => Receiver;
}

const FACTORIES: Record<ModemName, Factory> = {
  v29: {
    rates: [9600, 7200, 4800],
    tx: (rate, getBit, o) => new V29Transmitter(rate as V29Rate, getBit, o),
    rx: (rate, putBit, onStatus) => new V29Receiver(rate as V29Rate, putBit, onStatus),
  },
  v27ter: {
    rates: [4800, 2400],
    tx: (rate, getBit, o) => new V27terTransmitter(rate as V27terRate, getBit, o),
    rx: (rate, putBit, onStatus, o) => new V27terReceiver(rate as V27terRate, putBit, onStatus, o),
  },
  // ---- V.17: registered by the V.17 engineer (edit this entry only) ----
  v17: {
    rates: [14400, 12000, 9600, 7200],
    tx: (rate, getBit, o) => new V17Transmitter({ rate, shortTrain: o.shortTrain, tep: o.tep, levelDbm0: o.powerDbm0 }, getBit),
    rx: (rate, putBit, onStatus, o) => new V17Receiver({ rate, shortTrain: o.shortTrain }, putBit, onStatus),
  },
  // ---- V.21 channel 2: plugs in here once core/modems/v21-*.ts exists ----
  v21: {
    rates: [300],
    tx: (_rate, getBit, o) => new V21Transmitter(getBit, { powerDbm0: o.powerDbm0 }),
    rx: (_rate, putBit, onStatus) => new V21Receiver(putBit, onStatus),
  },
};

/** Modem names accepted on the command line and their canonical names. */
export function parseModemName(s: string): ModemName {
  const t = s.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (t === 'v27' || t === 'v27ter') return 'v27ter';
  if (t === 'v29') return 'v29';
  if (t === 'v17') return 'v17';
  if (t === 'v21') return 'v21';
  throw new Error(`unknown modem "${s}" (v21, v27, v29, v17)`);
}

export function supportedRates(modem: ModemName): readonly number[] {
  return FACTORIES[modem].rates;
}

function check(modem: ModemName, rate: number): Factory {
  const f = FACTORIES[modem];
  if (!f) throw new Error(`unknown modem ${String(modem)}`);
  if (!f.rates.includes(rate)) throw new Error(`${modem}: unsupported rate ${rate} (${f.rates.join(', ')})`);
  return f;
}

export function hasTransmitter(modem: ModemName): boolean {
  return FACTORIES[modem].tx !== undefined;
}

export function hasReceiver(modem: ModemName): boolean {
  return FACTORIES[modem].rx !== undefined;
}

export function createTransmitter(modem: ModemName, rate: number, getBit: GetBit, opts: TxOptions = {}): ModemTransmitter {
  const f = check(modem, rate);
  if (!f.tx) throw new Error(`${modem} transmitter is not available yet`);
  return f.tx(rate, getBit, opts);
}

export function createReceiver(
  modem: ModemName,
  rate: number,
  putBit: PutBit,
  onStatus: StatusHandler,
  opts: RxOptions = {},
): Receiver {
  const f = check(modem, rate);
  if (!f.rx) throw new Error(`${modem} receiver is not available yet`);
  return f.rx(rate, putBit, onStatus, opts);
}
