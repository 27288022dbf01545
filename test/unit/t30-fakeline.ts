/**
 * A message-level fake line for T.30 engine tests: two engines, each with a fake front end, run
 * in lockstep 160-sample blocks. A transmission lasts as long as it would on the air (V.21 at
 * 300 bit/s with a 1 s preamble, TCF 1.5 s plus training, pages at the modem's rate), and at its
 * end the far side gets what a real front end would report: the frames (V.21 always heard; fast
 * frames and pages only when the far side listens with the same modem), TCF zero runs, page data.
 * Hooks let a test spoil TCFs, corrupt frames, or silence one side.
 */
import {
  T30Engine, type FaxIo, type TxStep, type RxMode, type IoEvent, type EngineOptions, type PageSource,
  type PageSink, type LineFormat, type Verdict,
} from '../../core/t30/engine';
import type { CallResult } from '../../core/t30/results';
import { defaultCaps, type FaxCaps } from '../../core/t30/negotiate';

const BLOCK = 160;

export interface Hooks {
  /** Return false to drop (corrupt) a frame in flight; called for every frame. */
  frameOk?: (frame: Uint8Array, fromCaller: boolean, fast: boolean, index: number) => boolean;
  /** Longest zero run a TCF yields (default: the whole 1.5 s). */
  tcfZeros?: (rate: number, nth: number) => number;
  /** Return true to make the far receiver fail to train on this fast burst (nth of its kind). */
  trainFails?: (kind: 'tcf' | 'page' | 'ecm', nth: number) => boolean;
  /** Silence the side from this sample on (it stops transmitting, as a dead peer). */
  deadAt?: { caller?: number; answerer?: number };
}

class FakeIo implements FaxIo {
  engine!: T30Engine;
  peer!: FakeIo;
  rx: RxMode = { kind: 'v21' };
  step: TxStep | null = null;
  remaining = 0;
  hungUp = false;
  dead = false;
  sentSteps: TxStep[] = [];
  private pending: TxStep | null = null;
  constructor(readonly isCaller: boolean) {}
  send(step: TxStep): void {
    this.sentSteps.push(step);
    this.step = step;
    this.remaining = duration(step) + 600; // 75 ms gap
    this.elapsed = 0;
    if (step.kind === 'cng') this.remaining = Infinity;
    this.pending = step;
  }
  receive(mode: RxMode): void { this.rx = mode; }
  hangUp(): void { this.hungUp = true; this.step = null; }
  get busy(): boolean { return this.step !== null && this.step.kind !== 'cng'; }
  private elapsed = 0;
  failing = false;
  tick(line: Line): void {
    if (!this.step || this.dead) return;
    if (this.step.kind === 'cng') return;
    // The far receiver trains shortly after the burst starts (and stops its T2 then).
    const s = this.step;
    if ((s.kind === 'page' || s.kind === 'ecm' || s.kind === 'tcf') && this.elapsed < 1600 && this.elapsed + BLOCK >= 1600) {
      const to = this.peer;
      if (!to.busy && !to.hungUp && to.rx.kind === s.kind && sameModem(to.rx, s)) {
        const nth = line.burstCount[s.kind]++;
        this.failing = line.hooks.trainFails?.(s.kind, nth) ?? false;
        to.engine.event({ kind: 'fast-carrier', up: true });
        to.engine.event({ kind: 'fast-trained', ok: !this.failing });
      }
    }
    this.elapsed += BLOCK;
    this.remaining -= BLOCK;
    if (this.remaining > 0) return;
    const done = this.pending!;
    this.step = null;
    this.pending = null;
    line.deliver(this, done);
    this.engine.event({ kind: 'tx-done' });
  }
}

function duration(step: TxStep): number {
  switch (step.kind) {
    case 'ced': return 8000 * 3;
    case 'cng': return 0;
    case 'v21': {
      let bytes = 0;
      for (const f of step.frames) bytes += f.length + 3;
      return 8000 + Math.round((bytes * 8 * 8000) / 300);
    }
    case 'tcf': return 8000 * 1.5 + 8000;
    case 'page': return Math.round((step.data.length * 8 * 8000) / step.modem.rate) + (step.shortTrain ? 800 : 8000);
    case 'ecm': {
      let bytes = 0;
      for (const f of step.frames) bytes += f.length + 3;
      return Math.round((bytes * 8 * 8000) / step.modem.rate) + (step.shortTrain ? 800 : 8000);
    }
  }
}

export class Line {
  caller: FakeIo;
  answerer: FakeIo;
  now = 0;
  frameIndex = 0;
  tcfCount = 0;
  constructor(readonly hooks: Hooks = {}) {
    this.caller = new FakeIo(true);
    this.answerer = new FakeIo(false);
    this.caller.peer = this.answerer;
    this.answerer.peer = this.caller;
  }

  burstCount = { tcf: 0, page: 0, ecm: 0 };

  deliver(from: FakeIo, step: TxStep): void {
    const to = from.peer;
    if (to.busy || to.hungUp) return; // half duplex: a transmitting side hears nothing
    if (step.kind === 'tcf' || step.kind === 'page' || step.kind === 'ecm') {
      const failed = from.failing;
      from.failing = false;
      if (to.rx.kind === step.kind && sameModem(to.rx, step)) to.engine.event({ kind: 'fast-carrier', up: false });
      if (failed) return;
    }
    const ev = (e: IoEvent) => to.engine.event(e);
    switch (step.kind) {
      case 'ced':
      case 'cng':
        return;
      case 'v21':
        ev({ kind: 'v21-carrier', up: true });
        for (const f of step.frames) {
          const ok = this.hooks.frameOk ? this.hooks.frameOk(f, from.isCaller, false, this.frameIndex++) : true;
          ev({ kind: 'frame', frame: f.slice(), ok, fast: false });
        }
        ev({ kind: 'v21-carrier', up: false });
        return;
      case 'tcf':
        if (to.rx.kind !== 'tcf' || !sameModem(to.rx, step)) return;
        ev({ kind: 'fast-trained', ok: true });
        ev({ kind: 'tcf', longestZeros: this.hooks.tcfZeros ? this.hooks.tcfZeros(step.modem.rate, this.tcfCount++) : step.modem.rate * 1.5, bits: step.modem.rate * 1.5 });
        return;
      case 'page':
        if (to.rx.kind !== 'page' || !sameModem(to.rx, step)) return;
        ev({ kind: 'fast-trained', ok: true });
        ev({ kind: 'page', data: step.data.slice() });
        return;
      case 'ecm':
        if (to.rx.kind !== 'ecm' || !sameModem(to.rx, step)) return;
        ev({ kind: 'fast-trained', ok: true });
        for (const f of step.frames) {
          const ok = this.hooks.frameOk ? this.hooks.frameOk(f, from.isCaller, true, this.frameIndex++) : true;
          ev({ kind: 'frame', frame: f.slice(), ok, fast: true });
        }
        ev({ kind: 'fast-end' });
        return;
    }
  }

  /** A side goes dead: its carrier drops mid-burst, so a trained far receiver sees the end of the signal. */
  private kill(io: FakeIo): void {
    io.dead = true;
    const s = io.step;
    io.step = null;
    const to = io.peer;
    if (!s || to.busy || to.hungUp || !('modem' in s) || to.rx.kind !== s.kind || !sameModem(to.rx, s)) return;
    if (s.kind === 'page') to.engine.event({ kind: 'page', data: s.data.slice(0, s.data.length >> 2) });
    else if (s.kind === 'ecm') to.engine.event({ kind: 'fast-end' });
  }

  /** Run until both engines reach phase E or `maxSeconds` of line time pass. */
  run(maxSeconds = 1200): void {
    const ce = this.caller.engine;
    const ae = this.answerer.engine;
    ce.start();
    ae.start();
    const end = maxSeconds * 8000;
    while (this.now < end && !(ce.done && ae.done)) {
      const d = this.hooks.deadAt;
      if (d?.caller !== undefined && this.now >= d.caller && !this.caller.dead) this.kill(this.caller);
      if (d?.answerer !== undefined && this.now >= d.answerer && !this.answerer.dead) this.kill(this.answerer);
      this.caller.tick(this);
      this.answerer.tick(this);
      this.now += BLOCK;
      if (!ce.done) ce.advance(BLOCK);
      if (!ae.done) ae.advance(BLOCK);
    }
  }
}

function sameModem(rx: RxMode, step: { modem: { family: string; rate: number } }): boolean {
  return 'modem' in rx && rx.modem.family === step.modem.family && rx.modem.rate === step.modem.rate;
}

/** Pages of pseudo-random bytes (no codec involved): what arrives must equal what left. */
export class FakeSource implements PageSource {
  readonly pages: Uint8Array[];
  formats: LineFormat[] = [];
  constructor(sizes: number[], readonly yRes: 'standard' | 'fine' | 'superfine' = 'standard', readonly width = 1728) {
    let seed = 12345;
    this.pages = sizes.map((n) => {
      const p = new Uint8Array(n);
      for (let i = 0; i < n; i++) { seed = (seed * 1103515245 + 12345) >>> 0; p[i] = seed >>> 24; }
      return p;
    });
  }
  get pageCount(): number { return this.pages.length; }
  pageFormat(): { width: number; yRes: 'standard' | 'fine' | 'superfine' } { return { width: this.width, yRes: this.yRes }; }
  encodePage(i: number, f: LineFormat): Uint8Array { this.formats.push(f); return this.pages[i]!; }
}

export class FakeSink implements PageSink {
  pages: Uint8Array[] = [];
  formats: LineFormat[] = [];
  constructor(readonly verdict: (pageNo: number, nth: number) => Verdict = () => 'MCF') {}
  private nth = 0;
  receivePage(data: Uint8Array, f: LineFormat, pageNo: number): Verdict {
    const v = this.verdict(pageNo, this.nth++);
    if (v !== 'RTN') { this.pages.push(data); this.formats.push(f); }
    return v;
  }
}

export interface CallSetup {
  senderRole?: 'calling' | 'answering';
  sizes?: number[];
  senderCaps?: Partial<FaxCaps>;
  receiverCaps?: Partial<FaxCaps>;
  hooks?: Hooks;
  sinkVerdict?: (pageNo: number, nth: number) => Verdict;
  receiverOpts?: Partial<EngineOptions>;
  senderOpts?: Partial<EngineOptions>;
  maxSeconds?: number;
  yRes?: 'standard' | 'fine' | 'superfine';
}

export interface CallOutcome {
  line: Line;
  source: FakeSource;
  sink: FakeSink;
  sender: CallResult;
  receiver: CallResult;
  senderLog: string[];
  receiverLog: string[];
}

/** One whole call over the fake line. */
export function fakeCall(setup: CallSetup = {}): CallOutcome {
  const line = new Line(setup.hooks);
  const source = new FakeSource(setup.sizes ?? [3000, 5000, 4000], setup.yRes ?? 'standard');
  const sink = new FakeSink(setup.sinkVerdict);
  const senderRole = setup.senderRole ?? 'calling';
  const senderIo = senderRole === 'calling' ? line.caller : line.answerer;
  const receiverIo = senderRole === 'calling' ? line.answerer : line.caller;
  const senderLog: string[] = [];
  const receiverLog: string[] = [];
  let sender: CallResult | null = null;
  let receiver: CallResult | null = null;
  senderIo.engine = new T30Engine(senderIo, {
    role: senderRole, direction: 'send', ident: 'SENDER 1', caps: { ...defaultCaps(), ...setup.senderCaps },
    source, log: (l) => senderLog.push(l), onPhaseE: (r) => { sender = r; }, ...setup.senderOpts,
  });
  receiverIo.engine = new T30Engine(receiverIo, {
    role: senderRole === 'calling' ? 'answering' : 'calling', direction: 'receive', ident: 'RECEIVER 2',
    caps: { ...defaultCaps(), ...setup.receiverCaps }, sink, log: (l) => receiverLog.push(l),
    onPhaseE: (r) => { receiver = r; }, ...setup.receiverOpts,
  });
  line.run(setup.maxSeconds ?? 1200);
  return {
    line, source, sink, senderLog, receiverLog,
    sender: sender ?? senderIo.engine.result(),
    receiver: receiver ?? receiverIo.engine.result(),
  };
}
