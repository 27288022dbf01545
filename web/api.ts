/**
 * The contract between the page (main thread) and the engine worker (engine.worker.ts, via
 * comlink). Small, structured-clone-friendly types of our own, so the views do not depend on the
 * shapes inside core/; the worker adapts core's reports to these.
 */

/** What the Decode view hands the worker. */
export interface DecodeInput {
  name: string;
  /** The file's bytes (WAV, raw, pcap/pcapng): the worker sniffs the format. */
  bytes?: ArrayBuffer;
  /** Audio the browser already decoded (FLAC/Ogg via decodeAudioData): one array per channel, 1.0 = full scale. */
  audio?: { rate: number; channels: Float32Array[] };
  /** For headerless raw files: the sample encoding and rate (default s16le at 8000 Hz). */
  raw?: { encoding: 's16le' | 'ulaw' | 'alaw'; rate: number };
}

export interface Progress {
  /** 0..1 */
  fraction: number;
  stage: string;
}

export interface ViewTone { kind: string; start: number; end: number; dir?: string }
export interface ViewField { name: string; value: string }
export interface ViewFrame {
  /** Seconds from the start of the recording. */
  t: number;
  dir?: string;
  name: string;
  final: boolean;
  fcsOk: boolean;
  /** The frame's bytes (address, control, FCF, info) in hex. */
  hex: string;
  fields: ViewField[];
  /** How it travelled: 'V.21', or the fast modem for ECM FCD/RCP, or 'T.38'. */
  via?: string;
}
export interface ViewBurst {
  start: number;
  end: number;
  dir?: string;
  /** e.g. 'V.17 14400', 'V.29 9600'. */
  modem: string;
  /** 'TCF', 'page', 'ECM block' ... */
  kind: string;
  ok: boolean;
  note?: string;
}
export interface ViewPage {
  /** 1-based. */
  index: number;
  width: number;
  height: number;
  xDpi: number;
  yDpi: number;
  badRows: number;
  /** Packed rows, MSB first, 1 = black (core/t4/image.ts BilevelImage.data). */
  data: Uint8Array;
  note?: string;
}
export interface ViewReport {
  /** Seconds of audio analysed. */
  duration: number;
  /** One paragraph in words. */
  summary: string;
  tones: ViewTone[];
  frames: ViewFrame[];
  bursts: ViewBurst[];
  pages: ViewPage[];
  /** report.json as the CLI writes it. */
  json: string;
}

/** Options a fax user picks on the Send/Receive and Loopback views. */
export interface FaxOptions {
  /** Local identifier sent as TSI/CSI (up to 20 characters: digits, +, space). */
  ident: string;
  ecm: boolean;
  /** Allowed fast modems, e.g. ['v17', 'v29', 'v27']. */
  modems: string[];
}

export interface FaxDocument { name: string; bytes: ArrayBuffer; type: string }

export interface FaxJob extends FaxOptions {
  role: 'send' | 'receive';
  /** Calling side (sends CNG, hears CED) or answering side. */
  calling: boolean;
  document?: FaxDocument;
}

/** Line impairments for the two-tab loopback (core/line). */
export interface LineSettings {
  /** Noise level in dBm0, or null for none. */
  noiseDbm0: number | null;
  gainDb: number;
  /** Frequency offset in Hz. */
  offsetHz: number;
}

export interface FaxResult {
  ok: boolean;
  /** Phase E code and text, e.g. 0 'OK'. */
  code: number;
  text: string;
  pagesSent: number;
  pagesReceived: number;
  modem?: string;
  rate?: number;
  ecm?: boolean;
  remoteIdent?: string;
  /** Seconds of line audio. */
  seconds: number;
}

export type FaxEvent =
  | { kind: 'status'; text: string }
  /** A line of the engine's log (frames sent and received, state changes). */
  | { kind: 'log'; text: string }
  /** Seconds of line audio so far (sent once a second): the line is alive. */
  | { kind: 'line'; seconds: number }
  | { kind: 'frame'; dir: 'tx' | 'rx'; frame: ViewFrame }
  | { kind: 'progress'; page: number; fraction: number }
  | { kind: 'page'; page: ViewPage }
  | { kind: 'done'; result: FaxResult };

/** What engine.worker.ts exposes. */
export interface EngineApi {
  /** Which core modules this build has (the views show features accordingly). */
  capabilities(): Promise<{ decode: boolean; fax: boolean; documents: boolean }>;
  decode(input: DecodeInput, onProgress?: (p: Progress) => void): Promise<ViewReport>;
  /** A document (PDF/PNG/JPEG/TIFF/PBM) as fax pages, ready to send. */
  prepareDocument(doc: FaxDocument, ident: string): Promise<ViewPage[]>;
  /** PDF or TIFF-F of the given pages (from a report or a received fax). */
  makeDocument(kind: 'pdf' | 'tiff', pages: ViewPage[]): Promise<Uint8Array>;
  /** Run a call over an audio line: 8 kHz Float32 blocks of 160 samples arrive and leave on `port` (see worklets/line-io.worklet.ts). */
  startAudioCall(job: FaxJob, port: MessagePort, onEvent: (e: FaxEvent) => void): Promise<void>;
  /** Run a call over the two-tab BroadcastChannel line named `channel`. */
  startLoopback(job: FaxJob, channel: string, line: LineSettings, onEvent: (e: FaxEvent) => void): Promise<void>;
  /** Stop the current call (hang up). */
  hangup(): Promise<void>;
}
