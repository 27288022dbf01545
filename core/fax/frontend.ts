/**
 * The fax front end (spandsp's fax_modems.c role): turns the T.30 engine's steps into audio and
 * the received audio into the engine's events.
 *
 * Transmit: each step (CED, CNG, a V.21 HDLC burst, TCF, a non-ECM page, an ECM HDLC burst) waits
 * until the incoming carrier has dropped (at most 2 s), then 75 ms of silence, then the signal;
 * when the modulator runs out, the engine hears 'tx-done'. CNG repeats (0.5 s on, 3 s off) until
 * the next step replaces it. Idle time is silence: `tx()` always fills the whole block.
 * Receive: the V.21 demodulator and HDLC deframer always listen (control frames can come at any
 * time); while the engine expects TCF, a page or an ECM block, the fast receiver for that modem
 * listens beside it, counting TCF zero runs, collecting page bytes, or deframing ECM frames; its
 * carrier drop ends the burst. While we transmit (other than CNG) the receivers are muted, as in
 * a half-duplex fax modem; they restart when our signal ends.
 * Time is counted in samples; nothing here allocates per sample (page buffers grow by doubling).
 */
import { END_OF_DATA, type GetBit, type ModemReceiver, type ModemStatus, type ModemTransmitter, type PutBit, type StatusHandler } from '../modems/types';
import { V21Receiver } from '../modems/v21-rx';
import { V21Transmitter } from '../modems/v21-tx';
import { HdlcRx } from '../hdlc/hdlc-rx';
import { HdlcTx } from '../hdlc/hdlc-tx';
import { sineAmplitudeForDbm0 } from '../dsp/level';
import type { FaxIo, IoEvent, RxMode, TxStep } from '../t30/engine';
import type { ModemFamily } from '../t30/negotiate';

/** Where fast modems come from (the registry in production, fakes in tests). */
export interface ModemFactory {
  createTransmitter(modem: ModemFamily, rate: number, getBit: GetBit, opts: { shortTrain?: boolean; powerDbm0?: number }): ModemTransmitter;
  createReceiver(modem: ModemFamily, rate: number, putBit: PutBit, onStatus: StatusHandler, opts: { shortTrain?: boolean }): ModemReceiver;
}

export interface FrontEndOptions {
  modems: ModemFactory;
  /** Transmit level of the modems, dBm0 (default -14, as spandsp). */
  powerDbm0?: number;
  log?: (line: string) => void;
}

const GAP = 600; // 75 ms
const MAX_QUIET_WAIT = 16000; // 2 s
const CED_SAMPLES = 8000 * 3;
const CNG_ON = 4000;
const CNG_PERIOD = 4000 + 24000;

type TxPhase = 'idle' | 'quiet' | 'gap' | 'signal';

export class FaxFrontEnd implements FaxIo {
  private readonly modems: ModemFactory;
  private readonly power: number;
  private onEvent: (ev: IoEvent) => void = () => {};
  private readonly log: (line: string) => void;

  // --- transmit ---
  private step: TxStep | null = null;
  private phase: TxPhase = 'idle';
  private wait = 0;
  private toneSample = 0;
  private tonePhase = 0;
  private txModem: ModemTransmitter | null = null;
  private readonly hdlcTx = new HdlcTx();
  private readonly v21Tx: V21Transmitter;
  private bitsLeft = 0;
  private pageData: Uint8Array = new Uint8Array(0);
  private pagePos = 0;
  private hungUp = false;
  private signalSamples = 0;
  private trainedAt = -1;
  private modeSince = 0;

  // --- receive ---
  private readonly v21Rx: V21Receiver;
  private readonly v21Hdlc: HdlcRx;
  private v21Carrier = false;
  private mode: RxMode = { kind: 'v21' };
  private fastRx: ModemReceiver | null = null;
  private fastCarrier = false;
  private fastTrained = false;
  private readonly fastHdlc: HdlcRx;
  private readonly fastReceivers = new Map<string, ModemReceiver>();
  private fastPut: PutBit = () => {};
  private zeros = 0;
  private longestZeros = 0;
  private fastBits = 0;
  private rxBuf = new Uint8Array(65536);
  private rxBytes = 0;
  private rxBitPos = 0;
  /** Samples processed (the front end's clock, for status events and logs). */
  sample = 0;

  constructor(opts: FrontEndOptions) {
    this.modems = opts.modems;
    this.power = opts.powerDbm0 ?? -14;
    this.log = opts.log ?? (() => {});
    this.v21Tx = new V21Transmitter(this.hdlcTx.getBit, { powerDbm0: this.power });
    this.v21Hdlc = new HdlcRx((frame, ok) => this.onEvent({ kind: 'frame', frame, ok, fast: false }));
    this.v21Rx = new V21Receiver((b) => this.v21Hdlc.putBit(b), (s) => this.onV21Status(s));
    this.fastHdlc = new HdlcRx((frame, ok) => this.onEvent({ kind: 'frame', frame, ok, fast: true }), undefined, { maxBytes: 300 });
  }

  /** Where the engine's events go (set once the engine exists). */
  connect(onEvent: (ev: IoEvent) => void): void {
    this.onEvent = onEvent;
  }

  // ------------------------------------------------------------------ FaxIo

  send(step: TxStep): void {
    if (this.hungUp) return;
    this.step = step;
    this.phase = 'quiet';
    this.wait = 0;
    this.txModem = null;
  }

  receive(mode: RxMode): void {
    this.mode = mode;
    this.modeSince = this.sample;
    this.fastRx = null;
    this.fastCarrier = false;
    this.fastTrained = false;
    if (mode.kind === 'v21') return;
    this.zeros = 0;
    this.longestZeros = 0;
    this.fastBits = 0;
    this.rxBytes = 0;
    this.rxBitPos = 0;
    this.fastHdlc.restart({ maxBytes: 300 });
    this.fastPut = mode.kind === 'tcf' ? this.putTcfBit : mode.kind === 'page' ? this.putPageBit : this.fastHdlc.putBit;
    // One receiver per modem and rate for the whole call: V.17's short train reuses the
    // equalizer its last long train (the TCF) left behind, so it must be the same object.
    const key = `${mode.modem.family}:${mode.modem.rate}`;
    let rx = this.fastReceivers.get(key);
    if (!rx) {
      rx = this.modems.createReceiver(mode.modem.family, mode.modem.rate, (b) => this.fastPut(b), (s) => this.onFastStatus(s), { shortTrain: mode.shortTrain });
      this.fastReceivers.set(key, rx);
    }
    (rx as { restart?(o?: unknown): void }).restart?.({ rate: mode.modem.rate, shortTrain: mode.shortTrain });
    this.fastRx = rx;
  }

  hangUp(): void {
    this.hungUp = true;
    this.step = null;
    this.phase = 'idle';
  }

  /** The kind of step whose signal is on the air now (after its gap), or null. */
  get txOnAir(): TxStep['kind'] | null {
    return this.step && this.phase === 'signal' ? this.step.kind : null;
  }

  /** Samples of the current step's signal sent so far. */
  get txSignalSamples(): number {
    return this.signalSamples;
  }

  /** What the receive side is listening for. */
  get rxMode(): RxMode['kind'] {
    return this.mode.kind;
  }

  /** The step being sent (or waiting to be), if any. */
  get txStep(): Readonly<TxStep> | null {
    return this.step;
  }

  /** Front-end sample time at which the current receive mode was set. */
  get rxModeSince(): number {
    return this.modeSince;
  }

  /** Front-end sample time of the last fast training success (-1 before any). */
  get fastTrainedAt(): number {
    return this.trainedAt;
  }

  /** True while a (non-CNG) transmission is pending or on the air. */
  get transmitting(): boolean {
    return this.step !== null && this.step.kind !== 'cng';
  }

  // ------------------------------------------------------------------ audio

  /** Received audio, one block. */
  rx(samples: Float32Array): void {
    this.sample += samples.length;
    if (this.transmitting && this.phase !== 'quiet') return; // half duplex
    this.v21Rx.rx(samples);
    if (this.fastRx) this.fastRx.rx(samples);
  }

  /** Audio to send: always fills `out` (silence when idle). */
  tx(out: Float32Array): number {
    let i = 0;
    const n = out.length;
    while (i < n) {
      const step = this.step;
      if (!step || this.phase === 'idle') {
        out.fill(0, i, n);
        break;
      }
      if (this.phase === 'quiet') {
        // Do not talk over the far end: wait for its carrier to drop.
        if ((this.v21Carrier || this.fastCarrier) && this.wait < MAX_QUIET_WAIT && step.kind !== 'cng') {
          const k = Math.min(n - i, MAX_QUIET_WAIT - this.wait);
          out.fill(0, i, i + k);
          this.wait += k;
          i += k;
          continue;
        }
        this.phase = 'gap';
        this.wait = 0;
        this.startStep(step);
      }
      if (this.phase === 'gap') {
        const k = Math.min(n - i, GAP - this.wait);
        out.fill(0, i, i + k);
        this.wait += k;
        i += k;
        if (this.wait >= GAP) { this.phase = 'signal'; this.signalSamples = 0; }
        continue;
      }
      // signal
      const want = n - i;
      const k = this.produce(step, out, i, want);
      i += k;
      this.signalSamples += k;
      if (k < want) {
        // Finished: the rest of this block (and what follows) is silence until the next step.
        this.step = null;
        this.phase = 'idle';
        this.restartReceivers();
        this.onEvent({ kind: 'tx-done' });
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ transmit internals

  private startStep(step: TxStep): void {
    this.toneSample = 0;
    switch (step.kind) {
      case 'ced':
      case 'cng':
        this.tonePhase = 0;
        return;
      case 'v21':
        this.hdlcTx.sendMessage(step.frames, { preambleFlags: 38, closingFlags: 2 });
        this.v21Tx.restart({ powerDbm0: this.power }, this.hdlcTx.getBit);
        return;
      case 'tcf':
        this.bitsLeft = Math.round(step.modem.rate * 1.5);
        this.txModem = this.modems.createTransmitter(step.modem.family, step.modem.rate, this.tcfBit, { powerDbm0: this.power });
        return;
      case 'page':
        this.pageData = step.data;
        this.pagePos = 0;
        this.txModem = this.modems.createTransmitter(step.modem.family, step.modem.rate, this.pageBit, { powerDbm0: this.power, shortTrain: step.shortTrain && step.modem.family === 'v17' });
        return;
      case 'ecm': {
        // Flags for ~100 ms before the first frame: room for the receiver to find framing.
        const pre = Math.max(8, Math.round(step.modem.rate / 80));
        this.hdlcTx.sendMessage(step.frames, { preambleFlags: pre, closingFlags: 4 });
        this.txModem = this.modems.createTransmitter(step.modem.family, step.modem.rate, this.hdlcTx.getBit, { powerDbm0: this.power, shortTrain: step.shortTrain && step.modem.family === 'v17' });
        return;
      }
      default: {
        const never: never = step;
        return never;
      }
    }
  }

  /** Fill up to `len` samples of the current step; fewer means the step is over. */
  private produce(step: TxStep, out: Float32Array, off: number, len: number): number {
    switch (step.kind) {
      case 'ced': {
        const k = Math.min(len, CED_SAMPLES - this.toneSample);
        this.tone(out, off, k, 2100, -11);
        this.toneSample += k;
        return k;
      }
      case 'cng': {
        for (let j = 0; j < len; j++) {
          const t = this.toneSample++ % CNG_PERIOD;
          out[off + j] = t < CNG_ON ? this.toneOne(1100, -11) : 0;
        }
        return len;
      }
      case 'v21':
        return this.v21Tx.tx(out, off, len);
      case 'tcf':
      case 'page':
      case 'ecm':
        return this.txModem!.tx(out, off, len);
      default: {
        const never: never = step;
        return never;
      }
    }
  }

  private tone(out: Float32Array, off: number, len: number, hz: number, dbm0: number): void {
    for (let j = 0; j < len; j++) out[off + j] = this.toneOne(hz, dbm0);
  }

  private toneOne(hz: number, dbm0: number): number {
    const v = sineAmplitudeForDbm0(dbm0) * Math.sin(2 * Math.PI * this.tonePhase);
    this.tonePhase += hz / 8000;
    if (this.tonePhase >= 1) this.tonePhase -= 1;
    return v;
  }

  private readonly tcfBit: GetBit = () => (this.bitsLeft-- > 0 ? 0 : END_OF_DATA);

  private readonly pageBit: GetBit = () => {
    const p = this.pagePos;
    if (p >= this.pageData.length * 8) return END_OF_DATA;
    this.pagePos = p + 1;
    return (this.pageData[p >> 3]! >> (p & 7)) & 1;
  };

  private restartReceivers(): void {
    this.v21Rx.restart();
    this.v21Hdlc.restart();
    this.v21Carrier = false;
    if (this.mode.kind !== 'v21') this.receive(this.mode);
  }

  // ------------------------------------------------------------------ receive internals

  private onV21Status(s: ModemStatus): void {
    if (s.kind === 'carrier-up') {
      this.v21Carrier = true;
      this.onEvent({ kind: 'v21-carrier', up: true });
    } else if (s.kind === 'carrier-down') {
      this.v21Carrier = false;
      this.v21Hdlc.restart();
      this.onEvent({ kind: 'v21-carrier', up: false });
    }
  }

  private onFastStatus(s: ModemStatus): void {
    switch (s.kind) {
      case 'carrier-up':
        this.fastCarrier = true;
        this.onEvent({ kind: 'fast-carrier', up: true });
        return;
      case 'training-in-progress':
        return;
      case 'training-succeeded':
        this.fastTrained = true;
        this.trainedAt = this.sample;
        this.log(`fast receiver trained (${this.mode.kind})`);
        this.onEvent({ kind: 'fast-trained', ok: true });
        return;
      case 'training-failed':
        this.log(`fast receiver training failed: ${s.reason}`);
        this.onEvent({ kind: 'fast-trained', ok: false });
        return;
      case 'carrier-down': {
        this.fastCarrier = false;
        this.onEvent({ kind: 'fast-carrier', up: false });
        if (!this.fastTrained) return;
        this.fastTrained = false;
        const m = this.mode;
        if (m.kind === 'tcf') {
          if (this.zeros > this.longestZeros) this.longestZeros = this.zeros;
          this.onEvent({ kind: 'tcf', longestZeros: this.longestZeros, bits: this.fastBits });
        } else if (m.kind === 'page') {
          this.onEvent({ kind: 'page', data: this.rxBuf.slice(0, this.rxBytes + (this.rxBitPos > 0 ? 1 : 0)) });
        } else if (m.kind === 'ecm') {
          this.onEvent({ kind: 'fast-end' });
        }
        return;
      }
      default: {
        const never: never = s;
        return never;
      }
    }
  }

  private readonly putTcfBit: PutBit = (bit) => {
    this.fastBits++;
    if (bit === 0) {
      this.zeros++;
    } else {
      if (this.zeros > this.longestZeros) this.longestZeros = this.zeros;
      this.zeros = 0;
    }
  };

  private readonly putPageBit: PutBit = (bit) => {
    if (this.rxBytes >= this.rxBuf.length - 1) {
      const bigger = new Uint8Array(this.rxBuf.length * 2);
      bigger.set(this.rxBuf);
      this.rxBuf = bigger;
    }
    if (this.rxBitPos === 0) this.rxBuf[this.rxBytes] = 0;
    if (bit) this.rxBuf[this.rxBytes]! |= 1 << this.rxBitPos;
    if (++this.rxBitPos === 8) {
      this.rxBitPos = 0;
      this.rxBytes++;
    }
  };
}
