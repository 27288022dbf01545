/**
 * A whole fax call through a Class 1 modem: the T.30 engine (core/t30) on a Class1FaxIo, with
 * the same page coding and copy-quality judgement as the audio endpoint (core/fax/endpoint).
 * The engine's clock is advanced by real time (20 ms ticks from the injected timer), since the
 * modem, not our code, is producing the audio.
 */
import { T30Engine, type PageSink, type PageSource } from '../t30/engine';
import { defaultCaps, type ModemFamily } from '../t30/negotiate';
import type { CallResult, PageEvent } from '../t30/results';
import { encodePage, type ReceivedPage } from '../fax/endpoint';
import { decodeImage } from '../t4/decode';
import { copyQuality } from '../t4/quality';
import type { BilevelImage } from '../t4/image';
import type { Class1Modem } from './driver';
import { Class1FaxIo } from './fax-io';

export interface Class1CallOptions {
  role: 'calling' | 'answering';
  direction: 'send' | 'receive';
  ident?: string;
  modems?: ModemFamily[];
  ecm?: boolean;
  pages?: BilevelImage[];
  /** Number to dial (calling). */
  number?: string;
  /** Answering: wait for RING first (default true). */
  waitForRing?: boolean;
  onPage?: (p: ReceivedPage) => void;
  onPageEvent?: (e: PageEvent) => void;
  log?: (line: string) => void;
  /** Polled every tick: true ends the call (hang up). */
  shouldStop?: () => boolean;
  /** Repeating timer: call `fn` every `ms`; returns a stop function. */
  every(ms: number, fn: () => void): () => void;
}

const Y_DPI = { standard: 98, fine: 196, superfine: 391 } as const;
const yResOf = (img: BilevelImage): 'standard' | 'fine' | 'superfine' => (img.yDpi >= 300 ? 'superfine' : img.yDpi >= 150 ? 'fine' : 'standard');

export async function runClass1Call(modem: Class1Modem, o: Class1CallOptions): Promise<CallResult> {
  const io = new Class1FaxIo(modem, { number: o.number, waitForRing: o.waitForRing, log: o.log });
  const families = o.modems ?? ['v27ter', 'v29', 'v17'];
  const pages = o.pages ?? [];
  const source: PageSource = {
    pageCount: pages.length,
    pageFormat: (i) => ({ width: pages[i]!.width, yRes: yResOf(pages[i]!) }),
    encodePage: (i, f) => encodePage(pages[i]!, f),
  };
  const sink: PageSink = {
    receivePage(data, f, pageNo) {
      const coding = f.coding === 'MMR' ? 'mmr' : f.coding === 'MR' ? 'mr' : 'mh';
      const yDpi = Y_DPI[f.yRes];
      const d = decodeImage(data, { width: f.width, coding, fillOrder: 2, xDpi: 204, yDpi });
      let verdict = f.ecm ? 'MCF' as const : copyQuality(d, { yDpi });
      if (d.rows === 0) verdict = 'RTN';
      if (verdict !== 'RTN') {
        o.onPage?.({ pageNo, image: d.image, coding: f.coding, ecm: f.ecm, rows: d.rows, badRows: d.badRows, maxConsecutiveBadRows: d.maxConsecutiveBadRows, verdict });
      }
      return verdict;
    },
  };
  const engine = new T30Engine(io, {
    role: o.role,
    direction: o.direction,
    ident: o.ident,
    caps: { ...defaultCaps(), v27ter: families.includes('v27ter'), v29: families.includes('v29'), v17: families.includes('v17'), ecm: o.ecm ?? true },
    source: o.direction === 'send' ? source : undefined,
    sink: o.direction === 'receive' ? sink : undefined,
    log: o.log,
    onPageEvent: o.onPageEvent,
  });
  io.connect((ev) => engine.event(ev));
  engine.start();
  const stop = o.every(20, () => {
    if (o.shouldStop?.() && !engine.done) engine.terminate();
    engine.advance(160);
    if (engine.done) io.hangUp();
  });
  await io.run();
  stop();
  if (!engine.done) engine.terminate();
  return engine.result();
}
