/**
 * `webfax send`, `webfax receive` and `webfax call`: whole fax calls from the command line.
 *
 * send/receive run one endpoint against another fax endpoint started as COMMAND (e.g. spandsp's
 * `faxpeer`), exchanging 8 kHz signed 16-bit little-endian mono audio over its stdin/stdout in
 * 160-sample blocks in lockstep: we write one block, then read one, and so on. call runs two
 * webfax endpoints back to back in this process. All three can impair the line (--line), record
 * it (--wav, stereo: left = what we sent, right = what we heard) and write the phase E result as
 * JSON (--summary). Received pages go to DIR/received.tif (MMR unless --compression says other),
 * rewritten after every page so pages already confirmed are never lost.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from './command';
import { parseArgs, stringOption, flagOption, numberOption, UsageError, type OptionSpec, type ParsedArgs } from './args';
import { FaxEndpoint, type EndpointOptions, type ReceivedPage } from '../fax/endpoint';
import { runBackToBack, BLOCK, type LineDirection } from '../fax/call';
import { createLineModel, TcfSpoiler, trainingSamples } from '../fax/line';
import type { ModemFamily } from '../t30/negotiate';
import type { CallResult } from '../t30/results';
import { prepareDocument } from '../docs/prepare';
import type { ChopMode } from '../docs/chop';
import { writeTiff, type TiffCompression } from '../formats/tiff';
import { encodeWav } from '../formats/wav';
import type { BilevelImage } from '../t4/image';

const common: Record<string, OptionSpec> = {
  modems: { value: true, help: 'modems allowed, e.g. v17,v29,v27 (default all)' },
  ecm: { value: false, help: 'error correction mode (default on; --no-ecm turns it off)' },
  ident: { value: true, help: 'local identifier sent as TSI/CSI' },
  summary: { value: true, help: 'write the phase E result as JSON to PATH' },
  wav: { value: true, help: 'record the line to PATH (stereo: sent, heard)' },
  line: { value: true, help: 'impair the line: "noise=DBM0,snr=DB,gain=DB,offset=HZ,ppm=N,echo=DB@MS,loss=P,seed=N"' },
  'line-in': { value: true, help: 'impair only what we hear (same keys as --line)' },
  'line-out': { value: true, help: 'impair only what we send (same keys as --line)' },
  'spoil-tcf': { value: true, help: 'test aid: spoil the first N TCFs (sent or received) so the receiver answers FTT' },
  'spoil-page': { value: true, help: 'test aid: noise over 2 s of the first N page bursts (sent or received)' },
  'max-seconds': { value: true, help: 'give up after this much line time (default 900)' },
  log: { value: false, help: 'print the T.30 log to stderr' },
};

const sendOptions: Record<string, OptionSpec> = {
  peer: { value: true, help: 'the far end: a command speaking lockstep s16le audio on stdin/stdout' },
  calling: { value: false, help: 'we place the call (default for send)' },
  answering: { value: false, help: 'we answer (the peer calls and polls us)' },
  tagline: { value: true, help: 'tagline across the top of each page, e.g. "From %n|%c|Page %p of %t"' },
  chop: { value: true, help: 'page chop: cut the trailing white of the last page when at least INCHES of it (HylaFAX PageChopThreshold); none (default), last/all = 3 inches' },
  'chop-all': { value: false, help: 'with --chop INCHES: chop every page, not only the last' },
  'ecm-frame-size': { value: true, help: 'ECM frame size when sending: 256 (default) or 64' },
  ...common,
};

const receiveOptions: Record<string, OptionSpec> = {
  peer: { value: true, help: 'the far end: a command speaking lockstep s16le audio on stdin/stdout' },
  out: { value: true, help: 'directory for received.tif' },
  calling: { value: false, help: 'we place the call (and poll the peer)' },
  answering: { value: false, help: 'we answer (default for receive)' },
  accept: { value: true, help: 'accept only callers whose TSI matches one of these (comma-separated; /re/ for a regexp)' },
  'copy-quality': { value: false, help: 'copy-quality checking of non-ECM pages (default on)' },
  compression: { value: true, help: 'storage coding of received pages: mmr (default), mr, mh' },
  rnr: { value: true, help: 'test aid: answer the first N ECM partial pages with RNR (receiver not ready)' },
  ...common,
};

const callOptions: Record<string, OptionSpec> = {
  out: { value: true, help: 'directory for received.tif' },
  tagline: sendOptions.tagline!,
  chop: sendOptions.chop!,
  'chop-all': sendOptions['chop-all']!,
  'ecm-frame-size': sendOptions['ecm-frame-size']!,
  compression: receiveOptions.compression!,
  ...common,
};

function parseModems(s: string | undefined): ModemFamily[] | undefined {
  if (!s) return undefined;
  return s.split(',').map((m) => {
    const t = m.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
    if (t === 'v27' || t === 'v27ter') return 'v27ter';
    if (t === 'v29') return 'v29';
    if (t === 'v17') return 'v17';
    throw new UsageError(`--modems: unknown modem "${m}" (v17, v29, v27)`);
  });
}

function parseAccept(s: string | undefined): (string | RegExp)[] | undefined {
  if (!s) return undefined;
  return s.split(',').map((p) => {
    const t = p.trim();
    const m = /^\/(.*)\/$/.exec(t);
    return m ? new RegExp(m[1]!) : t;
  });
}

function storageCompression(args: ParsedArgs): TiffCompression {
  const c = stringOption(args, 'compression') ?? 'mmr';
  if (c !== 'mmr' && c !== 'mr' && c !== 'mh' && c !== 'none') throw new UsageError(`--compression must be mmr, mr, mh or none`);
  return c;
}

/** --chop INCHES [--chop-all], or the words none / last / all (3 inches, HylaFAX's default). */
function chopOptions(args: ParsedArgs): { chop: ChopMode; chopThreshold?: number } {
  const all = flagOption(args, 'chop-all');
  const v = stringOption(args, 'chop');
  if (v === undefined) {
    if (all) throw new UsageError('--chop-all needs --chop INCHES');
    return { chop: 'none' };
  }
  if (v === 'none' || v === 'last' || v === 'all') {
    if (all && v !== 'all') throw new UsageError(`--chop-all with --chop ${v}`);
    return { chop: v };
  }
  const inches = Number(v);
  if (v.trim() === '' || !Number.isFinite(inches) || inches < 0) throw new UsageError(`--chop must be a number of inches >= 0 (or none, last, all), got "${v}"`);
  return { chop: all ? 'all' : 'last', chopThreshold: inches };
}

async function loadPages(path: string, args: ParsedArgs, ident: string | undefined): Promise<BilevelImage[]> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new Error(`cannot read ${path}`);
  }
  const { chop, chopThreshold } = chopOptions(args);
  const pages = await prepareDocument(bytes, { tagline: stringOption(args, 'tagline'), ident, chop, chopThreshold });
  if (pages.length === 0) throw new Error(`${path}: no pages`);
  return pages;
}

/** Writes received pages to DIR/received.tif, the whole file again after every page. */
class PageStore {
  readonly pages: BilevelImage[] = [];
  readonly file: string;
  constructor(dir: string, private readonly compression: TiffCompression) {
    mkdirSync(dir, { recursive: true });
    this.file = resolve(dir, 'received.tif');
  }
  add(p: ReceivedPage): void {
    this.pages.push(p.image);
    writeFileSync(this.file, writeTiff(this.pages, { compression: this.compression, software: 'webfax' }));
  }
}

function lineModels(args: ParsedArgs): { toPeer?: LineDirection; fromPeer?: LineDirection } {
  const both = stringOption(args, 'line');
  const make = (name: string, spec: string | undefined, stream: number): LineDirection | undefined => {
    if (!spec) return undefined;
    try {
      return createLineModel(spec, stream);
    } catch (e) {
      throw new UsageError(`--${name}: ${(e as Error).message}`);
    }
  };
  return {
    toPeer: make('line-out', stringOption(args, 'line-out') ?? both, 0),
    fromPeer: make('line-in', stringOption(args, 'line-in') ?? both, 1),
  };
}

/** Where a TCF's zeros are in the block we are about to send (-1: not in a TCF). */
function sentTcfPos(ep: FaxEndpoint): number {
  const fe = ep.frontEnd;
  const st = fe.txStep;
  if (fe.txOnAir !== 'tcf' || !st || st.kind !== 'tcf') return -1;
  // The block on its way out ended at txSignalSamples.
  return fe.txSignalSamples - BLOCK - trainingSamples(st.modem.family, st.modem.rate);
}

/** Where the zeros of a TCF we are receiving are in the block we are about to hear (-1: none). */
function heardTcfPos(ep: FaxEndpoint): number {
  const fe = ep.frontEnd;
  if (fe.rxMode !== 'tcf' || fe.fastTrainedAt < fe.rxModeSince) return -1;
  return fe.sample - fe.fastTrainedAt;
}

/** The same for the data of a page or ECM burst going out. */
function sentPagePos(ep: FaxEndpoint): number {
  const fe = ep.frontEnd;
  const st = fe.txStep;
  if ((fe.txOnAir !== 'page' && fe.txOnAir !== 'ecm') || !st || (st.kind !== 'page' && st.kind !== 'ecm')) return -1;
  const train = st.shortTrain && st.modem.family === 'v17' ? 1200 : trainingSamples(st.modem.family, st.modem.rate);
  return fe.txSignalSamples - BLOCK - train;
}

/** ... and of a page or ECM burst coming in. */
function heardPagePos(ep: FaxEndpoint): number {
  const fe = ep.frontEnd;
  if ((fe.rxMode !== 'page' && fe.rxMode !== 'ecm') || fe.fastTrainedAt < fe.rxModeSince) return -1;
  return fe.sample - fe.fastTrainedAt;
}

/**
 * The test aids --spoil-tcf N and --spoil-page N, one implementation for the peer loop and for
 * `call`: noise over the first N TCFs / page bursts where the receiving side's front end says it
 * is in one. `sent` spoils a block the document's sender is about to put on the line, `heard` a
 * block the document's receiver is about to hear (its own front end knows where the burst is).
 */
class Spoilers {
  private readonly tcf: TcfSpoiler | null;
  private readonly page: TcfSpoiler | null;
  constructor(args: ParsedArgs) {
    const nTcf = numberOption(args, 'spoil-tcf', 0);
    const nPage = numberOption(args, 'spoil-page', 0);
    this.tcf = nTcf > 0 ? new TcfSpoiler(nTcf) : null;
    this.page = nPage > 0 ? new TcfSpoiler(nPage, 8000, 24000) : null;
  }
  get active(): boolean {
    return this.tcf !== null || this.page !== null;
  }
  sent(sender: FaxEndpoint, block: Float32Array): void {
    this.tcf?.apply(block, sentTcfPos(sender));
    this.page?.apply(block, sentPagePos(sender));
  }
  heard(receiver: FaxEndpoint, block: Float32Array): void {
    this.tcf?.apply(block, heardTcfPos(receiver));
    this.page?.apply(block, heardPagePos(receiver));
  }
}

/** A growing recording of both directions. */
class Recorder {
  private sent: Float32Array[] = [];
  private heard: Float32Array[] = [];
  add(sent: Float32Array, heard: Float32Array): void {
    this.sent.push(sent.slice());
    this.heard.push(heard.slice());
  }
  write(path: string): void {
    const join = (parts: Float32Array[]) => {
      const out = new Float32Array(parts.length * BLOCK);
      parts.forEach((p, i) => out.set(p, i * BLOCK));
      return out;
    };
    writeFileSync(path, encodeWav([join(this.sent), join(this.heard)], 8000, 'pcm16'));
  }
}

function summaryJson(r: CallResult, extra: Record<string, unknown>): string {
  return JSON.stringify({
    ok: r.ok, status: r.status, status_text: r.statusText, role: r.role, direction: r.direction,
    pages_sent: r.pagesSent, pages_confirmed: r.pagesConfirmed, pages_received: r.pagesReceived,
    modem: r.modem, bit_rate: r.bitRate, ecm: r.ecm, coding: r.coding, resolution: r.resolution, width: r.width,
    remote_ident: r.remoteIdent, ecm_retries: r.ecmRetries, elapsed_s: r.endSample / 8000,
    page_events: r.pageEvents.map((e) => ({ ...e, t: e.sample / 8000 })), ...extra,
  });
}

// ---------------------------------------------------------------- the lockstep peer

/** Reads fixed-size blocks from a stream; resolves null at EOF. */
class BlockReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private ended = false;
  private waiter: (() => void) | null = null;
  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (c: Buffer) => { this.chunks.push(c); this.have += c.length; this.wake(); });
    stream.on('end', () => { this.ended = true; this.wake(); });
    stream.on('error', () => { this.ended = true; this.wake(); });
  }
  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
  async read(n: number): Promise<Buffer | null> {
    while (this.have < n) {
      if (this.ended) return null;
      await new Promise<void>((r) => { this.waiter = r; });
    }
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.have = rest.length;
    return out;
  }
}

function toS16(x: Float32Array, out: Buffer): void {
  for (let i = 0; i < x.length; i++) {
    let v = Math.round(x[i]! * 32768);
    if (v > 32767) v = 32767; else if (v < -32768) v = -32768;
    out.writeInt16LE(v, i * 2);
  }
}

function fromS16(b: Buffer, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = b.readInt16LE(i * 2) / 32768;
}

interface PeerRun {
  samples: number;
  peerExit: number | null;
  peerEofAt: number | null;
}

/** Run `ep` against the peer command in lockstep until our phase E (or the time limit). */
async function runWithPeer(ep: FaxEndpoint, command: string, args: ParsedArgs, rec: Recorder | null): Promise<PeerRun> {
  const maxSamples = numberOption(args, 'max-seconds', 900) * 8000;
  const verbose = flagOption(args, 'log');
  const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr!.on('data', (c: Buffer) => { if (verbose) process.stderr.write(c); else stderr.push(c); });
  child.stdin!.on('error', () => {});
  let exitCode: number | null = null;
  const exited = new Promise<void>((r) => child.on('close', (code) => { exitCode = code ?? -1; r(); }));
  let spawnError: Error | null = null;
  child.on('error', (e) => { spawnError = e; });
  const reader = new BlockReader(child.stdout!);
  const { toPeer, fromPeer } = lineModels(args);
  const out = new Float32Array(BLOCK);
  const heard = new Float32Array(BLOCK);
  const sentCopy = new Float32Array(BLOCK);
  const wire = Buffer.alloc(BLOCK * 2);
  let samples = 0;
  let peerGone = false;
  let eofAt: number | null = null;
  const spoilers = new Spoilers(args);
  const sending = ep.engine.options.direction === 'send';
  ep.start();
  // After our phase E keep the peer fed with silence (it may still be sending its DCN or
  // finishing its own phase E), up to 5 s, until it exits.
  let tail = 250;
  while (samples < maxSamples && tail > 0) {
    sentCopy.set(out);
    if (sending) spoilers.sent(ep, sentCopy);
    if (toPeer) toPeer.process(sentCopy, heard);
    if (!peerGone) {
      toS16(sentCopy, wire);
      child.stdin!.write(Buffer.from(wire));
      const b = await reader.read(BLOCK * 2);
      if (b === null) { peerGone = true; eofAt = samples; heard.fill(0); } else fromS16(b, heard);
    } else {
      heard.fill(0);
    }
    if (spawnError) throw new Error(`cannot start peer: ${(spawnError as Error).message}`);
    if (!sending) spoilers.heard(ep, heard);
    if (fromPeer) fromPeer.process(heard, out);
    rec?.add(out, heard);
    if (!ep.done) ep.process(heard, out);
    else { out.fill(0); tail--; if (peerGone) break; }
    samples += BLOCK;
  }
  if (!ep.done) ep.terminate();
  child.stdin!.end();
  const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
  await exited;
  clearTimeout(timer);
  if (exitCode === 127) {
    throw new Error(`peer command failed to start: ${Buffer.concat(stderr).toString().trim().split('\n').pop() ?? command}`);
  }
  return { samples, peerExit: exitCode, peerEofAt: eofAt };
}

type FrameLine = { dir: 'tx' | 'rx'; name: string; hex: string; t: number };

/** A frame log for the summary: every control frame, both directions, with its time. */
function frameLog(into: FrameLine[]): EndpointOptions['onFrame'] {
  return (f) => into.push({ dir: f.dir, name: f.name, hex: f.hex, t: f.sample / 8000 });
}

function commonEndpointOptions(args: ParsedArgs, logLines: string[] | null): Partial<EndpointOptions> {
  const fs = args.options.has('ecm-frame-size') ? numberOption(args, 'ecm-frame-size', 256) : 256;
  if (fs !== 64 && fs !== 256) throw new UsageError('--ecm-frame-size must be 64 or 256');
  return {
    ecmFrameSize: fs,
    ident: stringOption(args, 'ident'),
    modems: parseModems(stringOption(args, 'modems')),
    ecm: flagOption(args, 'ecm', true),
    log: logLines ? (l) => logLines.push(l) : undefined,
  };
}

function finish(r: CallResult, args: ParsedArgs, extra: Record<string, unknown>, rec: Recorder | null): number {
  const json = summaryJson(r, extra);
  const summary = stringOption(args, 'summary');
  if (summary) writeFileSync(summary, json + '\n');
  else console.log(json);
  const wav = stringOption(args, 'wav');
  if (wav && rec) rec.write(wav);
  return r.ok ? 0 : 1;
}

function roleOf(args: ParsedArgs, dflt: 'calling' | 'answering'): 'calling' | 'answering' {
  const c = flagOption(args, 'calling');
  const a = flagOption(args, 'answering');
  if (c && a) throw new UsageError('--calling and --answering together');
  return c ? 'calling' : a ? 'answering' : dflt;
}

export const sendCommand: Command = {
  name: 'send',
  summary: 'Send a document to a fax endpoint (a command speaking lockstep audio)',
  usage: 'send DOC --peer "COMMAND" [options]',
  options: sendOptions,
  async run(argv) {
    const args = parseArgs(argv, sendOptions);
    const doc = args.positionals[0];
    if (!doc) throw new UsageError('which document? (send DOC --peer "COMMAND")');
    const peer = stringOption(args, 'peer');
    if (!peer) throw new UsageError('--peer "COMMAND" is required');
    const verbose = flagOption(args, 'log');
    const pages = await loadPages(doc, args, stringOption(args, 'ident'));
    const frames: FrameLine[] = [];
    const ep = new FaxEndpoint({
      role: roleOf(args, 'calling'), direction: 'send', pages, onFrame: frameLog(frames),
      ...commonEndpointOptions(args, null),
      log: verbose ? (l) => process.stderr.write(l + '\n') : undefined,
    });
    const rec = stringOption(args, 'wav') ? new Recorder() : null;
    const run = await runWithPeer(ep, peer, args, rec);
    return finish(ep.result(), args, { document: doc, pages_in_document: pages.length, audio_s: run.samples / 8000, peer_exit: run.peerExit, frames }, rec);
  },
};

export const receiveCommand: Command = {
  name: 'receive',
  summary: 'Receive a fax from a fax endpoint (a command speaking lockstep audio)',
  usage: 'receive --out DIR --peer "COMMAND" [options]',
  options: receiveOptions,
  async run(argv) {
    const args = parseArgs(argv, receiveOptions);
    const peer = stringOption(args, 'peer');
    if (!peer) throw new UsageError('--peer "COMMAND" is required');
    const dir = stringOption(args, 'out');
    if (!dir) throw new UsageError('--out DIR is required');
    const store = new PageStore(dir, storageCompression(args));
    const verbose = flagOption(args, 'log');
    const frames: FrameLine[] = [];
    const ep = new FaxEndpoint({
      role: roleOf(args, 'answering'), direction: 'receive', onFrame: frameLog(frames),
      ...commonEndpointOptions(args, null),
      acceptIdents: parseAccept(stringOption(args, 'accept')),
      rnrCount: numberOption(args, 'rnr', 0),
      copyQuality: flagOption(args, 'copy-quality', true) ? {} : false,
      onPage: (p) => store.add(p),
      log: verbose ? (l) => process.stderr.write(l + '\n') : undefined,
    });
    const rec = stringOption(args, 'wav') ? new Recorder() : null;
    const run = await runWithPeer(ep, peer, args, rec);
    return finish(ep.result(), args, { file: store.pages.length ? store.file : null, audio_s: run.samples / 8000, peer_exit: run.peerExit, frames }, rec);
  },
};

export const callCommand: Command = {
  name: 'call',
  summary: 'Fax a document between two webfax endpoints in one process',
  usage: 'call DOC --out DIR [options]',
  options: callOptions,
  async run(argv) {
    const args = parseArgs(argv, callOptions);
    const doc = args.positionals[0];
    if (!doc) throw new UsageError('which document? (call DOC --out DIR)');
    const dir = stringOption(args, 'out');
    if (!dir) throw new UsageError('--out DIR is required');
    const ident = stringOption(args, 'ident');
    const pages = await loadPages(doc, args, ident);
    const store = new PageStore(dir, storageCompression(args));
    const verbose = flagOption(args, 'log');
    const base = commonEndpointOptions(args, null);
    const txFrames: FrameLine[] = [];
    const rxFrames: FrameLine[] = [];
    const caller = new FaxEndpoint({
      ...base, role: 'calling', direction: 'send', pages, ident: ident ?? 'WEBFAX TX', onFrame: frameLog(txFrames),
      log: verbose ? (l) => process.stderr.write(`TX ${l}\n`) : undefined,
    });
    const answerer = new FaxEndpoint({
      ...base, role: 'answering', direction: 'receive', ident: 'WEBFAX RX', onPage: (p) => store.add(p), onFrame: frameLog(rxFrames),
      log: verbose ? (l) => process.stderr.write(`RX ${l}\n`) : undefined,
    });
    const spec = stringOption(args, 'line');
    let aToB: LineDirection | undefined;
    let bToA: LineDirection | undefined;
    if (spec) {
      try { aToB = createLineModel(spec, 0); bToA = createLineModel(spec, 1); } catch (e) { throw new UsageError(`--line: ${(e as Error).message}`); }
    }
    const rec = stringOption(args, 'wav') ? new Recorder() : null;
    const spoilers = new Spoilers(args);
    const t0 = process.cpuUsage();
    const run = runBackToBack(caller, answerer, {
      maxSeconds: numberOption(args, 'max-seconds', 900), aToB, bToA,
      // The answerer receives the document: spoil what it hears, where its front end sees the burst.
      hear: spoilers.active ? (heardByB) => spoilers.heard(answerer, heardByB) : undefined,
      tap: rec ? (heardByB, heardByA) => rec.add(heardByB, heardByA) : undefined,
    });
    const cpu = process.cpuUsage(t0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const tx = caller.result();
    const rx = answerer.result();
    const ok = tx.ok && rx.ok;
    const json = JSON.stringify({
      ok, tx: JSON.parse(summaryJson(tx, { frames: txFrames })), rx: JSON.parse(summaryJson(rx, { frames: rxFrames })),
      pages_in_document: pages.length, file: store.pages.length ? store.file : null,
      audio_s: run.samples / 8000, cpu_s: cpuS, speed: cpuS > 0 ? run.samples / 8000 / cpuS : null,
    });
    const summary = stringOption(args, 'summary');
    if (summary) writeFileSync(summary, json + '\n'); else console.log(json);
    const wav = stringOption(args, 'wav');
    if (wav && rec) rec.write(wav);
    return ok ? 0 : 1;
  },
};
