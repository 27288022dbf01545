/**
 * The T.30 engine over a Class 1 modem: implements the engine's front-end contract (FaxIo) with
 * the Class 1 driver instead of our own modems, so a USB fax modem on Web Serial sends and
 * receives with the same T.30 code as the sound-card line.
 *
 * How: one loop owns the modem (T.31 is strictly one command at a time). A transmit step from the
 * engine interrupts a pending receive (driver.abortReceive) and is carried out with +FTH (V.21
 * frames, ECM blocks at the fast modulation), +FTS then +FTM (TCF zeros, page data), ATD (CNG:
 * the modem calls and then listens as +FRH=3) or ATA (CED: the modem answers and then sends as
 * +FTH=3); the engine then hears 'tx-done'. Otherwise the loop receives what the engine asked for:
 * +FRH=3 frames (with 'v21-carrier' up before the first and down after the final frame), +FRM
 * TCF bytes (turned into the zero-run count the engine judges) or page data, or +FRH at the fast
 * modulation for an ECM block ('fast-end' at NO CARRIER). +FCERROR (the far end sent V.21 when
 * we expected the fast carrier) switches that turn to +FRH=3.
 * Time: the owner advances the engine by real elapsed time (`runClass1Call` does it every 20 ms).
 */
import type { FaxIo, IoEvent, RxMode, TxStep } from '../t30/engine';
import type { FastModem } from '../t30/negotiate';
import type { Class1Modem } from './driver';

/** The T.31 modulation number for a fast modem (+FTM/+FRM parameter). */
export function modulationOf(m: FastModem, shortTrain = false): number {
  if (m.family === 'v27ter') return m.rate >= 4800 ? 48 : 24;
  if (m.family === 'v29') return m.rate >= 9600 ? 96 : 72;
  const long: Record<number, number> = { 7200: 73, 9600: 97, 12000: 121, 14400: 145 };
  const n = long[m.rate] ?? 145;
  return shortTrain ? n + 1 : n;
}

/** Longest run of zero bits in bytes sent LSB first, and the bit count (the TCF check). */
export function zeroRun(data: Uint8Array): { longestZeros: number; bits: number } {
  let run = 0, longest = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0) { run += 8; continue; }
    for (let k = 0; k < 8; k++) {
      if ((b >> k) & 1) { if (run > longest) longest = run; run = 0; } else run++;
    }
  }
  return { longestZeros: Math.max(longest, run), bits: data.length * 8 };
}

export interface Class1FaxIoOptions {
  /** Number to dial when calling. */
  number?: string;
  /** Answering: wait for RING before ATA (default true). */
  waitForRing?: boolean;
  log?: (line: string) => void;
}

export class Class1FaxIo implements FaxIo {
  private onEvent: (e: IoEvent) => void = () => {};
  private pending: TxStep | null = null;
  private mode: RxMode = { kind: 'v21' };
  private hungUp = false;
  /** The modem is already in +FTH=3 CONNECT (after ATA). */
  private txConnected = false;
  private online = false;
  private rang = false;
  private kick: (() => void) | null = null;
  private readonly log: (line: string) => void;
  /** Why the loop ended, when a modem error ended it. */
  failure: string | null = null;

  constructor(private readonly modem: Class1Modem, private readonly opts: Class1FaxIoOptions = {}) {
    this.log = opts.log ?? (() => {});
    modem.onRing = () => { this.rang = true; this.kick?.(); };
  }

  connect(onEvent: (e: IoEvent) => void): void {
    this.onEvent = onEvent;
  }

  send(step: TxStep): void {
    if (this.hungUp) return;
    this.pending = step;
    this.modem.abortReceive();
    this.kick?.();
  }

  receive(mode: RxMode): void {
    const changed = mode.kind !== this.mode.kind;
    this.mode = mode;
    if (changed) this.modem.abortReceive();
  }

  hangUp(): void {
    this.hungUp = true;
    this.modem.abortReceive();
    this.kick?.();
  }

  /** Run until the engine hangs up (or the modem fails); then ATH0. */
  async run(): Promise<void> {
    try {
      // A step queued just before hang-up (the DCN) still goes out.
      while (!this.hungUp || this.pending) {
        const step = this.pending;
        if (step) {
          this.pending = null;
          await this.transmit(step);
          if (step.kind !== 'cng') this.onEvent({ kind: 'tx-done' });
          continue;
        }
        if (!this.online) { await this.idle(); continue; }
        await this.listen();
      }
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
      this.log(`class 1: ${this.failure}`);
    }
    await this.modem.hangup().catch(() => {});
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => { this.kick = () => { this.kick = null; resolve(); }; });
  }

  private async transmit(step: TxStep): Promise<void> {
    switch (step.kind) {
      case 'cng': {
        // The modem sends CNG itself while it dials, then listens for V.21 (as +FRH=3).
        this.log(`class 1: dialling ${this.opts.number ?? ''}`);
        const first = await this.modem.dial(this.opts.number ?? '');
        this.online = true;
        if (first.kind === 'ok') this.deliver(first.value.data, first.value.fcsOk, first.value.final, false);
        return;
      }
      case 'ced':
        // The modem sends CED itself on ATA, then sends V.21 (as +FTH=3).
        while ((this.opts.waitForRing ?? true) && !this.rang && !this.hungUp) await this.idle();
        if (this.hungUp) return;
        await this.modem.answer();
        this.online = true;
        this.txConnected = true;
        return;
      case 'v21':
        await this.modem.sendHdlc(step.frames, this.txConnected);
        this.txConnected = false;
        return;
      case 'tcf': {
        await this.fastGap();
        await this.modem.sendData(modulationOf(step.modem), new Uint8Array(Math.round((step.modem.rate * 1.5) / 8)));
        return;
      }
      case 'page':
        await this.fastGap();
        await this.modem.sendData(modulationOf(step.modem, step.shortTrain), step.data);
        return;
      case 'ecm':
        await this.fastGap();
        await this.modem.sendHdlc(step.frames, false, modulationOf(step.modem, step.shortTrain));
        return;
      default: {
        const never: never = step;
        return never;
      }
    }
  }

  /** The 75 ms of silence T.30 wants before a fast-modem signal. */
  private async fastGap(): Promise<void> {
    this.txConnected = false;
    await this.modem.transmitSilence(80);
  }

  private carrier = false;

  private deliver(frame: Uint8Array, ok: boolean, final: boolean, fast: boolean): void {
    if (!fast && !this.carrier) { this.carrier = true; this.onEvent({ kind: 'v21-carrier', up: true }); }
    this.onEvent({ kind: 'frame', frame, ok, fast });
    if (!fast && final) { this.carrier = false; this.onEvent({ kind: 'v21-carrier', up: false }); }
  }

  private carrierLost(): void {
    if (this.carrier) { this.carrier = false; this.onEvent({ kind: 'v21-carrier', up: false }); }
  }

  private async listen(): Promise<void> {
    const mode = this.mode;
    if (mode.kind === 'v21') return this.listenV21();
    const mod = modulationOf(mode.modem, mode.shortTrain);
    if (mode.kind === 'ecm') {
      let frames = 0;
      for (;;) {
        const r = await this.modem.receiveHdlc(6000, mod);
        if (r.kind === 'ok') {
          if (frames++ === 0) this.onEvent({ kind: 'fast-trained', ok: true });
          this.deliver(r.value.data, r.value.fcsOk, false, true);
          continue;
        }
        if (r.kind === 'fcerror') return this.listenV21();
        if (frames > 0) this.onEvent({ kind: 'fast-end' });
        return;
      }
    }
    const r = await this.modem.receiveData(mod, 6000);
    if (r.kind === 'fcerror') return this.listenV21();
    if (r.kind !== 'ok') return;
    this.onEvent({ kind: 'fast-trained', ok: true });
    if (mode.kind === 'tcf') {
      const z = zeroRun(r.value);
      this.onEvent({ kind: 'tcf', longestZeros: z.longestZeros, bits: z.bits });
    } else {
      this.onEvent({ kind: 'page', data: r.value });
    }
  }

  private async listenV21(): Promise<void> {
    const r = await this.modem.receiveHdlc(6000, 3);
    if (r.kind === 'ok') this.deliver(r.value.data, r.value.fcsOk, r.value.final, false);
    else this.carrierLost();
  }
}
