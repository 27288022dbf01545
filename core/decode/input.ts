/**
 * Any supported input file -> report and page images, with no Node or DOM API, so the CLI and
 * the web page's decode worker share it: WAV (parseWav), a pcap/pcapng capture (each G.711 RTP
 * direction a channel, T.38 HDLC frames added as heard), or headerless raw audio when an encoding
 * is given or implied by the file name. Bad input throws an Error with a one-line message.
 */
import { parseWav, looksLikeWav, WavError } from '../formats/wav';
import { decodeRawAudio, rawEncodingFromName, type RawEncoding } from '../formats/raw-audio';
import { isCapture, decodeCapture, t38Pages } from './capture';
import { analyseRecordingFull } from './recording';
import type { DecodeReport, ReportBuilder } from './report';
import type { BilevelImage } from '../t4/image';

export interface DecodedInput {
  report: DecodeReport;
  /** Page images in the order of report.pages. */
  images: BilevelImage[];
}

export interface DecodeInputOptions {
  /** Raw audio: samples per second (default 8000). */
  rate?: number;
  /** Raw audio encoding; without it a name ending .ul/.al/.raw/... decides, else WAV is assumed. */
  encoding?: RawEncoding;
  /** Decode a WAV cut short instead of failing. */
  lenient?: boolean;
  onProgress?: (fraction: number) => void;
}

/** Decode a recording or capture. `name` is the file name (for the report and the raw-audio guess). */
export function decodeInput(name: string, bytes: Uint8Array, o: DecodeInputOptions = {}): DecodedInput {
  const file = name.split(/[\\/]/).pop() || name;
  if (bytes.length === 0) throw new Error(`${file}: empty file`);
  if (isCapture(bytes)) {
    const cap = decodeCapture(bytes);
    const chans = cap.audioChannels;
    const frames = cap.t38.hdlcFrames;
    if (chans.length === 0 && frames.length === 0) {
      throw new Error(`${file}: the capture holds no G.711 RTP audio and no T.38 fax data${cap.warnings.length ? ` (${cap.warnings[0]})` : ''}`);
    }
    const extend = (b: ReportBuilder) => {
      for (const f of frames) b.addFrame(f.bytes, f.fcsOk, f.t, f.t, -1, `T.38 ${f.direction}`);
      // Pages sent over T.38 (non-ECM data, or ECM frames merged across PPR), decoded already.
      for (const p of t38Pages(cap.t38)) {
        b.pages.push({
          number: b.pages.length + 1, t: p.tEnd, channel: -1, width: p.image.width, rows: p.rows, badRows: p.badRows,
          ecm: p.ecm, coding: p.coding, modem: p.modem, bitRate: p.bitRate,
        });
        b.images.push(p.image);
      }
    };
    if (chans.length === 0) {
      return analyseRecordingFull([new Float32Array(0)], 8000, { file, labels: ['(no audio)'], warnings: cap.warnings, extend });
    }
    return analyseRecordingFull(chans.map((c) => c.samples), 8000, {
      file, offsets: chans.map((c) => c.startTime), labels: chans.map((c) => c.label), warnings: cap.warnings, extend, onProgress: o.onProgress,
    });
  }
  const enc = o.encoding ?? (looksLikeWav(bytes) ? undefined : rawEncodingFromName(name));
  if (!enc) {
    try {
      const w = parseWav(bytes, { lenient: o.lenient });
      return analyseRecordingFull(w.channels, w.sampleRate, { file, warnings: w.warnings, onProgress: o.onProgress });
    } catch (e) {
      if (e instanceof WavError) {
        const hint = looksLikeWav(bytes) ? '' : ' (for headerless audio give the encoding)';
        throw new Error(`${file}: ${e.message}${hint}`);
      }
      throw e;
    }
  }
  const raw = decodeRawAudio(bytes, { encoding: enc, sampleRate: o.rate });
  if (raw.samples.length === 0) throw new Error(`${file}: no audio samples`);
  return analyseRecordingFull([raw.samples], raw.sampleRate, { file, warnings: raw.warnings, onProgress: o.onProgress });
}
