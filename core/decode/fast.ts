/**
 * The high-speed side of the recording analyser, one per channel: after a DCS it runs the
 * commanded fast receiver (from the modem registry) beside V.21 and sorts what it hears:
 *   - the first trained burst after a DCS is the TCF (1.5 s of zeros): counted as such;
 *   - later bursts carry the page: non-ECM bits go straight into a streaming T.4 decoder
 *     (coding and width from the DCS); ECM bits go through an HDLC deframer into FCD frames,
 *     kept by frame number so PPR retransmissions fill the holes; `endOfBlock` (called when the
 *     sender's PPS is heard) closes a complete block, and at the end of a page the blocks are
 *     decoded (T.6 or T.4) into the page image.
 * V.17 uses the long training for the TCF and the short one (reusing the equalizer) after it.
 * A recording that starts after the DCS: until a DCS is heard, probe receivers listen (V.29
 * 9600/7200, V.27ter 4800/2400, V.17 14400..7200 with the long training and, for recordings that
 * start after the TCF, with a cold short training). Several probes may train on one burst (V.17's
 * training is the same at every rate), so the trained ones keep their bits for 0.3 s and the one
 * whose bits look most like fax data (EOLs, HDLC flags, TCF zeros) is adopted as the call's
 * modem; its bits are replayed and its page is decoded both as MH and as MR, keeping the better
 * (`guessed` marks such pages). Pages cut by the recording are flagged `partial`: 'end' for a
 * page (or ECM block) still under way when the recording ends (decoded up to there), 'start' for
 * an ECM page whose first block heard is not block 0 (decoded from that block: T.4 from its first
 * EOL; T.6 cannot start without its reference rows). A non-ECM page already under way when the
 * recording starts cannot be had at all: its training is gone, so no receiver can lock to it.
 * Time: the caller stamps status events with the start of the sub-block being fed (20 ms).
 */
import { createReceiver, type ModemName, type Receiver } from '../modems/registry';
import { V17Receiver } from '../modems/v17-rx';
import type { ModemStatus } from '../modems/types';
import { HdlcRx } from '../hdlc/hdlc-rx';
import { T4Decoder, decodeImage } from '../t4/decode';
import type { Coding } from '../t4/encode';
import type { BilevelImage } from '../t4/image';
import { strideOf } from '../t4/image';
import { defaultDcsParams, type DcsParams } from '../t30/dis';

export interface BurstInfo {
  channel: number;
  modem: string;
  bitRate: number;
  start: number;
  end: number;
  /** 'tcf' | 'page' | 'ecm' | 'unknown' (training failed) */
  what: string;
  training: 'succeeded' | 'failed';
  reason?: string;
  bits: number;
  /** TCF: ones among the bits (a clean TCF has none). */
  ones?: number;
  /** ECM: good and bad FCD/RCP frames heard. */
  ecmFrames?: number;
  ecmBad?: number;
  /** Equalizer MSE at the end, when the receiver reports it. */
  mse?: number;
}

export interface PageInfo {
  channel: number;
  /** Time (samples) of the burst that completed the page. */
  start: number;
  end: number;
  image: BilevelImage;
  rows: number;
  badRows: number;
  ecm: boolean;
  coding: Coding;
  modem: string;
  bitRate: number;
  /** Why decoding stopped early, if it did. */
  error?: string;
  /** No DCS was heard: modem found by probing, coding by trying both. */
  guessed?: boolean;
  /** Part of the page is not in the recording: 'start' (it began earlier) or 'end' (it ends during the page). */
  partial?: 'start' | 'end';
}

interface Probe {
  modem: ModemName;
  rate: number;
  short: boolean;
  rx: Receiver;
  /** Sample of its last carrier-up, and of its training success (-1: not trained). */
  up: number;
  trainedAt: number;
  /** Bits heard since training, kept until the probes are compared. */
  bits: number[];
}

/** Probe order: the rates a fax most often uses first (ties in the scoring go to the earlier). */
const PROBES: [ModemName, number, boolean][] = [
  ['v17', 14400, false], ['v17', 14400, true], ['v29', 9600, false], ['v27ter', 4800, false],
  ['v17', 12000, false], ['v17', 12000, true], ['v17', 9600, false], ['v17', 9600, true],
  ['v17', 7200, false], ['v17', 7200, true], ['v29', 7200, false], ['v27ter', 2400, false],
];
/** How long trained probes collect bits before one is chosen (samples). */
const PROBE_WINDOW = 2400;
const PROBE_MAX_BITS = 8000;
/** Below this `faxLikeness` the bits are noise: no probe is adopted. */
const MIN_LIKENESS = 0.04;

const MODEM_NAMES: Record<string, ModemName> = { 'V.27ter': 'v27ter', 'V.29': 'v29', 'V.17': 'v17' };

export class FastListener {
  private rx: Receiver | null = null;
  private dcs: DcsParams | null = null;
  private modem: ModemName = 'v29';
  private tcfDone = false;
  private longTrained = false;
  // Current burst.
  private inBurst = false;
  private trained = false;
  private burst: BurstInfo | null = null;
  private now = 0;
  // Non-ECM page decoding.
  private t4: T4Decoder | null = null;
  private pageRows: Uint8Array[] = [];
  // ECM.
  private readonly hdlc: HdlcRx;
  private block = new Map<number, Uint8Array>();
  private pageBlocks: Uint8Array[] = [];
  private lastBlockKey = '';
  private lastPps: { page: number; blockNo: number; frames: number } | null = null;
  private pageMissing: string[] = [];
  private ecmGood = 0;
  private ecmBad = 0;
  // Probing (no DCS heard yet).
  private probes: Probe[] = [];
  private firstTrained = -1;
  /** ECM: number of the first block of the page being collected (-1: none yet). */
  private pageFirstBlock = -1;
  private guessed = false;
  private t4Alt: T4Decoder | null = null;
  private pageRowsAlt: Uint8Array[] = [];

  constructor(
    private readonly channel: number,
    private readonly onBurst: (b: BurstInfo) => void,
    private readonly onPage: (p: PageInfo) => void,
    opts: { probe?: boolean } = {},
  ) {
    this.hdlc = new HdlcRx((f, ok) => this.ecmFrame(f, ok), () => {}, { maxBytes: 300, minBytes: 5 });
    if (opts.probe) this.startProbes();
  }

  private startProbes(): void {
    for (const [modem, rate, short] of PROBES) {
      try {
        const probe: Probe = { modem, rate, short, rx: null as unknown as Receiver, up: 0, trainedAt: -1, bits: [] };
        probe.rx = createReceiver(modem, rate, (b) => this.probeBit(probe, b), (st) => this.probeStatus(probe, st), { shortTrain: short });
        this.probes.push(probe);
      } catch {
        // modem or rate not available in this build
      }
    }
  }

  private probeBit(p: Probe, bit: number): void {
    if (this.rx === p.rx) this.putBit(bit);
    else if (p.trainedAt >= 0 && p.bits.length < PROBE_MAX_BITS) p.bits.push(bit);
  }

  private probeStatus(p: Probe, st: ModemStatus): void {
    if (this.rx === p.rx) {
      this.status(st);
      return;
    }
    if (st.kind === 'carrier-up') p.up = this.now;
    if (st.kind === 'training-succeeded') {
      p.trainedAt = this.now;
      p.bits = [];
      if (this.firstTrained < 0) this.firstTrained = this.now;
    }
    if (st.kind === 'carrier-down' || st.kind === 'training-failed') {
      // A burst shorter than the window: choose now among what trained, else forget it.
      if (p.trainedAt >= 0 && st.kind === 'carrier-down') {
        this.chooseProbe();
        if (this.rx === p.rx) {
          this.status(st); // adopted: its (short) burst ends here
          return;
        }
      }
      p.trainedAt = -1;
      p.bits = [];
    }
  }

  /** Adopt the trained probe whose bits look most like fax data as the call's modem. */
  private chooseProbe(): void {
    let best: Probe | null = null;
    let bestScore = -1;
    for (const p of this.probes) {
      if (p.trainedAt < 0) continue;
      const s = faxLikeness(p.bits);
      if (s > bestScore) { best = p; bestScore = s; }
    }
    this.firstTrained = -1;
    if (!best || bestScore < MIN_LIKENESS) {
      // Only noise-like bits (a receiver trained on something else): keep probing.
      for (const p of this.probes) { p.trainedAt = -1; p.bits = []; }
      return;
    }
    const p = best;
    const family = p.modem === 'v17' ? 'V.17' : p.modem === 'v29' ? 'V.29' : 'V.27ter';
    this.dcs = { ...defaultDcsParams(), modem: family, bitRate: p.rate, twoD: true };
    this.modem = p.modem;
    this.rx = p.rx;
    this.probes = [];
    this.guessed = true;
    this.tcfDone = true;
    // A V.17 burst trains long only for the TCF; the pages that follow use the short training.
    this.longTrained = p.modem === 'v17';
    const now = this.now;
    this.now = p.up;
    this.status({ kind: 'carrier-up', sample: 0 });
    this.now = p.trainedAt;
    this.status({ kind: 'training-succeeded', sample: 0 });
    this.now = now;
    for (const b of p.bits) this.putBit(b);
  }

  /** A DCS was heard from this channel's sender: listen for its modem, expect a TCF next. */
  setDcs(dcs: DcsParams): void {
    this.finishNonEcmPage();
    this.probes = [];
    this.firstTrained = -1;
    this.guessed = false;
    this.dcs = dcs;
    this.modem = MODEM_NAMES[dcs.modem] ?? 'v29';
    this.tcfDone = false;
    this.longTrained = false;
    try {
      this.rx = createReceiver(this.modem, dcs.bitRate, (b) => this.putBit(b), (s) => this.status(s), {});
    } catch {
      this.rx = null; // no receiver for this modem/rate in this build
    }
    this.inBurst = false;
  }

  /** Feed audio; `now` is the sample index of samples[offset]. */
  rxAudio(samples: Float32Array, offset: number, length: number, now: number): void {
    for (let i = 0; i < length; i += 160) {
      this.now = now + i;
      const n = Math.min(160, length - i);
      if (this.rx) this.rx.rx(samples, offset + i, n);
      else {
        for (const p of this.probes) p.rx.rx(samples, offset + i, n);
        if (this.firstTrained >= 0 && this.now - this.firstTrained >= PROBE_WINDOW) this.chooseProbe();
      }
    }
  }

  private status(s: ModemStatus): void {
    const dcs = this.dcs!;
    switch (s.kind) {
      case 'carrier-up':
        this.inBurst = true;
        this.trained = false;
        this.burst = { channel: this.channel, modem: dcs.modem, bitRate: dcs.bitRate, start: this.now, end: this.now, what: 'unknown', training: 'failed', bits: 0 };
        break;
      case 'training-succeeded':
        if (!this.burst) break;
        this.trained = true;
        this.burst.training = 'succeeded';
        this.burst.what = !this.tcfDone ? 'tcf' : dcs.ecm ? 'ecm' : 'page';
        this.burst.ones = 0;
        if (this.burst.what === 'page') {
          this.startNonEcmPage();
          if (this.guessed) {
            this.hdlc.restart({ maxBytes: 300, minBytes: 5 });
            this.ecmGood = 0;
            this.ecmBad = 0;
          }
        }
        if (this.burst.what === 'ecm') {
          this.hdlc.restart({ maxBytes: 300, minBytes: 5 });
          this.ecmGood = 0;
          this.ecmBad = 0;
        }
        break;
      case 'training-failed':
        if (this.burst) this.burst.reason = s.reason;
        break;
      case 'carrier-down':
        this.endBurst();
        break;
      default:
        break;
    }
  }

  private endBurst(): void {
    const b = this.burst;
    if (!b || !this.inBurst) return;
    this.inBurst = false;
    b.end = this.now + 160;
    if (this.rx?.mse) b.mse = Math.round(this.rx.mse() * 1e4) / 1e4;
    if (this.trained) {
      if (b.what === 'tcf') {
        this.tcfDone = true;
        if (this.modem === 'v17') this.longTrained = true;
      }
      if (b.what === 'page' && this.guessed && this.ecmGood > 0) {
        // FCD frames in it: an ECM call. Drop the T.4 attempt; the frames wait for the PPS.
        this.t4 = null;
        this.t4Alt = null;
        this.pageRows = [];
        this.pageRowsAlt = [];
        this.dcs = { ...this.dcs!, ecm: true };
        b.what = 'ecm';
      }
      if (b.what === 'page') this.finishNonEcmPage();
      if (b.what === 'ecm') {
        b.ecmFrames = this.ecmGood;
        b.ecmBad = this.ecmBad;
      }
    }
    this.burst = null;
    this.onBurst(b);
    // Next burst: V.17 pages and ECM blocks use the short training once a long one succeeded.
    if (this.rx instanceof V17Receiver) this.rx.restart({ rate: this.dcs!.bitRate, shortTrain: this.longTrained });
    else this.rx?.restart?.();
  }

  private putBit(bit: number): void {
    if (!this.trained || !this.burst || (bit !== 0 && bit !== 1)) return;
    this.burst.bits++;
    switch (this.burst.what) {
      case 'tcf':
        if (bit) this.burst.ones!++;
        break;
      case 'page':
        this.t4?.putBit(bit);
        this.t4Alt?.putBit(bit);
        if (bit) this.burst.ones = (this.burst.ones ?? 0) + 1;
        if (this.guessed) this.hdlc.putBit(bit); // ECM or not is unknown too
        break;
      case 'ecm':
        this.hdlc.putBit(bit);
        break;
      default:
        break;
    }
  }

  // ---- non-ECM pages ----

  private coding(): Coding {
    const d = this.dcs!;
    return d.t6 ? 'mmr' : d.twoD ? 'mr' : 'mh';
  }

  private startNonEcmPage(): void {
    this.finishNonEcmPage();
    const width = this.dcs!.width;
    this.pageRows = [];
    this.t4 = new T4Decoder({ width, coding: this.coding(), onRow: (row) => this.pageRows.push(row.slice()) });
    this.pageRowsAlt = [];
    // Coding unknown (no DCS): decode as MH beside MR and keep the better.
    this.t4Alt = this.guessed ? new T4Decoder({ width, coding: 'mh', onRow: (row) => this.pageRowsAlt.push(row.slice()) }) : null;
  }

  /** `ending`: the recording ends while the page's burst is still on. */
  private finishNonEcmPage(ending = false): void {
    const t4 = this.t4;
    if (!t4) return;
    this.t4 = null;
    let stats = t4.end();
    let rows = this.pageRows;
    let coding = this.coding();
    if (this.t4Alt) {
      const alt = this.t4Alt.end();
      this.t4Alt = null;
      if (alt.rows - alt.badRows > stats.rows - stats.badRows) {
        stats = alt;
        rows = this.pageRowsAlt;
        coding = 'mh';
      }
    }
    this.pageRows = [];
    this.pageRowsAlt = [];
    if (stats.rows === 0 || (this.guessed && stats.rows === stats.badRows)) {
      // Nothing decodable. A guessed burst of (almost) all zeros was a TCF after all.
      if (this.guessed && this.burst && this.burst.bits > 1000 && (this.burst.ones ?? 0) * 50 < this.burst.bits) this.burst.what = 'tcf';
      return;
    }
    const d = this.dcs!;
    // A burst that trained carries its page from the first row (the training precedes the data).
    const partial = ending ? 'end' : undefined;
    this.onPage({
      channel: this.channel, start: this.burst?.start ?? this.now, end: this.now, image: this.rowsToImage(rows, d.width),
      rows: stats.rows, badRows: stats.badRows, ecm: false, coding, modem: d.modem, bitRate: d.bitRate, error: stats.error,
      ...(this.guessed ? { guessed: true } : {}), ...(partial ? { partial } : {}),
    });
  }

  private rowsToImage(rows: Uint8Array[], width: number): BilevelImage {
    const stride = strideOf(width);
    const data = new Uint8Array(stride * rows.length);
    rows.forEach((r, i) => data.set(r.subarray(0, stride), i * stride));
    const d = this.dcs!;
    return { width, height: rows.length, data, xDpi: 204, yDpi: d.superfine ? 391 : d.fine ? 196 : 98 };
  }

  // ---- ECM ----

  private ecmFrame(f: Uint8Array, ok: boolean): void {
    if (!ok) {
      this.ecmBad++;
      return;
    }
    this.ecmGood++;
    if (f.length >= 4 && (f[2]! & 0xfe) === 0x06) this.block.set(f[3]!, f.subarray(4));
  }

  /**
   * The sender's PPS (page, block, frames in the block, post-message code). When the block is
   * complete it joins the page; at MPS/EOP/EOM the page is decoded. Returns the missing frame
   * numbers (empty when complete).
   */
  endOfBlock(page: number, blockNo: number, frames: number, post: string): number[] {
    this.lastPps = { page, blockNo, frames };
    if (`${page}/${blockNo}` === this.lastBlockKey) {
      // A repeated PPS for a block already taken: the frames resent before it are not a new block.
      this.block = new Map();
      return [];
    }
    const missing: number[] = [];
    for (let i = 0; i < frames; i++) if (!this.block.has(i)) missing.push(i);
    if (missing.length) return missing;
    this.closeBlock(page, blockNo, frames, post, []);
    return missing;
  }

  /**
   * The sender's EOR: it gives up repeating the last block (after its PPRs) and goes on. What was
   * received of the block joins the page (missing frames skipped, so rows there decode as bad).
   */
  endOfRetransmission(post: string): void {
    const last = this.lastPps;
    if (!last) return;
    const missing: number[] = [];
    for (let i = 0; i < last.frames; i++) if (!this.block.has(i)) missing.push(i);
    this.closeBlock(last.page, last.blockNo, last.frames, post, missing);
  }

  /** The sender's CTC: it continues to correct at the rate its FIF names, with a long training. */
  continueToCorrect(ctc: DcsParams): void {
    if (!this.dcs) return;
    const dcs = { ...this.dcs, modem: ctc.modem, bitRate: ctc.bitRate };
    const block = this.block;
    const blocks = this.pageBlocks;
    const lastPps = this.lastPps;
    this.setDcs(dcs);
    this.tcfDone = true; // no TCF after CTC: the next burst is the block again
    this.block = block;
    this.pageBlocks = blocks;
    this.lastPps = lastPps;
  }

  private closeBlock(page: number, blockNo: number, frames: number, post: string, missing: number[]): void {
    const key = `${page}/${blockNo}`;
    if (key === this.lastBlockKey) return; // a repeated PPS for a block already taken
    this.lastBlockKey = key;
    const parts: Uint8Array[] = [];
    for (let i = 0; i < frames; i++) {
      const f = this.block.get(i);
      if (f) parts.push(f);
    }
    let len = 0;
    for (const f of parts) len += f.length;
    const data = new Uint8Array(len);
    let p = 0;
    for (const f of parts) { data.set(f, p); p += f.length; }
    if (this.pageBlocks.length === 0) this.pageFirstBlock = blockNo;
    this.pageBlocks.push(data);
    for (const m of missing) this.pageMissing.push(`${blockNo}:${m}`);
    this.block = new Map();
    if (post !== 'NULL') this.finishEcmPage();
  }

  /** `ending`: the recording ends during the page. */
  private finishEcmPage(ending = false): void {
    const d = this.dcs;
    if (!d || this.pageBlocks.length === 0) return;
    const partial = ending ? 'end' : this.guessed && this.pageFirstBlock > 0 ? 'start' : undefined;
    this.pageFirstBlock = -1;
    let len = 0;
    for (const b of this.pageBlocks) len += b.length;
    const all = new Uint8Array(len);
    let p = 0;
    for (const b of this.pageBlocks) { all.set(b, p); p += b.length; }
    this.pageBlocks = [];
    const missing = this.pageMissing;
    this.pageMissing = [];
    let coding = this.coding();
    const opts = { width: d.width, fillOrder: 2 as const, xDpi: 204, yDpi: d.superfine ? 391 : d.fine ? 196 : 98 };
    let res = decodeImage(all, { ...opts, coding });
    if (this.guessed) {
      // Coding unknown: ECM pages are mostly T.6; keep whichever reading gives more good rows.
      for (const c of ['mmr', 'mh'] as const) {
        const alt = decodeImage(all, { ...opts, coding: c });
        if (alt.rows - alt.badRows > res.rows - res.badRows) { res = alt; coding = c; }
      }
    }
    const error = [missing.length ? `ECM frames never received (block:frame): ${missing.join(' ')}` : '', res.error ?? ''].filter(Boolean).join('; ');
    this.onPage({
      channel: this.channel, start: this.now, end: this.now, image: res.image, rows: res.rows, badRows: res.badRows,
      ecm: true, coding, modem: d.modem, bitRate: d.bitRate, ...(error ? { error } : {}), ...(this.guessed ? { guessed: true } : {}),
      ...(partial ? { partial } : {}),
    });
  }

  /** End of recording: close an open burst and a page still being decoded. */
  flush(): void {
    if (this.firstTrained >= 0 && !this.rx) this.chooseProbe();
    if (this.inBurst && this.burst) {
      if (!this.trained && !this.burst.reason) this.burst.reason = 'the recording ends during the training';
      if (this.trained && this.burst.what === 'page' && !(this.guessed && this.ecmGood > 0)) this.finishNonEcmPage(true);
      this.endBurst();
    }
    this.finishNonEcmPage();
    // ECM frames heard with no PPS after them (the recording ends during the page): what came
    // in order joins the page, which ends there.
    if (this.dcs?.ecm && (this.block.size > 0 || this.pageBlocks.length > 0)) {
      const frames: number[] = [...this.block.keys()];
      const last = frames.length ? Math.max(...frames) + 1 : 0;
      const key = this.lastBlockKey;
      this.lastBlockKey = '';
      const blockNo = this.lastPps && `${this.lastPps.page}/${this.lastPps.blockNo}` === key ? this.lastPps.blockNo + 1 : this.pageBlocks.length;
      const missing: number[] = [];
      for (let i = 0; i < last; i++) if (!this.block.has(i)) missing.push(i);
      if (last) this.closeBlock(-1, blockNo, last, 'NULL', missing);
      this.finishEcmPage(true);
    }
  }
}

/**
 * How much a run of bits looks like fax data rather than a receiver at the wrong rate (which
 * gives scrambled noise): T.4 EOLs (11 zeros then a one), HDLC flags back to back (0x7E7E, as
 * between ECM frames), and long runs of zeros (TCF, white fill). Per bit, so probes with more
 * bits are not favoured. Random bits score about 0.006 (0.025 at worst in 200 tries of 3600 bits); fax data, TCF and ECM 0.1 and more.
 */
export function faxLikeness(bits: readonly number[]): number {
  if (bits.length === 0) return 0;
  let zeros = 0;
  let marks = 0;
  let longZeros = 0;
  let shift = 0;
  for (const b of bits) {
    shift = ((shift << 1) | b) & 0xffff;
    if (b === 0) {
      zeros++;
      if (zeros > 11) longZeros++;
    } else {
      if (zeros >= 11) marks++;
      zeros = 0;
    }
    if (shift === 0x7e7e) marks++; // two flags in a row: 1 in 65536 by chance
  }
  return (longZeros + 20 * marks) / bits.length;
}
