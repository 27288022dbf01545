/**
 * A simulated Class 1 fax modem (the DCE side of T.31) and a simulated line joining two of them,
 * for testing the driver (driver.ts) and anything built on it without hardware. It speaks the
 * byte protocol a real modem does: AT command lines, result codes, CONNECT followed by
 * DLE-shielded data ending <DLE><ETX>, FCS added to sent frames and checked on received ones,
 * +FCERROR when the carrier heard is not the one asked for, any character aborting a receive.
 * Instead of modulating, the modems pass whole messages (an HDLC frame at a modulation, a data
 * burst at a modulation) across the line; a test may corrupt chosen frames.
 */
import { DleReader, shieldDle, DLE, ETX } from './dle';
import { appendFcs, crc16Update, CRC16_INIT, CRC16_GOOD_RESIDUE } from '../hdlc/crc16';
import type { Class1Transport } from './driver';

export type LineMessage =
  | { kind: 'hdlc'; mod: number; frame: Uint8Array /* with FCS */ }
  | { kind: 'data'; mod: number; bytes: Uint8Array }
  /** A fast-modem HDLC transmission (ECM block) ended: the receiver's +FRH sees NO CARRIER. */
  | { kind: 'carrier-end'; mod: number }
  | { kind: 'hangup' };

/** One end of the simulated line: a queue of messages from the far end. */
export class SimLineEnd {
  far!: SimLineEnd;
  onRing: (() => void) | null = null;
  /** Called for each message this end sends; may return a modified copy (to corrupt it). */
  tamper: ((m: LineMessage) => LineMessage) | null = null;
  private readonly inbox: LineMessage[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly timers: Pick<Class1Transport, 'setTimer'>) {}

  send(m: LineMessage): void {
    this.far.deliver(this.tamper ? this.tamper(m) : m);
  }

  ring(): void {
    this.far.onRing?.();
  }

  private deliver(m: LineMessage): void {
    this.inbox.push(m);
    this.wake?.();
  }

  /** Put a message back at the head (a carrier the receiver was not set up for stays on the line). */
  unshift(m: LineMessage): void {
    this.inbox.unshift(m);
  }

  /** The next message within `ms`, or null; `abort` resolves it early with null. */
  take(ms: number): { result: Promise<LineMessage | null>; abort(): void } {
    let abort = (): void => {};
    const result = new Promise<LineMessage | null>((resolve) => {
      const ready = this.inbox.shift();
      if (ready) { resolve(ready); return; }
      const cancel = this.timers.setTimer(ms, () => { this.wake = null; resolve(null); });
      this.wake = () => { const m = this.inbox.shift(); if (!m) return; this.wake = null; cancel(); resolve(m); };
      abort = () => { this.wake = null; cancel(); resolve(null); };
    });
    return { result, abort };
  }
}

export function simLine(timers: Pick<Class1Transport, 'setTimer'>): [SimLineEnd, SimLineEnd] {
  const a = new SimLineEnd(timers), b = new SimLineEnd(timers);
  a.far = b;
  b.far = a;
  return [a, b];
}

export interface SimModemOptions {
  /** Modulations offered by +FTM=? / +FRM=?. */
  modulations?: number[];
  manufacturer?: string;
  model?: string;
  /** How long +FRH/+FRM wait for a carrier before NO CARRIER, ms. */
  carrierWaitMs?: number;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
/** Deliver later, as a serial port would (never re-entrantly). */
const later = (fn: () => void): void => { void Promise.resolve().then(fn); };

export class SimClass1Modem {
  /** Bytes the modem sends to the DTE (wire this to Class1Modem.receive). */
  toDte: (bytes: Uint8Array) => void = () => {};
  /** Every command line the modem received. */
  readonly commands: string[] = [];

  private readonly mods: number[];
  private readonly opts: Required<Omit<SimModemOptions, 'modulations'>>;
  private cmdLine = '';
  private state: 'command' | 'tx-hdlc' | 'tx-data' | 'rx-wait' | 'offline' = 'offline';
  private txMod = 3;
  private readonly reader = new DleReader();
  private abortRx: (() => void) | null = null;
  private fclass = 0;

  constructor(private readonly line: SimLineEnd, opts: SimModemOptions = {}) {
    this.mods = opts.modulations ?? [24, 48, 72, 73, 74, 96, 97, 98, 121, 122, 145, 146];
    this.opts = { manufacturer: opts.manufacturer ?? 'webfax', model: opts.model ?? 'simulated Class 1 modem', carrierWaitMs: opts.carrierWaitMs ?? 3000 };
    this.state = 'command';
    line.onRing = () => this.say('RING');
  }

  /** Bytes from the DTE. */
  fromDte(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      if (this.state === 'tx-hdlc' || this.state === 'tx-data') {
        i = this.reader.feed(bytes, i);
        if (this.reader.done) this.endOfTxData();
        continue;
      }
      const b = bytes[i++]!;
      if (this.state === 'rx-wait') {
        // T.31: any character from the DTE aborts a pending receive.
        this.abortRx?.();
        continue;
      }
      if (b === 0x0d) {
        const cmd = this.cmdLine.trim();
        this.cmdLine = '';
        if (cmd) void this.command(cmd);
      } else if (b !== 0x0a) {
        this.cmdLine += String.fromCharCode(b);
      }
    }
  }

  private say(text: string): void {
    this.toDte(ascii(`\r\n${text}\r\n`));
  }

  private async command(raw: string): Promise<void> {
    this.commands.push(raw);
    const cmd = raw.toUpperCase().replace(/\s+/g, '');
    if (!cmd.startsWith('AT')) return this.say('ERROR');
    const body = cmd.slice(2);
    let m: RegExpMatchArray | null;
    if (body === '' || body === 'Z' || /^(E[01])?(V1)?$/.test(body)) return this.say('OK');
    if (body === '+FCLASS=1') { this.fclass = 1; return this.say('OK'); }
    if (body === '+FCLASS?') { this.say(String(this.fclass)); return this.say('OK'); }
    if (body === '+FCLASS=?') { this.say('0,1'); return this.say('OK'); }
    if (body === '+FTM=?' || body === '+FRM=?') { this.say(this.mods.join(',')); return this.say('OK'); }
    if (body === '+FTH=?' || body === '+FRH=?') { this.say('3'); return this.say('OK'); }
    if (body === '+FMI?') { this.say(this.opts.manufacturer); return this.say('OK'); }
    if (body === '+FMM?') { this.say(this.opts.model); return this.say('OK'); }
    if (body === '+FMR?') { this.say('1.0'); return this.say('OK'); }
    if (body.startsWith('H')) { this.line.send({ kind: 'hangup' }); return this.say('OK'); }
    if (this.fclass !== 1 && /^(\+F[TR][HM]=|D|A$)/.test(body)) return this.say('ERROR');
    if ((m = body.match(/^D[TP]?([0-9*#,WP+]*)$/))) {
      this.line.ring();
      return this.receive(3, 'hdlc', 60_000);
    }
    if (body === 'A') { this.txMod = 3; this.state = 'tx-hdlc'; this.reader.restart(); return this.say('CONNECT'); }
    if ((m = body.match(/^\+FTH=(\d+)$/))) {
      this.txMod = Number(m[1]);
      if (this.txMod !== 3 && !this.mods.includes(this.txMod)) return this.say('ERROR');
      this.state = 'tx-hdlc'; this.reader.restart(); return this.say('CONNECT');
    }
    if ((m = body.match(/^\+FTM=(\d+)$/))) {
      this.txMod = Number(m[1]);
      if (!this.mods.includes(this.txMod)) return this.say('ERROR');
      this.state = 'tx-data'; this.reader.restart(); return this.say('CONNECT');
    }
    if ((m = body.match(/^\+FRH=(\d+)$/))) return this.receive(Number(m[1]), 'hdlc', this.opts.carrierWaitMs);
    if ((m = body.match(/^\+FRM=(\d+)$/))) {
      if (!this.mods.includes(Number(m[1]))) return this.say('ERROR');
      return this.receive(Number(m[1]), 'data', this.opts.carrierWaitMs);
    }
    if (/^\+F[TR]S=\d+$/.test(body)) return this.say('OK');
    return this.say('ERROR');
  }

  private endOfTxData(): void {
    const data = this.reader.data();
    if (this.state === 'tx-hdlc' && data.length === 0) {
      // An empty frame ends the HDLC transmission.
      this.state = 'command';
      if (this.txMod !== 3) this.line.send({ kind: 'carrier-end', mod: this.txMod });
      this.say('OK');
    } else if (this.state === 'tx-hdlc') {
      this.line.send({ kind: 'hdlc', mod: this.txMod, frame: appendFcs(data) });
      const final = data.length >= 2 && (data[1]! & 0x10) !== 0;
      // After a non-final frame the modem keeps the carrier and asks for the next frame.
      this.reader.restart();
      if (final) this.state = 'command';
      if (final && this.txMod !== 3) this.line.send({ kind: 'carrier-end', mod: this.txMod });
      this.say(final ? 'OK' : 'CONNECT');
    } else {
      this.line.send({ kind: 'data', mod: this.txMod, bytes: data });
      this.state = 'command';
      this.say('OK');
    }
  }

  private async receive(mod: number, kind: 'hdlc' | 'data', ms: number): Promise<void> {
    this.state = 'rx-wait';
    const take = this.line.take(ms);
    let aborted = false;
    this.abortRx = () => { aborted = true; take.abort(); };
    const msg = await take.result;
    this.abortRx = null;
    this.state = 'command';
    if (aborted) return this.say('OK');
    if (!msg || msg.kind === 'hangup' || msg.kind === 'carrier-end') return this.say('NO CARRIER');
    if (msg.kind !== kind || msg.mod !== mod) {
      this.line.unshift(msg);
      return this.say('+FCERROR');
    }
    if (msg.kind === 'hdlc') {
      const good = crc16Update(CRC16_INIT, msg.frame) === CRC16_GOOD_RESIDUE;
      this.say('CONNECT');
      this.toDte(shieldDle(msg.frame));
      return this.say(good ? 'OK' : 'ERROR');
    }
    this.say('CONNECT');
    this.toDte(shieldDle(msg.bytes));
    this.say('NO CARRIER');
  }
}

/** Wire a driver transport to a simulated modem (bytes each way, delivered asynchronously like a port). */
export function simTransport(sim: SimClass1Modem, setTimer: Class1Transport['setTimer']): Class1Transport & { attach(receive: (b: Uint8Array) => void): void } {
  let toDriver: (b: Uint8Array) => void = () => {};
  sim.toDte = (b) => { const copy = b.slice(); later(() => toDriver(copy)); };
  return {
    write: (bytes) => { const copy = bytes.slice(); later(() => sim.fromDte(copy)); },
    setTimer,
    attach(receive) { toDriver = receive; },
  };
}

export { DLE, ETX };
