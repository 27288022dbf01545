/**
 * The Decode view's analysis, in the engine worker: the file's bytes (WAV, raw, pcap/pcapng, via
 * core/decode/input.ts, the same dispatch as `webfax decode`) or audio the browser already
 * decoded (FLAC/Ogg) -> core/decode's recording analyser -> the page's ViewReport with the
 * decoded page images.
 */
import type { DecodeInput, Progress, ViewField, ViewPage, ViewReport } from '../api';
import { decodeInput, type DecodedInput } from '../../core/decode/input';
import { analyseRecordingFull } from '../../core/decode/recording';
import type { DecodeReport } from '../../core/decode/report';
import type { BilevelImage } from '../../core/t4/image';

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

export function analyseInput(input: DecodeInput, onProgress?: (p: Progress) => void): DecodedInput {
  const file = input.name;
  const progress = throttled(onProgress, 'Analysing');
  if (input.audio) {
    if (input.audio.channels.length === 0 || input.audio.channels[0]!.length === 0) throw new Error(`${file}: no audio in the file`);
    return analyseRecordingFull(input.audio.channels, input.audio.rate, { file, onProgress: progress });
  }
  const bytes = new Uint8Array(input.bytes ?? new ArrayBuffer(0));
  try {
    return decodeInput(file, bytes, { encoding: input.raw?.encoding, rate: input.raw?.rate, onProgress: progress });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // The page's way to name a raw encoding, instead of the CLI's.
    throw new Error(msg.replace('(for headerless audio give the encoding)', '(for headerless audio, open "Headerless raw audio" and name its encoding)'));
  }
}

/** "Name: value" lines -> fields; lines without a colon keep their whole text as the value. */
function fieldsOf(lines: string[]): ViewField[] {
  return lines.map((l) => {
    const i = l.indexOf(':');
    return i > 0 && i < 40 ? { name: l.slice(0, i).trim(), value: l.slice(i + 1).trim() } : { name: '', value: l.trim() };
  });
}

const DIRECTION: Record<string, string> = { 'calling->called': 'caller \u2192', 'called->calling': '\u2190 answerer' };
const WHAT: Record<string, string> = { tcf: 'TCF', page: 'page data', ecm: 'ECM block', unknown: 'burst' };

export function toViewReport(r: DecodeReport, images: BilevelImage[]): ViewReport {
  const label = (c: number): string | undefined => (c >= 0 && r.channels > 1 ? r.channelLabels[c] ?? `channel ${c}` : undefined);
  const ids = [r.summary.ids.tsi ? `sender TSI \u201c${r.summary.ids.tsi}\u201d` : '', r.summary.ids.csi ? `receiver CSI \u201c${r.summary.ids.csi}\u201d` : ''].filter(Boolean);
  const pages: ViewPage[] = images.map((img, i) => {
    const p = r.pages[i];
    return {
      index: p?.number ?? i + 1, width: img.width, height: img.height, xDpi: img.xDpi, yDpi: img.yDpi, badRows: p?.badRows ?? 0, data: img.data,
      note: p ? [p.modem && `${p.modem} ${p.bitRate}`, p.coding, p.ecm ? 'ECM' : '', p.error ?? ''].filter(Boolean).join(', ') : undefined,
    };
  });
  return {
    duration: r.duration,
    summary: `${r.summary.verdict}${ids.length ? ` Identities: ${ids.join(', ')}.` : ''}${r.warnings.length ? ` Note: ${r.warnings.join('; ')}.` : ''}`,
    tones: r.tones.map((t) => ({ kind: t.kind, start: t.start, end: t.end, dir: label(t.channel) })),
    frames: r.frames.map((f) => ({
      t: f.t, dir: DIRECTION[f.direction] ?? '', name: f.name, final: f.final, fcsOk: f.fcsOk, hex: f.hex,
      fields: fieldsOf(f.fields), via: typeof f.values.source === 'string' ? f.values.source : 'V.21',
    })),
    bursts: r.bursts.map((b) => ({
      start: b.start, end: b.end, dir: label(b.channel), modem: `${b.modem} ${b.bitRate}`, kind: WHAT[b.what] ?? b.what,
      ok: !/fail/i.test(b.training) && b.what !== 'unknown', note: `training ${b.training}${b.reason ? ` (${b.reason})` : ''}`,
    })),
    pages,
    json: JSON.stringify(r, null, 2),
  };
}

export async function decodeRecording(input: DecodeInput, onProgress?: (p: Progress) => void): Promise<ViewReport> {
  const { report, images } = analyseInput(input, onProgress);
  return toViewReport(report, images);
}
