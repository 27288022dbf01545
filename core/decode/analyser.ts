/**
 * The recording analyser: feed it audio blocks (8 kHz, one stream per channel) and it emits
 * typed events for what it hears: fax tones (CNG, CED) with start and end, V.21 carrier on/off,
 * and every HDLC frame on the V.21 control channel with its FCS verdict and its time on the line.
 * `analyseRecording` runs a whole recording through it and returns the report (report.ts).
 *
 * How: each channel has its own listener (tone detector, V.21 channel-2 demodulator, HDLC
 * deframer). A mono line tap carries both directions; V.21 is half duplex, so one demodulator
 * hears both sides in turn and the X bit / frame type tells who spoke. A stereo file has one
 * direction per channel. Frame times come from the sample at which each bit was decided (a ring
 * of the last 4096 bit times), so `start` is the first bit after the opening flag.
 * No DOM, no Node: this runs in the web page's decode worker as well as in the CLI.
 */
import { V21Receiver } from '../modems/v21-rx';
import { HdlcRx } from '../hdlc/hdlc-rx';
import { FaxToneDetector } from '../tones/fax-tones-rx';
import type { FaxTone } from '../tones/fax-tones-tx';
import { SAMPLE_RATE } from '../dsp/level';
import { FastListener, type BurstInfo, type PageInfo } from './fast';
import { parseFrame } from '../t30/frames';
import { parseDcs } from '../t30/dis';
import { postMessageCode } from '../t30/fcf';

export type AnalyserEvent =
  | { kind: 'tone'; channel: number; tone: FaxTone; start: number; end: number }
  | { kind: 'v21-carrier'; channel: number; on: boolean; sample: number }
  | { kind: 'frame'; channel: number; start: number; end: number; bytes: Uint8Array; fcsOk: boolean }
  | { kind: 'hdlc-abort'; channel: number; sample: number }
  /** A high-speed burst (TCF, page, ECM block) after a DCS; times in samples. */
  | { kind: 'burst'; burst: BurstInfo }
  /** A page decoded from the bursts (non-ECM: one burst; ECM: its blocks). */
  | { kind: 'page'; page: PageInfo };

const BIT_RING = 4096;

class ChannelListener {
  readonly tones: FaxToneDetector;
  readonly v21: V21Receiver;
  readonly hdlc: HdlcRx;
  readonly fast: FastListener;
  private readonly bitTimes = new Float64Array(BIT_RING);
  /** Samples fed so far. */
  private samples = 0;
  /** V.21 frame spans, to tell a failed fast training on V.21 from a real failed burst. */
  private readonly v21Spans: number[] = [];
  private readonly failed: BurstInfo[] = [];

  constructor(readonly channel: number, private readonly emit: (e: AnalyserEvent) => void) {
    this.fast = new FastListener(channel, (b) => {
      if (b.training === 'succeeded') emit({ kind: 'burst', burst: b });
      else this.failed.push(b);
    }, (page) => emit({ kind: 'page', page }), { probe: true });
    this.tones = new FaxToneDetector((e) => {
      if (e.kind === 'tone-off') emit({ kind: 'tone', channel, tone: e.tone, start: e.start, end: e.end });
    });
    this.hdlc = new HdlcRx(
      (bytes, fcsOk, endBit, startBit) => {
        const start = this.bitTimes[startBit % BIT_RING]!;
        const end = this.bitTimes[(endBit - 1) % BIT_RING]!;
        const t0 = endBit - startBit < BIT_RING ? start : end;
        emit({ kind: 'frame', channel, start: t0, end, bytes, fcsOk });
        this.v21Spans.push(t0 - 8000, end);
        if (fcsOk) this.control(bytes);
      },
      (e) => {
        if (e.kind === 'abort') emit({ kind: 'hdlc-abort', channel, sample: this.v21.sample });
      },
      { requireFraming: true, syncFlags: 3, maxBytes: 300 },
    );
    this.v21 = new V21Receiver(
      (bit) => {
        // The bit just decided belongs to the sample the receiver is at (minus half a bit: its centre).
        this.bitTimes[this.hdlc.bitCount % BIT_RING] = Math.max(0, this.v21.sample - 13);
        this.hdlc.putBit(bit);
      },
      (s) => {
        if (s.kind === 'carrier-up' || s.kind === 'carrier-down') emit({ kind: 'v21-carrier', channel, on: s.kind === 'carrier-up', sample: s.sample });
        if (s.kind === 'carrier-down') this.hdlc.restart({ requireFraming: true, syncFlags: 3, maxBytes: 300 });
      },
    );
  }

  /** Good control frames from this channel's sender steer the fast side. */
  private control(bytes: Uint8Array): void {
    const f = parseFrame(bytes);
    const name = f.info?.name;
    if (name === 'DCS') this.fast.setDcs(parseDcs(f.fif));
    else if (name === 'PPS' && f.fif.length >= 4) {
      this.fast.endOfBlock(f.fif[1]!, f.fif[2]!, f.fif[3]! + 1, postMessageCode(f.fif[0]!) ?? 'NULL');
    } else if (name === 'EOR' && f.fif.length >= 1) {
      this.fast.endOfRetransmission(postMessageCode(f.fif[0]!) ?? 'NULL');
    } else if (name === 'CTC' && f.fif.length >= 2) {
      this.fast.continueToCorrect(parseDcs(f.fif));
    }
  }

  rx(x: Float32Array, offset: number, length: number): void {
    this.tones.rx(x, offset, length);
    this.v21.rx(x, offset, length);
    this.fast.rxAudio(x, offset, length, this.samples);
    this.samples += length;
  }

  flush(): void {
    this.tones.flush();
    this.fast.flush();
    // Failed trainings that overlap V.21 (the fast receiver hearing a control message) are not bursts.
    for (const b of this.failed) {
      let v21 = false;
      for (let i = 0; i < this.v21Spans.length; i += 2) {
        if (b.start < this.v21Spans[i + 1]! && b.end > this.v21Spans[i]!) { v21 = true; break; }
      }
      if (!v21 && b.end - b.start > 1600) this.emit({ kind: 'burst', burst: b });
    }
  }
}

/** Streaming analyser: call `rx(channel, block)` in time order per channel, then `flush()`. */
export class CallAnalyser {
  private readonly listeners: ChannelListener[] = [];

  constructor(channels: number, onEvent: (e: AnalyserEvent) => void) {
    for (let c = 0; c < channels; c++) this.listeners.push(new ChannelListener(c, onEvent));
  }

  get channels(): number {
    return this.listeners.length;
  }

  rx(channel: number, samples: Float32Array, offset = 0, length = samples.length - offset): void {
    const l = this.listeners[channel];
    if (!l) throw new Error(`analyser: no channel ${channel}`);
    l.rx(samples, offset, length);
  }

  /** End of the recording: close tones still sounding. */
  flush(): void {
    for (const l of this.listeners) l.flush();
  }
}

export const ANALYSER_RATE = SAMPLE_RATE;
