/**
 * A whole fax endpoint: the T.30 engine, the front end (modems, HDLC) and the T.4 codec joined.
 * Feed it one block of received audio and it fills one block to send (`process`); it counts time
 * by those blocks. Sending, it codes each page for the negotiated coding, width and minimum scan
 * time when the engine asks for it; receiving, it decodes each page the moment it is complete,
 * judges copy quality (non-ECM) and hands the page out through `onPage` before it is confirmed.
 */
import { T30Engine, type EngineOptions, type PageSink, type PageSource, type LineFormat, type Verdict } from '../t30/engine';
import { defaultCaps, type FaxCaps, type ModemFamily, type YRes } from '../t30/negotiate';
import type { CallResult, PageEvent } from '../t30/results';
import { FaxFrontEnd, type ModemFactory } from './frontend';
import { encodeImage } from '../t4/encode';
import { decodeImage } from '../t4/decode';
import { copyQuality, type QualityOptions } from '../t4/quality';
import type { BilevelImage } from '../t4/image';
import { rescaleLines } from '../docs/scale';
import { createReceiver, createTransmitter, hasReceiver, hasTransmitter } from '../modems/registry';

export interface ReceivedPage {
  /** 1-based. */
  pageNo: number;
  image: BilevelImage;
  /** How it came over the line. */
  coding: 'MH' | 'MR' | 'MMR';
  ecm: boolean;
  rows: number;
  badRows: number;
  maxConsecutiveBadRows: number;
  verdict: Verdict;
}

export interface EndpointOptions {
  role: 'calling' | 'answering';
  direction: 'send' | 'receive';
  ident?: string;
  /** Modem families we may use (default: all available). */
  modems?: ModemFamily[];
  /** Error correction mode (default on). */
  ecm?: boolean;
  /** ECM frame size when sending (default 256). */
  ecmFrameSize?: 64 | 256;
  /** Pages to send. */
  pages?: BilevelImage[];
  /** Copy-quality parameters for non-ECM pages, or false to confirm every page. */
  copyQuality?: QualityOptions | false;
  /** QualifyTSI-style acceptance list. */
  acceptIdents?: (string | RegExp)[];
  /** Test aid: answer the first N ECM PPS/RR with RNR. */
  rnrCount?: number;
  /** Where fast modems come from (default: the modem registry). */
  modemFactory?: ModemFactory;
  /** Transmit level, dBm0 (default -14). */
  powerDbm0?: number;
  /** Each received page, as soon as it is complete (before it is confirmed). */
  onPage?: (p: ReceivedPage) => void;
  onPageEvent?: (e: PageEvent) => void;
  onFrame?: EngineOptions['onFrame'];
  onPhaseE?: (r: CallResult) => void;
  log?: (line: string) => void;
}

export const registryModems: ModemFactory = {
  createTransmitter: (m, rate, getBit, o) => createTransmitter(m, rate, getBit, o),
  createReceiver: (m, rate, putBit, onStatus, o) => createReceiver(m, rate, putBit, onStatus, o),
};

function yResOf(img: BilevelImage): YRes {
  return img.yDpi >= 300 ? 'superfine' : img.yDpi >= 150 ? 'fine' : 'standard';
}

const Y_DPI: Record<YRes, number> = { standard: 98, fine: 196, superfine: 391 };

export class FaxEndpoint {
  readonly engine: T30Engine;
  readonly frontEnd: FaxFrontEnd;
  readonly received: ReceivedPage[] = [];
  private readonly opts: EndpointOptions;

  constructor(opts: EndpointOptions) {
    this.opts = opts;
    const factory = opts.modemFactory ?? registryModems;
    const families: ModemFamily[] = opts.modems ?? ['v27ter', 'v29', 'v17'];
    const usable = (m: ModemFamily) => families.includes(m) && (opts.modemFactory !== undefined || (hasTransmitter(m) && hasReceiver(m)));
    const caps: FaxCaps = { ...defaultCaps(), v27ter: usable('v27ter'), v29: usable('v29'), v17: usable('v17'), ecm: opts.ecm ?? true, ecm64: opts.ecmFrameSize === 64 };
    this.frontEnd = new FaxFrontEnd({ modems: factory, powerDbm0: opts.powerDbm0, log: opts.log });
    const pages = opts.pages ?? [];
    const source: PageSource = {
      pageCount: pages.length,
      pageFormat: (i) => ({ width: pages[i]!.width, yRes: yResOf(pages[i]!) }),
      encodePage: (i, f) => encodePage(pages[i]!, f),
    };
    const sink: PageSink = { receivePage: (data, f, pageNo) => this.receivePage(data, f, pageNo) };
    this.engine = new T30Engine(this.frontEnd, {
      role: opts.role,
      direction: opts.direction,
      ident: opts.ident,
      caps,
      source: opts.direction === 'send' ? source : undefined,
      sink: opts.direction === 'receive' ? sink : undefined,
      acceptIdents: opts.acceptIdents,
      rnrCount: opts.rnrCount,
      copyQualityCheck: opts.copyQuality !== false,
      log: opts.log,
      onPageEvent: opts.onPageEvent,
      onFrame: opts.onFrame,
      onPhaseE: opts.onPhaseE,
    });
    this.frontEnd.connect((ev) => this.engine.event(ev));
  }

  start(): void {
    this.engine.start();
  }

  /** One block: `rx` is what the line brought, `tx` is filled with what we send (same length). */
  process(rx: Float32Array, tx: Float32Array): void {
    this.frontEnd.rx(rx);
    this.frontEnd.tx(tx);
    this.engine.advance(rx.length);
  }

  get done(): boolean {
    return this.engine.done;
  }

  result(): CallResult {
    return this.engine.result();
  }

  /** The line is gone (peer hung up / EOF). */
  terminate(): void {
    this.engine.terminate();
  }

  private receivePage(data: Uint8Array, f: LineFormat, pageNo: number): Verdict {
    const coding = f.coding === 'MMR' ? 'mmr' : f.coding === 'MR' ? 'mr' : 'mh';
    const yDpi = Y_DPI[f.yRes];
    const d = decodeImage(data, { width: f.width, coding, fillOrder: 2, xDpi: 204, yDpi });
    let verdict: Verdict = 'MCF';
    if (!f.ecm && this.opts.copyQuality !== false) {
      verdict = copyQuality(d, { ...(this.opts.copyQuality || {}), yDpi });
      // A page whose carrier went before its RTC is cut short: ask for it again.
      if (!d.rtcSeen) verdict = 'RTN';
    }
    if (d.rows === 0) verdict = 'RTN';
    if (verdict !== 'RTN') {
      const page: ReceivedPage = {
        pageNo, image: d.image, coding: f.coding, ecm: f.ecm, rows: d.rows, badRows: d.badRows,
        maxConsecutiveBadRows: d.maxConsecutiveBadRows, verdict,
      };
      this.received.push(page);
      this.opts.onPage?.(page);
    }
    this.opts.log?.(`page ${pageNo}: ${d.rows} rows, ${d.badRows} bad (max run ${d.maxConsecutiveBadRows}) -> ${verdict}`);
    return verdict;
  }
}

/** Code a page for the line as the session asks. */
export function encodePage(img: BilevelImage, f: LineFormat): Uint8Array {
  if (img.width !== f.width) throw new Error(`page is ${img.width} pixels wide, the session ${f.width}`);
  // The far end takes only a coarser resolution: OR the lines together (docs/scale.ts).
  if (yResOf(img) !== f.yRes) img = rescaleLines(img, Y_DPI[f.yRes]);
  const coding = f.coding === 'MMR' ? 'mmr' : f.coding === 'MR' ? 'mr' : 'mh';
  const k = f.yRes === 'superfine' ? 8 : f.yRes === 'fine' ? 4 : 2;
  return encodeImage(img, { coding, k, minBitsPerRow: f.ecm ? 0 : f.minRowBits, rtc: true, fillOrder: 2 });
}
