/**
 * The T.30 procedure as an explicit state machine (phases A-E, calling or answering, sending or
 * receiving, being polled), with ECM (Annex A). States carry the labels of T.30's flow charts as
 * spandsp names them (T, R, D, D_TCF, D_POST_TCF, F_TCF, F_DOC_*, II_Q, III_Q, IV_*, C ...).
 *
 * How it works: the engine knows nothing of audio. It asks a front end (FaxIo) to send a step
 * (CED, CNG, a V.21 HDLC burst, TCF, a non-ECM page, an ECM block) and which receiver to listen
 * with; the front end reports back through `event()` (frames with their FCS verdict, carrier
 * changes, TCF zero-runs, page data, "transmission done"). Time is `advance(samples)`: the T.30
 * timers (T1, T2, T4, T5) are deadlines counted in samples. Every received frame goes through
 * one handler per state (exhaustive switch); what to do when a transmission finishes is kept as
 * a continuation of the step that started it.
 */
import { FCF, fcfName } from './fcf';
import { encodeIdent, decodeIdent } from './ident';
import { T30Err, t30ErrText, type CallResult, type PageEvent } from './results';
import { SampleTimer, T1, T2, T4, T5, MAX_COMMAND_TRIES, ms } from './timers';
import {
  FALLBACK, buildDis, parseDis, buildDcs, parseDcs, buildCtc, parseCtc, negotiate, nextFallback,
  sessionModem, modemName, minRowBits, disModemBitsValid,
  type FaxCaps, type Session, type FastModem, type Coding, type YRes,
} from './negotiate';
import { cutIntoBlocks, EcmTxBlock, EcmRxBlock, PPR_LIMIT, PPR_MAP_BYTES, FCD, RCP } from './ecm';

// ---------------------------------------------------------------------------------------------
// The front-end contract.

export type TxStep =
  | { kind: 'ced' }
  | { kind: 'cng' }
  | { kind: 'v21'; frames: Uint8Array[] }
  | { kind: 'tcf'; modem: FastModem }
  | { kind: 'page'; modem: FastModem; data: Uint8Array; shortTrain: boolean }
  | { kind: 'ecm'; modem: FastModem; frames: Uint8Array[]; shortTrain: boolean };

export type RxMode =
  | { kind: 'v21' }
  | { kind: 'tcf' | 'page' | 'ecm'; modem: FastModem; shortTrain: boolean };

export interface FaxIo {
  /** Start a transmission (after the 75 ms gap and once the incoming carrier has dropped). */
  send(step: TxStep): void;
  /** Listen with V.21 (always) plus, for fast modes, the given fast receiver. */
  receive(mode: RxMode): void;
  /** The call is over: stop transmitting. */
  hangUp(): void;
}

export type IoEvent =
  | { kind: 'tx-done' }
  | { kind: 'frame'; frame: Uint8Array; ok: boolean; fast: boolean }
  | { kind: 'v21-carrier'; up: boolean }
  | { kind: 'fast-trained'; ok: boolean }
  /** Energy of the expected fast signal appeared / went (trained or not). */
  | { kind: 'fast-carrier'; up: boolean }
  /** Fast carrier dropped after a TCF: the longest run of zero bits seen, and all bits. */
  | { kind: 'tcf'; longestZeros: number; bits: number }
  /** Fast carrier dropped after a trained non-ECM page: its bytes (bits LSB first). */
  | { kind: 'page'; data: Uint8Array }
  /** Fast carrier dropped in ECM mode. */
  | { kind: 'fast-end' };

// ---------------------------------------------------------------------------------------------
// Documents.

export interface LineFormat {
  coding: Coding;
  width: number;
  yRes: YRes;
  /** Non-ECM: minimum bits per coded row (fill before EOL). */
  minRowBits: number;
  ecm: boolean;
}

export interface PageSource {
  readonly pageCount: number;
  pageFormat(i: number): { width: number; yRes: YRes };
  /** The coded page for the line: MH/MR rows with EOLs and RTC, or MMR with EOFB. */
  encodePage(i: number, f: LineFormat): Uint8Array;
}

export type Verdict = 'MCF' | 'RTP' | 'RTN';

export interface PageSink {
  /** Called the moment a page is complete, before it is confirmed. Returns the copy-quality verdict
   *  (ECM pages: the verdict is ignored, they are always confirmed). A page judged RTN is not kept. */
  receivePage(data: Uint8Array, f: LineFormat, pageNo: number): Verdict;
}

export interface EngineOptions {
  role: 'calling' | 'answering';
  direction: 'send' | 'receive';
  ident?: string;
  caps: FaxCaps;
  source?: PageSource;
  sink?: PageSink;
  /** QualifyTSI: only accept callers whose TSI matches one of these (strings or regexps). */
  acceptIdents?: (string | RegExp)[];
  /** Non-ECM copy-quality checking: when off every page is confirmed with MCF. */
  copyQualityCheck?: boolean;
  /** Sender: how many RTNs for one page before giving up. */
  maxRtn?: number;
  /** Sender: ask for a procedure interrupt from the start: the first post-page command goes as
   *  PRI-Q (PRI-MPS/PRI-EOP; in ECM, the PPS of the page's last block). See `requestInterrupt()`. */
  requestInterrupt?: boolean;
  /** Receiver: answer a PRI-Q with PIP (page good) or PIN (page bad) instead of MCF/RTP or RTN.
   *  Off (default): PRI-Q is answered like the plain command. There is no operator here, so
   *  after PIP/PIN the procedure goes on exactly as after MCF/RTN. */
  answerInterrupts?: boolean;
  /** Receiver, ECM: answer the first N PPS/RR with RNR (receiver not ready; a test aid). */
  rnrCount?: number;
  /** Log of frames and state changes. */
  log?: (line: string) => void;
  /** Every control frame sent or received with a good FCS (not ECM image frames). */
  onFrame?: (f: { dir: 'tx' | 'rx'; name: string; hex: string; sample: number }) => void;
  /** Page and phase events as they happen. */
  onPageEvent?: (e: PageEvent) => void;
  onPhaseE?: (r: CallResult) => void;
}

// ---------------------------------------------------------------------------------------------
// States.

export enum State {
  /** Nothing started. */
  IDLE = 'IDLE',
  /** Answering: sending CED (phase A). */
  ANSWERING = 'ANSWERING',
  /** Calling: CNG, waiting for DIS (T1). */
  T = 'T',
  /** Answering: DIS sent, waiting for DCS/DTC; DIS repeated on T4 within T1. Also after FTT/RTP/RTN. */
  R = 'R',
  /** Caller that wants to receive: DTC sent, waiting for DCS. */
  R_DTC = 'R_DTC',
  /** Sender: sending DCS then TCF. */
  D = 'D',
  /** Sender: waiting for CFR/FTT. */
  D_POST_TCF = 'D_POST_TCF',
  /** Receiver: receiving TCF. */
  F_TCF = 'F_TCF',
  /** Receiver: waiting for a non-ECM page (fast + V.21). */
  F_DOC_NON_ECM = 'F_DOC_NON_ECM',
  /** Receiver: page received, waiting for the post-message command. */
  F_POST_DOC_NON_ECM = 'F_POST_DOC_NON_ECM',
  /** Receiver: receiving ECM frames. */
  F_DOC_ECM = 'F_DOC_ECM',
  /** Receiver: block ended (RCP/carrier down), waiting for PPS / EOR / CTC / RR. */
  F_POST_DOC_ECM = 'F_POST_DOC_ECM',
  /** Receiver: after MCF to EOP, waiting for DCN. */
  F_POST_EOP = 'F_POST_EOP',
  /** Sender: sending a non-ECM page. */
  I = 'I',
  /** Sender: post-page command (or its PRI-Q) sent, waiting for MCF/RTP/RTN/PIP/PIN. */
  II_Q = 'II_Q',
  /** Sender: sending an ECM block. */
  IV = 'IV',
  /** Sender: PPS sent, waiting for MCF/PPR/RNR. */
  IV_PPS_Q = 'IV_PPS_Q',
  /** Sender: RR sent after RNR, waiting (T5). */
  IV_PPS_RNR = 'IV_PPS_RNR',
  /** Sender: CTC sent, waiting for CTR. */
  IV_CTC = 'IV_CTC',
  /** Sender: EOR sent, waiting for ERR. */
  IV_EOR = 'IV_EOR',
  /** Sending DCN. */
  C = 'C',
  CALL_FINISHED = 'CALL_FINISHED',
}

const LONGEST_TCF_WAIT = ms(10_000);

export class T30Engine {
  state = State.IDLE;
  now = 0;

  private readonly opts: EngineOptions;
  /** The options this engine was made with. */
  get options(): Readonly<EngineOptions> {
    return this.opts;
  }
  private readonly ident: string;
  private copyQuality: boolean;
  private io: FaxIo;

  private readonly t1 = new SampleTimer('T1');
  private readonly t2 = new SampleTimer('T2');
  private readonly t4 = new SampleTimer('T4');
  private readonly t5 = new SampleTimer('T5');
  /** Waiting for TCF or page carrier to appear. */
  private readonly tFast = new SampleTimer('fast');
  private t4Extended = false;

  /** Continuation for when the current transmission ends. */
  private afterTx: (() => void) | null = null;
  private transmitting = false;
  /** The command to repeat on T4/CRP and the state to wait in afterwards. */
  private lastCommand: { frames: Uint8Array[]; then: () => void } | null = null;
  private tries = 0;
  /** Receiver: the last response, repeated when the same command comes again. */
  private lastResponse: Uint8Array[] | null = null;

  private disReceived = false;
  private remoteCaps: FaxCaps | null = null;
  private remoteIdent = '';
  private session: Session | null = null;
  private shortTrain = false;
  private status = T30Err.OK;
  private finished = false;
  private procedureComplete = false;
  /** Our role in this call after phase B: sender or receiver of documents. */
  private sending: boolean;

  // Sender bookkeeping.
  private txPage = 0;
  private pagesSent = 0;
  private pagesConfirmed = 0;
  private rtnCount = 0;
  private postCommand: 'MPS' | 'EOP' = 'EOP';
  /** A procedure interrupt is wanted: the next post-page command goes as PRI-Q until answered. */
  private interruptWanted = false;
  private ecmBlocks: Uint8Array[][] = [];
  private ecmBlockNo = 0;
  private ecmTx: EcmTxBlock | null = null;
  private ecmRetries = 0;
  /** Some block of the current page was given up with EOR/ERR. */
  private ecmPageErrors = false;

  // Receiver bookkeeping.
  private rxPage = 0;
  private pagesReceived = 0;
  private lastVerdict: Verdict | null = null;
  private rxPageData: Uint8Array | null = null;
  private readonly ecmRx = new EcmRxBlock();
  private rnrLeft = 0;
  private heldPps: Uint8Array | null = null;
  private ecmRxBlockNo = 0;
  private ecmPageParts: Uint8Array[] = [];
  private sawBadFrame = false;
  private t2Paused = false;
  private t2Extended = 0;
  private v21Up = false;
  private v21UpAt = 0;
  /** A fast signal was heard since we started waiting for this page. */
  private fastSeen = false;
  private fastUpAt = -1;
  private fastTrainedNow = false;
  private sawGoodFinal = false;

  private readonly pageEvents: PageEvent[] = [];

  constructor(io: FaxIo, opts: EngineOptions) {
    this.io = io;
    this.opts = opts;
    this.ident = opts.ident ?? '';
    this.copyQuality = opts.copyQualityCheck ?? true;
    this.rnrLeft = opts.rnrCount ?? 0;
    this.sending = opts.direction === 'send';
    this.interruptWanted = opts.requestInterrupt ?? false;
    if (this.sending && !opts.source) throw new Error('a sending endpoint needs a page source');
    if (!this.sending && !opts.sink) throw new Error('a receiving endpoint needs a page sink');
  }

  /** Phase A. */
  start(): void {
    if (this.opts.role === 'calling') {
      this.setState(State.T);
      this.t1.start(this.now, T1);
      this.io.receive({ kind: 'v21' });
      this.io.send({ kind: 'cng' });
      this.transmitting = false; // CNG repeats until replaced; it never reports done
    } else {
      this.setState(State.ANSWERING);
      this.t1.start(this.now, T1);
      this.transmit({ kind: 'ced' }, () => this.sendDis());
    }
  }

  /** Sender: ask for a procedure interrupt at the next post-page command (PRI-MPS/PRI-EOP, or
   *  PPS-PRI-Q in ECM). It stays wanted until a PRI-Q is answered by anything but RTN. */
  requestInterrupt(): void {
    this.interruptWanted = true;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Advance the sample clock (call once per block processed). */
  advance(samples: number): void {
    if (this.finished) return;
    this.now += samples;
    if (this.t1.expired(this.now)) this.onT1();
    if (this.t2.expired(this.now)) {
      // Something is still on the line (e.g. the rest of a burst whose carrier we lost):
      // it is not silence yet, so wait for it to end, within T5.
      if (this.v21Up && this.t2Extended < T5) {
        this.t2Extended += T2;
        this.t2.start(this.now, T2);
      } else this.onT2();
    }
    if (this.t4.expired(this.now)) this.onT4();
    if (this.t5.expired(this.now)) this.onT5();
    if (this.tFast.expired(this.now)) this.onFastTimeout();
  }

  /** The line went away (peer hung up, EOF). */
  terminate(): void {
    if (this.finished) return;
    if (!this.procedureComplete && this.status === T30Err.OK) this.status = T30Err.CALLDROPPED;
    this.phaseE();
  }

  // -------------------------------------------------------------------------------------------
  // Events from the front end.

  event(ev: IoEvent): void {
    if (this.finished) return;
    switch (ev.kind) {
      case 'tx-done': {
        this.transmitting = false;
        const k = this.afterTx;
        this.afterTx = null;
        if (k) k();
        return;
      }
      case 'frame':
        this.onFrame(ev.frame, ev.ok, ev.fast);
        return;
      case 'v21-carrier':
        this.v21Up = ev.up;
        if (ev.up) {
          this.v21UpAt = this.now;
          this.sawBadFrame = false;
          this.sawGoodFinal = false;
          // Flags are coming: a command is on its way, do not time out under it (T.30 5.4.3.2).
          if (this.t2.running) { this.t2Paused = true; this.t2.stop(); }
        } else {
          if (this.t2Paused) { this.t2Paused = false; if (!this.finished) this.t2.start(this.now, T2); }
          this.onV21Down();
        }
        return;
      case 'fast-carrier':
        if (this.state === State.F_TCF) {
          // A TCF-long burst we could not train on is a failed training check: FTT, so the
          // sender steps down (a short click is ignored, as spandsp does).
          if (ev.up) this.fastUpAt = this.now;
          else if (this.fastUpAt >= 0 && this.now - this.fastUpAt >= ms(1000) && !this.fastTrainedNow) {
            this.tFast.stop();
            this.log('TCF came but did not train -> FTT');
            this.respond([this.simple('FTT')], () => this.waitForCommand(State.R));
          }
          if (!ev.up) { this.fastUpAt = -1; this.fastTrainedNow = false; }
          return;
        }
        if (this.state === State.F_DOC_NON_ECM || this.state === State.F_DOC_ECM) {
          // A burst is arriving: it is no longer "no signal" whether or not it trains.
          if (ev.up) { this.fastSeen = true; this.t2.stop(); } else this.t2.start(this.now, T2);
        }
        return;
      case 'fast-trained':
        if (ev.ok) this.fastTrainedNow = true;
        if (ev.ok) {
          this.tFast.stop();
          if (this.state === State.F_DOC_NON_ECM || this.state === State.F_DOC_ECM) this.t2.stop();
        }
        return;
      case 'tcf':
        this.onTcf(ev.longestZeros);
        return;
      case 'page':
        this.onPageData(ev.data);
        return;
      case 'fast-end':
        if (this.state === State.F_DOC_ECM) {
          this.setState(State.F_POST_DOC_ECM);
          this.io.receive({ kind: 'v21' });
          this.t2.start(this.now, T2);
        }
        return;
      default: {
        const never: never = ev;
        return never;
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Frame dispatch: one handler per state.

  private onFrame(frame: Uint8Array, ok: boolean, fast: boolean): void {
    if (!ok) {
      this.sawBadFrame = true;
      this.log(`rx bad-FCS frame (${frame.length} bytes)${fast ? ' [fast]' : ''}`);
      return;
    }
    if (frame.length < 3 || frame[0] !== 0xff || (frame[1]! & 0xef) !== 0x03) {
      this.log(`rx frame with bad address/control ${hex(frame.subarray(0, 3))}`);
      return;
    }
    const fcf = frame[2]!;
    const final = (frame[1]! & 0x10) !== 0;
    if (fcf === FCD || fcf === RCP) {
      this.onEcmImageFrame(frame);
      return;
    }
    if (this.opts.log) this.log(`rx ${fcfName(fcf)}${final ? '' : ' (non-final)'} ${hex(frame.subarray(3))}`);
    this.opts.onFrame?.({ dir: 'rx', name: fcfName(fcf), hex: hex(frame), sample: this.now });
    // Information frames that may precede the final one.
    const name = fcfName(fcf);
    if (name === 'CSI' || name === 'TSI' || name === 'CIG') {
      this.remoteIdent = decodeIdent(frame.subarray(3));
    }
    if (!final) return;
    this.sawGoodFinal = true;
    if (this.transmitting) return; // an echo of ourselves, or a collision: ignore
    this.t4.stop();
    this.t4Extended = false;
    const fif = frame.subarray(3);
    switch (this.state) {
      case State.IDLE:
      case State.CALL_FINISHED:
      case State.C:
      case State.ANSWERING:
        return;
      case State.T: return this.inT(name, fif);
      case State.R: return this.inR(name, fif);
      case State.R_DTC: return this.inR(name, fif);
      case State.D: return;
      case State.D_POST_TCF: return this.inDPostTcf(name, fif);
      case State.F_TCF: return this.inFTcf(name, fif);
      case State.F_DOC_NON_ECM: return this.inFDocNonEcm(name, fif);
      case State.F_POST_DOC_NON_ECM: return this.inFPostDocNonEcm(name, fif);
      case State.F_DOC_ECM:
      case State.F_POST_DOC_ECM: return this.inFPostDocEcm(name, fif);
      case State.F_POST_EOP: return this.inFPostEop(name);
      case State.I: return;
      case State.II_Q: return this.inIIQ(name);
      case State.IV: return;
      case State.IV_PPS_Q:
      case State.IV_PPS_RNR: return this.inIVPpsQ(name, fif);
      case State.IV_CTC: return this.inIVCtc(name);
      case State.IV_EOR: return this.inIVEor(name);
      default: {
        const never: never = this.state;
        return never;
      }
    }
  }

  /** Calling, waiting for DIS. */
  private inT(name: string, fif: Uint8Array): void {
    switch (name) {
      case 'DIS': return this.onDis(fif, false);
      case 'DCN': return this.fail(T30Err.TX_GOTDCN, false);
      default:
        // Anything else while waiting for DIS: keep waiting (spandsp would give up with TX_NODIS only on T1).
        return;
    }
  }

  /** Answering, DIS/DTC sent, waiting for DCS (or DTC when we have something to be polled). */
  private inR(name: string, fif: Uint8Array): void {
    switch (name) {
      case 'DCS': return this.onDcs(fif);
      case 'DTC':
        if (this.sending) return this.onDis(fif, true);
        return this.fail(T30Err.UNEXPECTED, true);
      case 'DIS':
        // Two answering stations, or a caller that wants to be polled: re-send ours after T4.
        if (this.state === State.R_DTC) return this.onDis(fif, false);
        return;
      case 'MPS':
      case 'EOP':
      case 'EOM':
      case 'PRI-MPS':
      case 'PRI-EOP':
      case 'PRI-EOM':
        // After RTN/RTP: the sender did not hear our response and repeats its command.
        if (!this.sending && this.lastResponse) return this.repeatResponse();
        return this.fail(T30Err.UNEXPECTED, true);
      case 'CRP':
        if (!this.sending && this.lastResponse) return this.repeatResponse();
        return this.repeatCommand();
      case 'DCN': {
        // After our RTN the sender gave up instead of retraining; after MPS/EOM it left early.
        const afterRtn = !this.sending && this.lastResponse !== null && (this.lastResponse[0]![2]! & 0xfe) === FCF.RTN;
        return this.fail(afterRtn ? T30Err.RX_DCNNORTN : this.pagesReceived > 0 ? T30Err.RX_DCNPHD : T30Err.RX_DCNWHY, false);
      }
      default:
        return this.fail(T30Err.UNEXPECTED, true);
    }
  }

  /** Sender: DCS + TCF sent, waiting for CFR or FTT. */
  private inDPostTcf(name: string, fif: Uint8Array): void {
    switch (name) {
      case 'CFR':
        this.tries = 0;
        this.shortTrain = true;
        return this.startPage();
      case 'FTT': {
        this.tries = 0;
        const next = nextFallback(this.session!.fallback + 1, this.opts.caps, this.remoteCaps!);
        if (next < 0) return this.fail(T30Err.CANNOT_TRAIN, true);
        this.session!.fallback = next;
        return this.sendDcsAndTcf();
      }
      case 'DIS': return this.onDis(fif, false); // our DCS was lost; start again
      case 'CRP': return this.sendDcsAndTcf();
      case 'DCN': return this.fail(T30Err.TX_BADDCS, false);
      default: return this.fail(T30Err.TX_BADDCS, true);
    }
  }

  /** Receiver: DCS seen, expecting TCF; a repeated DCS restarts the test. */
  private inFTcf(name: string, fif: Uint8Array): void {
    switch (name) {
      case 'DCS': return this.onDcs(fif);
      case 'DCN': return this.fail(T30Err.RX_DCNWHY, false);
      default: return;
    }
  }

  /** Receiver: waiting for a page; V.21 frames here are repeats (our response was lost) or a retrain. */
  private inFDocNonEcm(name: string, fif: Uint8Array): void {
    switch (name) {
      case 'DCS': return this.onDcs(fif);
      case 'MPS':
      case 'EOP':
      case 'EOM':
      case 'PRI-MPS':
      case 'PRI-EOP':
      case 'PRI-EOM':
        // No page signal at all since our response: the sender did not hear it, answer again.
        // (A page that came but did not train is answered RTN below.)
        if (this.lastResponse && this.pagesReceived > 0 && !this.fastSeen) return this.repeatResponse();
        // A post-page command without a page we could train on.
        this.lastVerdict = 'RTN';
        return this.inFPostDocNonEcm(name, fif);
      case 'CRP': return this.repeatResponse();
      case 'DCN': return this.fail(T30Err.RX_DCNDATA, false);
      default: return this.fail(T30Err.RX_INVALCMD, true);
    }
  }

  /** Receiver: page in, waiting for MPS/EOP/EOM or their PRI-Q. PRI-Q is answered PIP (page good)
   *  or PIN (page bad) when `answerInterrupts` is on, else like the plain command; either way the
   *  flow after the answer is that of MCF/RTP (PIP) or RTN (PIN): no operator steps in. */
  private inFPostDocNonEcm(name: string, _fif: Uint8Array): void {
    switch (name) {
      case 'MPS':
      case 'EOP':
      case 'EOM':
      case 'PRI-MPS':
      case 'PRI-EOP':
      case 'PRI-EOM': {
        const verdict = this.lastVerdict ?? 'RTN';
        this.rxPageData = null;
        this.lastVerdict = null;
        this.t2.stop();
        const cmd = name.replace('PRI-', '');
        const interrupt = cmd !== name && (this.opts.answerInterrupts ?? false);
        const answer = interrupt ? (verdict === 'RTN' ? 'PIN' : 'PIP') : verdict;
        this.respond([this.simple(answer)], () => {
          if (verdict === 'RTN') return this.waitForCommand(State.R);
          if (cmd === 'EOP') { this.procedureComplete = true; return this.waitForCommand(State.F_POST_EOP); }
          if (cmd === 'EOM') return this.waitForCommand(State.R);
          if (verdict === 'RTP') return this.waitForCommand(State.R);
          return this.expectPage();
        });
        return;
      }
      case 'DCS': return this.onDcs(_fif);
      case 'CRP': return this.repeatResponse();
      case 'DCN': return this.fail(T30Err.RX_DCNFAX, false);
      default: return this.fail(T30Err.RX_INVALCMD, true);
    }
  }

  /** Receiver: ECM block done; PPS, EOR, CTC, RR. */
  private inFPostDocEcm(name: string, fif: Uint8Array): void {
    switch (name) {
      case 'PPS': return this.onPps(fif);
      case 'CTC': {
        const f = parseCtc(fif);
        if (f >= 0 && this.session) this.session.fallback = f;
        this.shortTrain = false;
        return this.respond([this.simple('CTR')], () => this.expectEcmBlock());
      }
      case 'EOR': {
        // Give up on the missing frames: keep what we have (T.30 A.4), ERR, carry on.
        const fcf2 = fcfName(fif[0] ?? 0);
        const endOfPage = (fif[0] ?? 0) !== 0;
        this.ecmPageParts.push(this.ecmRx.assembleAvailable());
        this.ecmRx.reset();
        this.ecmRxBlockNo++;
        if (endOfPage) this.finishEcmPage();
        return this.respond([this.simple('ERR')], () => {
          if (fcf2 === 'EOP') { this.procedureComplete = true; return this.waitForCommand(State.F_POST_EOP); }
          return this.expectEcmBlock();
        });
      }
      case 'RR':
        // We said RNR: answer the PPS we held back now (or RNR again while still not ready).
        if (this.heldPps) { const held = this.heldPps; this.heldPps = null; return this.onPps(held); }
        return this.repeatResponse();
      case 'CRP': return this.repeatResponse();
      case 'DCS': return this.onDcs(fif);
      case 'DCN': return this.fail(T30Err.RX_DCNFAX, false);
      default: return this.fail(T30Err.RX_INVALCMD, true);
    }
  }

  private inFPostEop(name: string): void {
    switch (name) {
      case 'DCN': return this.phaseE();
      case 'EOP':
      case 'PRI-EOP':
      case 'PPS':
      case 'CRP': return this.repeatResponse();
      default: return;
    }
  }

  /** Sender: post-page command sent; MCF/RTP/RTN/PIP/PIN. */
  private inIIQ(name: string): void {
    switch (name) {
      case 'MCF':
      case 'PIP':
      case 'RTP': {
        this.tries = 0;
        this.rtnCount = 0;
        this.interruptWanted = false;
        this.pagesConfirmed++;
        this.pageEvent('page-confirmed', this.txPage + 1, name);
        this.txPage++;
        if (this.postCommand === 'EOP') { this.procedureComplete = true; return this.sendDcn(); }
        if (name === 'RTP') return this.sendDcsAndTcf();
        return this.startPage();
      }
      case 'RTN':
      case 'PIN': {
        this.tries = 0;
        // PIN answers the interrupt (negatively): resend the page with the plain command.
        if (name === 'PIN') this.interruptWanted = false;
        this.pageEvent('page-rejected', this.txPage + 1, name);
        if (++this.rtnCount > (this.opts.maxRtn ?? 3)) { this.status = T30Err.RETRYDCN; return this.sendDcn(); }
        // Retrain one step lower and send the same page again.
        const next = nextFallback(this.session!.fallback + 1, this.opts.caps, this.remoteCaps!);
        if (next >= 0) this.session!.fallback = next;
        return this.sendDcsAndTcf();
      }
      case 'CRP': return this.repeatCommand();
      case 'DCN': return this.fail(this.postCommand === 'MPS' ? T30Err.RX_DCNPHD : T30Err.TX_BADPG, false);
      default: return this.fail(T30Err.TX_INVALRSP, true);
    }
  }

  /** Sender: PPS (or RR) sent; MCF, PPR, RNR. */
  private inIVPpsQ(name: string, fif: Uint8Array): void {
    switch (name) {
      case 'MCF':
      case 'PIP': {
        // PIP answers a PPS-PRI-Q: the block is good; with no operator, go on as after MCF.
        this.tries = 0;
        this.t5.stop();
        return this.ecmBlockConfirmed(false, name);
      }
      case 'PPR': {
        this.tries = 0;
        this.t5.stop();
        if (fif.length !== PPR_MAP_BYTES) return this.fail(T30Err.TX_ECMPHD, true);
        const blk = this.ecmTx!;
        const before = blk.pending.length;
        const left = blk.applyPpr(fif);
        this.ecmRetries += left;
        if (left === 0) return this.ecmBlockConfirmed();
        if (blk.pprCount >= PPR_LIMIT) {
          blk.pprCount = 0;
          const progress = blk.progress > 0 || left < before;
          blk.progress = 0;
          const next = nextFallback(this.session!.fallback + 1, this.opts.caps, this.remoteCaps!);
          if (progress && next >= 0) {
            this.session!.fallback = next;
            this.shortTrain = false;
            return this.command([this.frame('CTC', buildCtc(next))], State.IV_CTC);
          }
          return this.command([this.frame('EOR', Uint8Array.of(this.ppsFcf2()))], State.IV_EOR);
        }
        return this.sendEcmBlock();
      }
      case 'RNR': {
        this.tries = 0;
        if (!this.t5.running) this.t5.start(this.now, T5);
        return this.command([this.simple('RR')], State.IV_PPS_RNR);
      }
      case 'CRP': return this.repeatCommand();
      case 'DCN': return this.fail(T30Err.TX_BADPG, false);
      default: return this.fail(T30Err.TX_ECMPHD, true);
    }
  }

  private inIVCtc(name: string): void {
    switch (name) {
      case 'CTR': this.tries = 0; return this.sendEcmBlock();
      case 'CRP': return this.repeatCommand();
      case 'DCN': return this.fail(T30Err.TX_BADPG, false);
      default: return this.fail(T30Err.TX_ECMPHD, true);
    }
  }

  private inIVEor(name: string): void {
    switch (name) {
      case 'ERR':
        this.tries = 0;
        // The block is abandoned with its errors; go on as if confirmed, but do not count the page as clean.
        return this.ecmBlockConfirmed(true);
      case 'RNR': return this.command([this.simple('RR')], State.IV_EOR);
      case 'CRP': return this.repeatCommand();
      case 'DCN': return this.fail(T30Err.TX_BADPG, false);
      default: return this.fail(T30Err.TX_ECMPHD, true);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Phase B.

  private sendDis(): void {
    const caps = { ...this.opts.caps, readyToTransmit: this.sending, canReceive: !this.sending };
    const frames = [this.frame('CSI', encodeIdent(this.ident), false), this.frame('DIS', buildDis(caps))];
    // DIS/CSI have no X bit.
    this.command(frames, State.R);
  }

  /** DIS (or, when we are being polled, DTC) from the far end. */
  private onDis(fif: Uint8Array, isDtc: boolean): void {
    this.t1.stop();
    if (!isDtc) this.disReceived = true;
    if (fif.length < 2 || !disModemBitsValid(fif)) {
      this.log('DIS with modem bits we cannot use');
      return this.fail(T30Err.INCOMPATIBLE, true);
    }
    this.remoteCaps = parseDis(fif);
    if (!this.sending) {
      // We called to receive (polling): the far end must have a document for us.
      if (!this.remoteCaps.readyToTransmit) return this.fail(T30Err.NOPOLL, true);
      const caps = { ...this.opts.caps, readyToTransmit: false, canReceive: true };
      return this.command([this.frame('CIG', encodeIdent(this.ident), false), this.frame('DTC', buildDis(caps))], State.R_DTC);
    }
    const src = this.opts.source!;
    if (src.pageCount === 0) return this.fail(T30Err.NOPAGE, true);
    const fmt = src.pageFormat(this.txPage);
    // A DTC says what the poller wants to receive; its "can receive" bit is not a capability.
    const s = negotiate(this.opts.caps, isDtc ? { ...this.remoteCaps, canReceive: true } : this.remoteCaps, fmt);
    if (typeof s === 'string') {
      const code = s === 'rx-incapable' ? T30Err.RX_INCAPABLE : s === 'resolution' ? T30Err.NORESSUPPORT
        : s === 'size' ? T30Err.NOSIZESUPPORT : T30Err.INCOMPATIBLE;
      return this.fail(code, true);
    }
    this.session = s;
    this.log(`negotiated ${modemName(sessionModem(s))} ${FALLBACK[s.fallback]!.rate} ${s.coding} ${s.yRes} ECM=${s.ecm}`);
    this.sendDcsAndTcf();
  }

  private sendDcsAndTcf(): void {
    const s = this.session!;
    const frames = [this.frame('TSI', encodeIdent(this.ident), false), this.frame('DCS', buildDcs(s))];
    this.setState(State.D);
    this.lastCommand = { frames, then: () => this.sendDcsAndTcf() };
    this.transmit({ kind: 'v21', frames }, () => {
      this.transmit({ kind: 'tcf', modem: sessionModem(s) }, () => {
        this.shortTrain = true;
        this.waitResponse(State.D_POST_TCF);
      });
    });
  }

  private onDcs(fif: Uint8Array): void {
    this.t1.stop();
    this.t2.stop();
    if (this.sending) return this.fail(T30Err.RX_GOTDCS, true);
    const s = parseDcs(fif);
    if (!s) return this.fail(T30Err.INCOMPATIBLE, true);
    const c = this.opts.caps;
    const family = FALLBACK[s.fallback]!.family;
    if (!c[family] || (s.ecm && !c.ecm) || (s.coding === 'MMR' && !c.mmr) || (s.coding === 'MR' && !c.mr)
      || (s.yRes === 'fine' && !c.fine) || (s.yRes === 'superfine' && !c.superfine)) {
      this.log('DCS asks for something we did not offer');
      return this.fail(T30Err.INCOMPATIBLE, true);
    }
    if (this.opts.acceptIdents && this.opts.acceptIdents.length > 0 && !this.identAccepted(this.remoteIdent)) {
      this.log(`TSI "${this.remoteIdent}" not on the acceptance list`);
      return this.fail(T30Err.IDENT_UNACCEPTABLE, true);
    }
    this.session = s;
    this.log(`DCS: ${modemName(sessionModem(s))} ${FALLBACK[s.fallback]!.rate} ${s.coding} ${s.yRes} ECM=${s.ecm}`);
    this.setState(State.F_TCF);
    this.fastUpAt = -1;
    this.fastTrainedNow = false;
    this.io.receive({ kind: 'tcf', modem: sessionModem(s), shortTrain: false });
    this.tFast.start(this.now, LONGEST_TCF_WAIT);
  }

  private identAccepted(id: string): boolean {
    return this.opts.acceptIdents!.some((p) => (typeof p === 'string' ? p.trim() === id.trim() : p.test(id)));
  }

  private onTcf(longestZeros: number): void {
    if (this.state !== State.F_TCF) return;
    this.tFast.stop();
    const rate = FALLBACK[this.session!.fallback]!.rate;
    const ok = longestZeros >= rate; // a run of at least 1 s of the 1.5 s (spandsp's test)
    this.log(`TCF: longest run of zeros ${longestZeros} (need ${rate}) -> ${ok ? 'CFR' : 'FTT'}`);
    if (!ok) return this.respond([this.simple('FTT')], () => this.waitForCommand(State.R));
    this.shortTrain = true;
    this.respond([this.simple('CFR')], () => (this.session!.ecm ? this.expectEcmBlock(true) : this.expectPage()));
  }

  private onFastTimeout(): void {
    // TCF never came (or never trained): answer FTT so the sender steps down.
    if (this.state === State.F_TCF) {
      this.log('no TCF');
      this.respond([this.simple('FTT')], () => this.waitForCommand(State.R));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Phase C/D, sending.

  private lineFormat(): LineFormat {
    const s = this.session!;
    return { coding: s.coding, width: s.width, yRes: s.yRes, minRowBits: minRowBits(s), ecm: s.ecm };
  }

  private startPage(): void {
    const src = this.opts.source!;
    if (this.txPage >= src.pageCount) return this.sendDcn();
    this.postCommand = this.txPage + 1 < src.pageCount ? 'MPS' : 'EOP';
    let data: Uint8Array;
    try {
      data = src.encodePage(this.txPage, this.lineFormat());
    } catch (e) {
      this.log(`page ${this.txPage + 1}: ${(e as Error).message}`);
      return this.fail(T30Err.BADPAGE, true);
    }
    if (this.session!.ecm) {
      this.ecmBlocks = cutIntoBlocks(data, this.session!.frameSize);
      this.ecmBlockNo = 0;
      this.ecmTx = new EcmTxBlock(this.ecmBlocks[0]!);
      return this.sendEcmBlock();
    }
    this.setState(State.I);
    const modem = sessionModem(this.session!);
    this.transmit({ kind: 'page', modem, data, shortTrain: this.shortTrain }, () => {
      this.pagesSent++;
      this.pageEvent('page-sent', this.txPage + 1);
      this.command([this.simple(this.postPageCommand())], State.II_Q);
    });
  }

  private ppsFcf2(): number {
    const lastBlock = this.ecmBlockNo + 1 >= this.ecmBlocks.length;
    return lastBlock ? this.fcfWithX(this.postPageCommand()) : 0;
  }

  /** MPS/EOP, or PRI-MPS/PRI-EOP while an interrupt is wanted. */
  private postPageCommand(): 'MPS' | 'EOP' | 'PRI-MPS' | 'PRI-EOP' {
    if (!this.interruptWanted) return this.postCommand;
    return this.postCommand === 'MPS' ? 'PRI-MPS' : 'PRI-EOP';
  }

  private sendEcmBlock(): void {
    const blk = this.ecmTx!;
    this.setState(State.IV);
    const modem = sessionModem(this.session!);
    const frames = blk.burst();
    const sentCount = blk.pending.length;
    this.transmit({ kind: 'ecm', modem, frames, shortTrain: this.shortTrain }, () => {
      this.shortTrain = true;
      const pps = Uint8Array.of(this.ppsFcf2(), this.txPage & 0xff, this.ecmBlockNo & 0xff, Math.max(0, sentCount - 1));
      this.command([this.frame('PPS', pps)], State.IV_PPS_Q);
    });
  }

  private ecmBlockConfirmed(withErrors = false, response: 'MCF' | 'PIP' = 'MCF'): void {
    if (withErrors) this.ecmPageErrors = true;
    this.ecmBlockNo++;
    if (this.ecmBlockNo < this.ecmBlocks.length) {
      this.ecmTx = new EcmTxBlock(this.ecmBlocks[this.ecmBlockNo]!);
      return this.sendEcmBlock();
    }
    this.pagesSent++;
    this.pageEvent('page-sent', this.txPage + 1);
    const bad = this.ecmPageErrors;
    this.ecmPageErrors = false;
    if (!bad) this.pagesConfirmed++;
    this.interruptWanted = false;
    this.pageEvent(bad ? 'page-rejected' : 'page-confirmed', this.txPage + 1, bad ? 'ERR' : response);
    this.txPage++;
    if (this.postCommand === 'EOP') { this.procedureComplete = true; return this.sendDcn(); }
    return this.startPage();
  }

  // -------------------------------------------------------------------------------------------
  // Phase C/D, receiving.

  private expectPage(): void {
    this.setState(State.F_DOC_NON_ECM);
    this.rxPageData = null;
    this.fastSeen = false;
    this.io.receive({ kind: 'page', modem: sessionModem(this.session!), shortTrain: this.shortTrain });
    this.t2.start(this.now, T2);
  }

  private expectEcmBlock(newPage = false): void {
    if (newPage) {
      this.ecmRx.reset();
      this.ecmRxBlockNo = 0;
      this.ecmPageParts = [];
    }
    this.setState(State.F_DOC_ECM);
    this.fastSeen = false;
    this.io.receive({ kind: 'ecm', modem: sessionModem(this.session!), shortTrain: this.shortTrain });
    this.t2.start(this.now, T2);
  }

  private onPageData(data: Uint8Array): void {
    if (this.state !== State.F_DOC_NON_ECM) return;
    this.t2.stop();
    this.rxPageData = data;
    const pageNo = this.pagesReceived + 1;
    let verdict: Verdict = 'MCF';
    try {
      verdict = this.opts.sink!.receivePage(data, this.lineFormat(), pageNo);
    } catch (e) {
      this.log(`page ${pageNo}: ${(e as Error).message}`);
      verdict = 'RTN';
    }
    if (!this.copyQuality) verdict = verdict === 'RTN' && data.length === 0 ? 'RTN' : 'MCF';
    this.lastVerdict = verdict;
    if (verdict !== 'RTN') {
      this.pagesReceived++;
      this.pageEvent('page-received', pageNo, verdict);
    } else {
      this.pageEvent('page-rejected', pageNo, verdict);
    }
    this.setState(State.F_POST_DOC_NON_ECM);
    this.io.receive({ kind: 'v21' });
    this.t2.start(this.now, T2);
  }

  private onEcmImageFrame(frame: Uint8Array): void {
    if (this.state !== State.F_DOC_ECM) return;
    if (frame[2] === FCD) {
      if (frame.length >= 4) this.ecmRx.store(frame[3]!, frame.subarray(4));
      return;
    }
    // RCP: end of the block. Switch to V.21 once the fast carrier drops ('fast-end').
  }

  private onPps(fif: Uint8Array): void {
    this.t2.stop();
    if (fif.length < 4) return this.fail(T30Err.RX_ECMPHD, true);
    if (this.rnrLeft > 0) {
      // Receiver not ready (a test aid, like spandsp's receiver_not_ready_count): RNR, then RR polls.
      this.rnrLeft--;
      this.heldPps = fif.slice();
      return this.respond([this.simple('RNR')], () => this.waitForCommand(State.F_POST_DOC_ECM));
    }
    const fcf2 = fif[0]! & 0xfe;
    // PPS-PRI-Q with every frame in: PIP when we answer interrupts (PIN has no use here: a bad block gets PPR).
    const pri = fcf2 !== 0 && fcfName(fcf2).startsWith('PRI-') && (this.opts.answerInterrupts ?? false);
    const ok = pri ? 'PIP' : 'MCF';
    const page = fif[1]!;
    const block = fif[2]!;
    const frames = fif[3]! + 1;
    if (page !== (this.rxPage & 0xff) || block !== (this.ecmRxBlockNo & 0xff)) {
      // A repeat of the previous block's PPS: our MCF was lost.
      const prevBlock = block === ((this.ecmRxBlockNo - 1) & 0xff) && page === (this.rxPage & 0xff);
      const prevPage = this.ecmRxBlockNo === 0 && page === ((this.rxPage - 1) & 0xff);
      if (prevBlock || prevPage) return this.respond([this.simple(ok)], () => this.expectEcmBlock());
      this.log(`PPS for page ${page} block ${block}, expected ${this.rxPage & 0xff}/${this.ecmRxBlockNo & 0xff}`);
      return this.fail(T30Err.RX_ECMPHD, true);
    }
    this.ecmRx.notePpsCount(frames);
    const missing = this.ecmRx.missing();
    if (missing.length > 0) {
      this.ecmRetries += missing.length;
      return this.respond([this.frame('PPR', this.ecmRx.pprMap())], () => this.expectEcmBlock());
    }
    this.ecmPageParts.push(this.ecmRx.assemble());
    this.ecmRx.reset();
    this.ecmRxBlockNo++;
    const name = fcf2 === 0 ? 'NULL' : fcfName(fcf2).replace('PRI-', '');
    if (name !== 'NULL') this.finishEcmPage();
    this.respond([this.simple(ok)], () => {
      if (name === 'EOP') { this.procedureComplete = true; return this.waitForCommand(State.F_POST_EOP); }
      if (name === 'EOM') return this.waitForCommand(State.R);
      return this.expectEcmBlock(false);
    });
  }

  private finishEcmPage(): void {
    const parts = this.ecmPageParts;
    let len = 0;
    for (const p of parts) len += p.length;
    const data = new Uint8Array(len);
    let o = 0;
    for (const p of parts) { data.set(p, o); o += p.length; }
    const pageNo = this.pagesReceived + 1;
    try {
      this.opts.sink!.receivePage(data, this.lineFormat(), pageNo);
    } catch (e) {
      this.log(`page ${pageNo}: ${(e as Error).message}`);
    }
    this.pagesReceived++;
    this.pageEvent('page-received', pageNo, 'MCF');
    this.rxPage++;
    this.ecmRxBlockNo = 0;
    this.ecmPageParts = [];
  }

  // -------------------------------------------------------------------------------------------
  // Commands, responses, repetition, timers.

  /** Send a command and wait for the response with T4, repeating up to MAX_COMMAND_TRIES. */
  private command(frames: Uint8Array[], waitIn: State): void {
    this.lastCommand = { frames, then: () => this.waitResponse(waitIn) };
    this.tries = 0;
    this.transmit({ kind: 'v21', frames }, () => this.waitResponse(waitIn));
  }

  private repeatCommand(): void {
    const c = this.lastCommand;
    if (!c) return;
    // DCS is always followed by its TCF: repeat the pair.
    if (this.state === State.D || this.state === State.D_POST_TCF) return this.sendDcsAndTcf();
    this.transmit({ kind: 'v21', frames: c.frames }, c.then);
  }

  private waitResponse(state: State): void {
    this.setState(state);
    this.io.receive({ kind: 'v21' });
    this.t4.start(this.now, T4);
    this.t4Extended = false;
  }

  /** Receiver: send a response and remember it for repeats. */
  private respond(frames: Uint8Array[], then: () => void): void {
    this.lastResponse = frames;
    this.transmit({ kind: 'v21', frames }, then);
  }

  private repeatResponse(): void {
    if (!this.lastResponse) return;
    const st = this.state;
    this.transmit({ kind: 'v21', frames: this.lastResponse }, () => {
      this.setState(st);
      if (st === State.F_DOC_ECM) return this.expectEcmBlock();
      if (st === State.F_DOC_NON_ECM) return this.expectPage();
      this.waitForCommand(st);
    });
  }

  private waitForCommand(state: State): void {
    this.setState(state);
    this.io.receive({ kind: 'v21' });
    this.t2Paused = false;
    this.t2Extended = 0;
    this.t2.start(this.now, T2);
  }

  private onT1(): void {
    if (this.state === State.T || this.state === State.R || this.state === State.ANSWERING || this.state === State.R_DTC) {
      this.log('T1 expired');
      this.fail(T30Err.T1_EXPIRED, true);
    }
  }

  private onT2(): void {
    let code: T30Err;
    switch (this.state) {
      case State.F_POST_EOP:
        // EOP was confirmed: the call did its job even if DCN never came.
        this.log('T2 expired waiting for DCN');
        return this.phaseE();
      case State.F_DOC_NON_ECM: code = this.pagesReceived > 0 ? T30Err.RX_T2EXPMPS : T30Err.RX_T2EXPFAX; break;
      case State.F_POST_DOC_NON_ECM: code = T30Err.RX_T2EXPMPS; break;
      case State.F_DOC_ECM:
      case State.F_POST_DOC_ECM: code = T30Err.RX_T2EXPMPS; break;
      case State.R: code = T30Err.RX_T2EXP; break;
      default: code = T30Err.RX_T2EXP;
    }
    this.log(`T2 expired in ${this.state}`);
    this.fail(code, true);
  }

  private onT4(): void {
    if (!this.lastCommand) return;
    // Flags are arriving: the response is on its way, give it time to end (spandsp's "T4 flagged").
    if (this.v21Up && !this.t4Extended) {
      this.t4Extended = true;
      this.t4.start(this.now, ms(3000));
      return;
    }
    if (this.state === State.R) {
      // DIS repeats until T1 runs out.
      return this.repeatCommand();
    }
    if (++this.tries >= MAX_COMMAND_TRIES) {
      this.log(`no response after ${MAX_COMMAND_TRIES} tries in ${this.state}`);
      let code: T30Err;
      switch (this.state) {
        case State.D_POST_TCF: code = T30Err.TX_PHBDEAD; break;
        case State.II_Q:
        case State.IV_PPS_Q:
        case State.IV_CTC:
        case State.IV_EOR: code = T30Err.TX_PHDDEAD; break;
        case State.IV_PPS_RNR: code = T30Err.TX_T5EXP; break;
        case State.R_DTC: code = T30Err.T1_EXPIRED; break;
        default: code = T30Err.RETRYDCN;
      }
      return this.fail(code, true);
    }
    this.log(`T4 expired in ${this.state}: repeating (${this.tries + 1}/${MAX_COMMAND_TRIES})`);
    this.repeatCommand();
  }

  private onT5(): void {
    if (this.state === State.IV_PPS_RNR) this.fail(T30Err.TX_T5EXP, true);
  }

  /** V.21 carrier dropped: a burst that held only damaged frames gets CRP (receiver) or a repeat (sender). */
  private onV21Down(): void {
    // Only a burst as short as a control message: a long one was a fast signal seen as noise.
    if (!this.sawBadFrame || this.sawGoodFinal || this.transmitting || this.now - this.v21UpAt > ms(5000)) return;
    this.sawBadFrame = false;
    switch (this.state) {
      case State.D_POST_TCF:
      case State.II_Q:
      case State.IV_PPS_Q:
      case State.IV_PPS_RNR:
      case State.IV_CTC:
      case State.IV_EOR:
        this.t4.stop();
        if (++this.tries >= MAX_COMMAND_TRIES) return this.onT4Final();
        return this.repeatCommand();
      case State.F_POST_DOC_NON_ECM:
      case State.F_POST_DOC_ECM:
        this.t2.stop();
        return this.transmit({ kind: 'v21', frames: [this.simple('CRP')] }, () => this.waitForCommand(this.state));
      default:
        return;
    }
  }

  private onT4Final(): void {
    this.tries = MAX_COMMAND_TRIES - 1;
    this.onT4();
  }

  // -------------------------------------------------------------------------------------------
  // Phase E.

  private sendDcn(): void {
    this.setState(State.C);
    this.t2.stop();
    this.t4.stop();
    this.transmit({ kind: 'v21', frames: [this.simple('DCN')] }, () => this.phaseE());
  }

  /** End the call with `code`; `sendDcn` says whether we still tell the far end. */
  private fail(code: T30Err, sendDcn: boolean): void {
    if (this.status === T30Err.OK) this.status = code;
    this.log(`phase E: ${t30ErrText(code)}`);
    if (sendDcn) this.sendDcn();
    else this.phaseE();
  }

  private phaseE(): void {
    if (this.finished) return;
    this.finished = true;
    this.setState(State.CALL_FINISHED);
    this.t1.stop(); this.t2.stop(); this.t4.stop(); this.t5.stop(); this.tFast.stop();
    this.io.hangUp();
    this.opts.onPhaseE?.(this.result());
  }

  result(): CallResult {
    const s = this.session;
    const modem = s ? sessionModem(s) : null;
    // A sender is only done when every page was confirmed (an ECM page given up with EOR was not).
    const allConfirmed = !this.sending || this.pagesConfirmed >= (this.opts.source?.pageCount ?? 0);
    const ok = this.finished ? this.status === T30Err.OK && allConfirmed : false;
    return {
      ok,
      status: this.status,
      statusText: t30ErrText(this.status),
      role: this.opts.role,
      direction: this.opts.direction,
      pagesSent: this.pagesSent,
      pagesConfirmed: this.pagesConfirmed,
      pagesReceived: this.pagesReceived,
      modem: modem ? modemName(modem) : null,
      bitRate: modem ? modem.rate : 0,
      ecm: s?.ecm ?? false,
      coding: s?.coding ?? null,
      resolution: s?.yRes ?? null,
      width: s?.width ?? 0,
      remoteIdent: this.remoteIdent,
      ecmRetries: this.ecmRetries,
      endSample: this.now,
      pageEvents: this.pageEvents.slice(),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Helpers.

  private transmit(step: TxStep, then: () => void): void {
    this.transmitting = true;
    this.afterTx = then;
    if (step.kind === 'v21' && this.opts.onFrame) {
      for (const f of step.frames) this.opts.onFrame({ dir: 'tx', name: fcfName(f[2]!), hex: hex(f), sample: this.now });
    }
    if (this.opts.log) {
      if (step.kind === 'v21') for (const f of step.frames) this.log(`tx ${fcfName(f[2]!)} ${hex(f.subarray(3))}`);
      else this.log(`tx ${step.kind}${'modem' in step ? ` ${modemName(step.modem)} ${step.modem.rate}` : ''}`);
    }
    this.io.send(step);
  }

  private fcfWithX(name: keyof typeof FCF): number {
    const code = FCF[name];
    const fixed = name === 'DIS' || name === 'CSI' || name === 'NSF' || name === 'DTC' || name === 'CIG' || name === 'NSC';
    return fixed ? code : code | (this.disReceived ? 1 : 0);
  }

  private frame(name: keyof typeof FCF, fif: Uint8Array, final = true): Uint8Array {
    const f = new Uint8Array(3 + fif.length);
    f[0] = 0xff;
    f[1] = final ? 0x13 : 0x03;
    f[2] = this.fcfWithX(name);
    f.set(fif, 3);
    return f;
  }

  private simple(name: keyof typeof FCF): Uint8Array {
    return this.frame(name, new Uint8Array(0));
  }

  private setState(s: State): void {
    if (s !== this.state) this.log(`state ${this.state} -> ${s}`);
    this.state = s;
  }

  private pageEvent(kind: PageEvent['kind'], page: number, response?: string): void {
    const e: PageEvent = { kind, page, sample: this.now, ...(response ? { response } : {}) };
    this.pageEvents.push(e);
    this.opts.onPageEvent?.(e);
  }

  private log(line: string): void {
    this.opts.log?.(`[${(this.now / 8000).toFixed(2)}] ${line}`);
  }
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
