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

export type AnalyserEvent =
  | { kind: 'tone'; channel: number; tone: FaxTone; start: number; end: number }
  | { kind: 'v21-carrier'; channel: number; on: boolean; sample: number }
  | { kind: 'frame'; channel: number; start: number; end: number; bytes: Uint8Array; fcsOk: boolean }
  | { kind: 'hdlc-abort'; channel: number; sample: number };

const BIT_RING = 4096;

class ChannelListener {
  readonly tones: FaxToneDetector;
  readonly v21: V21Receiver;
  readonly hdlc: HdlcRx;
  private readonly bitTimes = new Float64Array(BIT_RING);

  constructor(readonly channel: number, emit: (e: AnalyserEvent) => void) {
    this.tones = new FaxToneDetector((e) => {
      if (e.kind === 'tone-off') emit({ kind: 'tone', channel, tone: e.tone, start: e.start, end: e.end });
    });
    this.hdlc = new HdlcRx(
      (bytes, fcsOk, endBit, startBit) => {
        const start = this.bitTimes[startBit % BIT_RING]!;
        const end = this.bitTimes[(endBit - 1) % BIT_RING]!;
        emit({ kind: 'frame', channel, start: endBit - startBit < BIT_RING ? start : end, end, bytes, fcsOk });
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

  rx(x: Float32Array, offset: number, length: number): void {
    this.tones.rx(x, offset, length);
    this.v21.rx(x, offset, length);
  }

  flush(): void {
    this.tones.flush();
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
