/**
 * The Decode view's analysis, in the engine worker: the file's bytes (WAV, raw, pcap/pcapng) or
 * audio the browser already decoded (FLAC/Ogg) -> core/decode's recording analyser -> the page's
 * ViewReport. The input dispatch mirrors `webfax decode` (core/cli/decode.ts), without Node.
 */
import type { DecodeInput, Progress, ViewField, ViewReport } from '../api';
import { parseWav, looksLikeWav, WavError } from '../../core/formats/wav';
import { decodeRawAudio } from '../../core/formats/raw-audio';
import { isCapture, decodeCapture } from '../../core/decode/capture';
import { analyseRecording, type AnalyseOptions } from '../../core/decode/recording';
import type { DecodeReport, ReportBuilder } from '../../core/decode/report';

export const decodeAvailable = true;

/** Progress callbacks cross threads: send one every 2 % at most. */
function throttled(onProgress: ((p: Progress) => void) | undefined, stage: string): ((f: number) => void) | undefined {
  if (!onProgress) return undefined;
  let last = -1;
  return (f) => {
    if (f - last < 0.02 && f < 1) return;
    last = f;
    onProgress({ fraction: f, stage });
  };
}

export function analyseInput(input: DecodeInput, onProgress?: (p: Progress) => void): DecodeReport {
  const file = input.name;
  const progress = throttled(onProgress, 'Analysing');
  if (input.audio) {
    if (input.audio.channels.length === 0 || input.audio.channels[0]!.length === 0) throw new Error(`${file}: no audio in the file`);
    return analyseRecording(input.audio.channels, input.audio.rate, { file, onProgress: progress });
  }
  const bytes = new Uint8Array(input.bytes ?? new ArrayBuffer(0));
  if (bytes.length === 0) throw new Error(`${file}: empty file`);
  if (isCapture(bytes)) {
    onProgress?.({ fraction: 0, stage: 'Reading the capture' });
    const cap = decodeCapture(bytes);
    const chans = cap.audioChannels;
    const frames = cap.t38.hdlcFrames;
    if (chans.length === 0 && frames.length === 0) {
      throw new Error(`${file}: the capture holds no G.711 RTP audio and no T.38 fax data${cap.warnings.length ? ` (${cap.warnings[0]})` : ''}`);
    }
    const extend: AnalyseOptions['extend'] = (b: ReportBuilder) => {
      for (const f of frames) b.addFrame(f.bytes, f.fcsOk, f.t, f.t, -1, `T.38 ${f.direction}`);
    };
    if (chans.length === 0) return analyseRecording([new Float32Array(0)], 8000, { file, labels: ['(no audio)'], warnings: cap.warnings, extend });
    return analyseRecording(chans.map((c) => c.samples), 8000, {
      file, offsets: chans.map((c) => c.startTime), labels: chans.map((c) => c.label), warnings: cap.warnings, extend, onProgress: progress,
    });
  }
  if (looksLikeWav(bytes) || !input.raw) {
    try {
      const w = parseWav(bytes);
      return analyseRecording(w.channels, w.sampleRate, { file, warnings: w.warnings, onProgress: progress });
    } catch (e) {
      if (e instanceof WavError) {
        throw new Error(`${file}: ${e.message}${looksLikeWav(bytes) ? '' : ' (for headerless audio, open "Headerless raw audio" and name its encoding)'}`);
      }
      throw e;
    }
  }
  const raw = decodeRawAudio(bytes, { encoding: input.raw.encoding, sampleRate: input.raw.rate });
  if (raw.samples.length === 0) throw new Error(`${file}: no audio samples`);
  return analyseRecording([raw.samples], raw.sampleRate, { file, warnings: raw.warnings, onProgress: progress });
}

/** "Name: value" lines -> fields; lines without a colon keep their whole text as the value. */
function fieldsOf(lines: string[]): ViewField[] {
  return lines.map((l) => {
    const i = l.indexOf(':');
    return i > 0 && i < 40 ? { name: l.slice(0, i).trim(), value: l.slice(i + 1).trim() } : { name: '', value: l.trim() };
  });
}

const DIRECTION: Record<string, string> = { 'calling->called': 'caller \u2192', 'called->calling': '\u2190 answerer' };

export function toViewReport(r: DecodeReport): ViewReport {
  const label = (c: number): string | undefined => (c >= 0 && r.channels > 1 ? r.channelLabels[c] ?? `channel ${c}` : undefined);
  const ids = [r.summary.ids.tsi ? `sender TSI \u201c${r.summary.ids.tsi}\u201d` : '', r.summary.ids.csi ? `receiver CSI \u201c${r.summary.ids.csi}\u201d` : ''].filter(Boolean);
  return {
    duration: r.duration,
    summary: `${r.summary.verdict}${ids.length ? ` Identities: ${ids.join(', ')}.` : ''}${r.warnings.length ? ` Note: ${r.warnings.join('; ')}.` : ''}`,
    tones: r.tones.map((t) => ({ kind: t.kind, start: t.start, end: t.end, dir: label(t.channel) })),
    frames: r.frames.map((f) => ({
      t: f.t, dir: DIRECTION[f.direction] ?? '', name: f.name, final: f.final, fcsOk: f.fcsOk, hex: f.hex,
      fields: fieldsOf(f.fields), via: typeof f.values.source === 'string' ? f.values.source : 'V.21',
    })),
    bursts: r.bursts.map((b) => ({
      // A TCF is 1.5 s; anything much longer carries page data (or an ECM block).
      start: b.start, end: b.end, dir: label(b.channel), modem: `${b.modem} ${b.bitRate}`, kind: b.end - b.start < 2.5 ? 'TCF' : 'page data',
      ok: !/fail/i.test(b.training), note: `training ${b.training}`,
    })),
    pages: [],
    json: JSON.stringify(r, null, 2),
  };
}

export async function decodeRecording(input: DecodeInput, onProgress?: (p: Progress) => void): Promise<ViewReport> {
  return toViewReport(analyseInput(input, onProgress));
}
