/**
 * A Class 1 fax modem driver (ITU-T T.31 / EIA-578 "Service Class 1"), the DTE side: it speaks AT
 * commands to a modem that does only the modulation (+FTH/+FRH: V.21 HDLC frames, +FTM/+FRM: the
 * fast modems' raw data, +FTS/+FRS: silence), so the T.30 procedure stays in our own engine.
 *
 * How: pure and transport-agnostic. Bytes from the modem go in through `receive()`; bytes to it
 * leave through `transport.write`; timeouts use `transport.setTimer`, so the same code runs over
 * Web Serial in the page and against a simulated modem in Node tests. Incoming bytes are parsed
 * in one of two modes: command mode splits lines (result codes, information text) and data mode
 * (entered on CONNECT after +FRH/+FRM/ATD) un-shields DLE until <DLE><ETX>. Parsed events go into
 * one queue that the single running operation consumes in order, so a fast modem's reply can
 * never be missed. Every failure is a Class1Error with a one-line message; nothing throws out of
 * `receive()`.
 */
import { DleReader, shieldDle } from './dle';
import { classifyLine, parseModulations, type FinalResult } from './results';

export interface Class1Transport {
  write(bytes: Uint8Array): Promise<void> | void;
  /** Call `fn` once after `ms` milliseconds; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export class Class1Error extends Error {
  constructor(message: string, readonly result?: FinalResult | 'timeout' | 'closed') {
    super(message);
  }
}

export interface ModemInfo {
  manufacturer: string;
  model: string;
  revision: string;
  /** +FTM=? / +FRM=? modulation numbers (see MODULATIONS in results.ts). */
  transmit: number[];
  receive: number[];
}

/** One HDLC frame from +FRH: address, control, FCF, info (FCS removed) and whether its FCS checked. */
export interface HdlcFrameIn { data: Uint8Array; fcsOk: boolean; final: boolean }

export type ReceiveOutcome<T> =
  | { kind: 'ok'; value: T }
  /** The modem heard a different carrier than asked for (+FCERROR). */
  | { kind: 'fcerror' }
  | { kind: 'no-carrier' }
  | { kind: 'timeout' };

type Event = { kind: 'final'; result: FinalResult; text: string; info: string[] } | { kind: 'data'; bytes: Uint8Array };

export interface Class1Options {
  /** Does the modem pass the two FCS octets of received frames (T.31 says it does)? Default true. */
  fcsFromModem?: boolean;
  /** Timeout of ordinary commands, ms. */
  commandTimeoutMs?: number;
}

/** AT commands are ASCII (core has no TextEncoder: it compiles without DOM or Node types). */
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

export class Class1Modem {
  /** Unsolicited RING from the modem. */
  onRing: (() => void) | null = null;
  /** Every command sent and every line received, for a log view. */
  onLog: ((dir: 'tx' | 'rx', text: string) => void) | null = null;

  private readonly fcsFromModem: boolean;
  private readonly commandTimeout: number;
  private mode: 'command' | 'data' = 'command';
  private expectData = false;
  private swallowLf = false;
  private line = '';
  private info: string[] = [];
  private readonly reader = new DleReader(4096);
  private readonly events: Event[] = [];
  private wake: (() => void) | null = null;
  /** Ends the current wait early (with null), for abortReceive(). */
  private interrupt: (() => void) | null = null;
  private closed: string | null = null;
  private busy = false;

  constructor(private readonly transport: Class1Transport, opts: Class1Options = {}) {
    this.fcsFromModem = opts.fcsFromModem ?? true;
    this.commandTimeout = opts.commandTimeoutMs ?? 5000;
  }

  // ---- bytes from the modem ----

  /** Feed bytes the modem sent. Never throws. */
  receive(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.mode === 'data') {
        if (this.swallowLf) {
          this.swallowLf = false;
          if (chunk[i] === 0x0a) { i++; continue; }
        }
        i = this.reader.feed(chunk, i);
        if (this.reader.done) {
          this.mode = 'command';
          this.push({ kind: 'data', bytes: this.reader.data() });
        }
        continue;
      }
      const b = chunk[i++]!;
      if (b === 0x0d || b === 0x0a) {
        if (this.line.length > 0) this.endLine(b === 0x0d);
        continue;
      }
      // Lines are short; a runaway line (noise on the port) is cut rather than grown forever.
      if (this.line.length < 512) this.line += String.fromCharCode(b);
    }
  }

  /** The port went away: every waiting operation fails with this reason. */
  lineClosed(reason: string): void {
    this.closed = reason;
    this.wake?.();
  }

  private endLine(byCr: boolean): void {
    const text = this.line;
    this.line = '';
    this.onLog?.('rx', text);
    const c = classifyLine(text);
    if (c.kind === 'ring') { this.onRing?.(); return; }
    if (c.kind === 'info') { this.info.push(c.text); return; }
    const info = this.info;
    this.info = [];
    if (c.result === 'CONNECT' && this.expectData) {
      // Everything after CONNECT<CR><LF> is shielded data.
      this.expectData = false;
      this.mode = 'data';
      this.swallowLf = byCr;
      this.reader.restart();
    }
    this.push({ kind: 'final', result: c.result, text: c.text, info });
  }

  private push(e: Event): void {
    this.events.push(e);
    this.wake?.();
  }

  /** The next parsed event, or null after `ms` (or when the line closes). */
  private next(ms: number): Promise<Event | null> {
    const ready = this.events.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const done = (e: Event | null): void => { this.wake = null; this.interrupt = null; resolve(e); };
      const cancel = this.transport.setTimer(ms, () => done(null));
      this.wake = () => {
        const e = this.events.shift();
        if (!e && !this.closed) return;
        cancel();
        done(e ?? null);
      };
      this.interrupt = () => { cancel(); done(null); };
    });
  }

  private async nextFinal(ms: number, what: string): Promise<Extract<Event, { kind: 'final' }>> {
    const e = await this.next(ms);
    if (!e) throw this.closed ? new Class1Error(`modem: ${this.closed}`, 'closed') : new Class1Error(`modem did not answer ${what} within ${ms} ms`, 'timeout');
    if (e.kind !== 'final') throw new Class1Error(`modem sent unexpected data after ${what}`);
    return e;
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Class1Error(`modem: ${this.closed}`, 'closed');
    await this.transport.write(bytes);
  }

  private async send(cmd: string): Promise<void> {
    this.onLog?.('tx', cmd);
    await this.write(ascii(`${cmd}\r`));
  }

  /** Run one operation at a time: T.31 is strictly command, response. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Class1Error('modem is busy with another command');
    this.busy = true;
    this.events.length = 0;
    this.info = [];
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  /** Send a command and wait for its final result; OK expected unless `accept` says otherwise. */
  private async command(cmd: string, ms = this.commandTimeout, accept: FinalResult[] = ['OK']): Promise<{ result: FinalResult; info: string[] }> {
    await this.send(cmd);
    const f = await this.nextFinal(ms, cmd);
    if (!accept.includes(f.result)) throw new Class1Error(`${cmd}: modem answered ${f.text}`, f.result);
    return { result: f.result, info: f.info };
  }

  // ---- the operations ----

  /** Any AT command; resolves with the information lines. Throws unless the modem says OK. */
  at(cmd: string, ms?: number): Promise<string[]> {
    return this.exclusive(async () => (await this.command(cmd, ms)).info);
  }

  /** Wake the modem, switch to Class 1, and ask what it can do. */
  init(): Promise<ModemInfo> {
    return this.exclusive(async () => {
      let awake = false;
      for (let tries = 0; tries < 3 && !awake; tries++) {
        try { await this.command('AT', 1000, ['OK', 'ERROR']); awake = true; } catch (e) { if (!(e instanceof Class1Error) || e.result !== 'timeout') throw e; }
      }
      if (!awake) throw new Class1Error('no modem answered AT (check the port and its speed)', 'timeout');
      await this.command('ATE0V1');
      await this.command('AT+FCLASS=1', this.commandTimeout, ['OK', 'ERROR']).then((r) => {
        if (r.result !== 'OK') throw new Class1Error('the modem does not support fax Class 1 (AT+FCLASS=1 gave ERROR)', 'ERROR');
      });
      const optional = async (cmd: string): Promise<string[]> => {
        const r = await this.command(cmd, this.commandTimeout, ['OK', 'ERROR']);
        return r.result === 'OK' ? r.info : [];
      };
      const transmit = parseModulations(await optional('AT+FTM=?'));
      const receive = parseModulations(await optional('AT+FRM=?'));
      const manufacturer = (await optional('AT+FMI?')).join(' ');
      const model = (await optional('AT+FMM?')).join(' ');
      const revision = (await optional('AT+FMR?')).join(' ');
      return { manufacturer, model, revision, transmit, receive };
    });
  }

  /** Dial; on CONNECT the modem is receiving V.21 HDLC (as if +FRH=3): returns the first frame. */
  dial(number: string, ms = 60_000): Promise<ReceiveOutcome<HdlcFrameIn>> {
    const digits = number.replace(/[^0-9*#,WPTwpt+]/g, '');
    return this.exclusive(() => this.receiveFrameAfter(`ATDT${digits}`, ms));
  }

  /** Answer a ringing line; on CONNECT the modem is sending V.21 HDLC (as if +FTH=3): follow with sendHdlc(frames, true). */
  answer(ms = 30_000): Promise<void> {
    return this.exclusive(async () => { await this.command('ATA', ms, ['CONNECT']); });
  }

  /**
   * Send HDLC frames at V.21 (or `mod`): frames are address, control, FCF, info without FCS (the
   * modem adds it). The last frame should carry the final bit (control 0x13). `connected`: the
   * modem already said CONNECT (after ATA, or a previous non-final frame).
   */
  sendHdlc(frames: Uint8Array[], connected = false, mod = 3): Promise<void> {
    return this.exclusive(async () => {
      if (!connected) await this.command(`AT+FTH=${mod}`, this.commandTimeout, ['CONNECT']);
      for (let i = 0; i < frames.length; i++) {
        await this.write(shieldDle(frames[i]!));
        // The modem answers CONNECT after a non-final frame (ready for the next), OK after the final one.
        const f = await this.nextFinal(this.commandTimeout + 3000, 'an HDLC frame');
        const last = i === frames.length - 1;
        if (f.result === 'OK' && last) return;
        if (f.result === 'CONNECT' && !last) continue;
        if (f.result === 'CONNECT' && last) {
          // Non-final last frame (e.g. an ECM block's RCP): an empty <DLE><ETX> ends the carrier.
          await this.write(shieldDle(new Uint8Array(0)));
          const end = await this.nextFinal(this.commandTimeout + 3000, 'the end of the HDLC transmission');
          if (end.result !== 'OK') throw new Class1Error(`ending the HDLC transmission: modem answered ${end.text}`, end.result);
          return;
        }
        throw new Class1Error(`sending HDLC frame ${i + 1}: modem answered ${f.text}`, f.result);
      }
    });
  }

  /** +FRH: receive one HDLC frame (V.21 unless `mod`). */
  receiveHdlc(ms = 6000, mod = 3): Promise<ReceiveOutcome<HdlcFrameIn>> {
    return this.exclusive(() => this.receiveFrameAfter(`AT+FRH=${mod}`, ms));
  }

  private async receiveFrameAfter(cmd: string, ms: number): Promise<ReceiveOutcome<HdlcFrameIn>> {
    const data = await this.receiveAfter(cmd, ms);
    if (data.kind !== 'ok') return data;
    const f = await this.nextFinal(this.commandTimeout, 'the end of an HDLC frame');
    if (f.result !== 'OK' && f.result !== 'ERROR') {
      if (f.result === 'NO CARRIER') return { kind: 'no-carrier' };
      throw new Class1Error(`${cmd}: modem answered ${f.text} after the frame`, f.result);
    }
    let bytes = data.value;
    if (this.fcsFromModem && bytes.length >= 2) bytes = bytes.subarray(0, bytes.length - 2);
    return { kind: 'ok', value: { data: bytes, fcsOk: f.result === 'OK', final: bytes.length >= 2 && (bytes[1]! & 0x10) !== 0 } };
  }

  /**
   * Give up a +FRH/+FRM (or ATD) that is still waiting for a carrier, so the caller can transmit
   * instead; it then ends as 'timeout'. Does nothing once data is flowing.
   */
  abortReceive(): void {
    if (this.expectData && this.mode === 'command') this.interrupt?.();
  }

  /** Send `cmd`, expect CONNECT then shielded data; returns the data. */
  private async receiveAfter(cmd: string, ms: number): Promise<ReceiveOutcome<Uint8Array>> {
    this.expectData = true;
    try {
      await this.send(cmd);
      const first = await this.next(ms);
      if (!first) {
        if (this.closed) throw new Class1Error(`modem: ${this.closed}`, 'closed');
        // T.31: any character aborts a pending receive; the modem then answers OK.
        this.expectData = false;
        await this.write(ascii('\x18'));
        await this.next(1000); // its OK (or a CONNECT that raced the abort); either way the receive is over
        this.mode = 'command';
        return { kind: 'timeout' };
      }
      if (first.kind !== 'final') throw new Class1Error(`${cmd}: modem sent data before CONNECT`);
      if (first.result === '+FCERROR') return { kind: 'fcerror' };
      if (first.result === 'NO CARRIER') return { kind: 'no-carrier' };
      if (first.result !== 'CONNECT') throw new Class1Error(`${cmd}: modem answered ${first.text}`, first.result);
      const data = await this.next(ms + 60_000);
      if (!data) throw new Class1Error(this.closed ? `modem: ${this.closed}` : `${cmd}: the data never ended (no <DLE><ETX>)`, this.closed ? 'closed' : 'timeout');
      if (data.kind !== 'data') throw new Class1Error(`${cmd}: unexpected ${data.text} inside data`);
      return { kind: 'ok', value: data.bytes };
    } finally {
      this.expectData = false;
    }
  }

  /** +FTM: send fast-modem data (TCF zeros or page data) at modulation `mod` (e.g. 96 = V.29 9600). */
  sendData(mod: number, data: Uint8Array, ms = 120_000): Promise<void> {
    return this.exclusive(async () => {
      await this.command(`AT+FTM=${mod}`, this.commandTimeout, ['CONNECT']);
      await this.write(shieldDle(data));
      const f = await this.nextFinal(ms, `AT+FTM=${mod} data`);
      if (f.result !== 'OK') throw new Class1Error(`AT+FTM=${mod}: modem answered ${f.text} after the data`, f.result);
    });
  }

  /** +FRM: receive fast-modem data until the carrier drops. */
  receiveData(mod: number, ms = 10_000): Promise<ReceiveOutcome<Uint8Array>> {
    return this.exclusive(async () => {
      const r = await this.receiveAfter(`AT+FRM=${mod}`, ms);
      if (r.kind !== 'ok') return r;
      // After <DLE><ETX> a modem says NO CARRIER (carrier lost, the normal end) or OK.
      const f = await this.nextFinal(this.commandTimeout, 'the end of the data');
      if (f.result !== 'OK' && f.result !== 'NO CARRIER') throw new Class1Error(`AT+FRM=${mod}: modem answered ${f.text} after the data`, f.result);
      return r;
    });
  }

  /** +FTS: stop transmitting and stay silent for `ms` (10 ms units). */
  transmitSilence(ms: number): Promise<void> {
    return this.exclusive(async () => { await this.command(`AT+FTS=${Math.max(0, Math.round(ms / 10))}`, this.commandTimeout + ms); });
  }

  /** +FRS: wait until the line has been silent for `ms`. */
  receiveSilence(ms: number, timeoutMs = 10_000): Promise<void> {
    return this.exclusive(async () => { await this.command(`AT+FRS=${Math.max(0, Math.round(ms / 10))}`, timeoutMs + ms); });
  }

  hangup(): Promise<void> {
    return this.exclusive(async () => { await this.command('ATH0', 10_000, ['OK', 'NO CARRIER', 'ERROR']); });
  }
}
