/**
 * Run a whole recording through the analyser: any sample rate (resampled to 8 kHz), any number
 * of channels (of any lengths, each with an optional start offset, as capture streams are),
 * processed in blocks with an optional progress callback so a worker can report it.
 */
import { CallAnalyser } from './analyser';
import { ReportBuilder, type DecodeReport } from './report';
import { resample } from '../dsp/resample';
import type { BilevelImage } from '../t4/image';

export interface AnalyseOptions {
  /** Name shown in the report. */
  file?: string;
  /** Called with 0..1 as blocks are processed. */
  onProgress?: (fraction: number) => void;
  /** Block size in samples at 8 kHz (default 8000). */
  block?: number;
  /** Seconds from the start of the file to each channel's first sample (default 0). */
  offsets?: number[];
  /** Channel names for the report. */
  labels?: string[];
  /** Warnings to carry into the report (from the file reader). */
  warnings?: string[];
  /** Receives the builder before `build`, so callers can add frames heard elsewhere (T.38). */
  extend?: (b: ReportBuilder) => void;
}

export function analyseRecording(channels: Float32Array[], sampleRate: number, opts: AnalyseOptions = {}): DecodeReport {
  return analyseRecordingFull(channels, sampleRate, opts).report;
}

/** The report plus the decoded page images (in the order of report.pages). */
export function analyseRecordingFull(channels: Float32Array[], sampleRate: number, opts: AnalyseOptions = {}): { report: DecodeReport; images: BilevelImage[] } {
  if (channels.length === 0) throw new Error('no audio channels');
  const at8k = sampleRate === 8000 ? channels : channels.map((c) => resample(c, sampleRate, 8000));
  const builder = new ReportBuilder(8000);
  builder.offsets = opts.offsets ?? [];
  builder.channelLabels = opts.labels ?? (channels.length === 2 ? ['left', 'right'] : []);
  builder.warnings.push(...(opts.warnings ?? []));
  const an = new CallAnalyser(at8k.length, builder.onEvent);
  let n = 0;
  for (const c of at8k) n = Math.max(n, c.length);
  const block = opts.block ?? 8000;
  for (let i = 0; i < n; i += block) {
    for (let c = 0; c < at8k.length; c++) {
      const len = Math.min(block, at8k[c]!.length - i);
      if (len > 0) an.rx(c, at8k[c]!, i, len);
    }
    opts.onProgress?.(Math.min(1, (i + block) / n));
  }
  an.flush();
  opts.extend?.(builder);
  let end = n;
  (opts.offsets ?? []).forEach((o, c) => { end = Math.max(end, Math.round(o * 8000) + (at8k[c]?.length ?? 0)); });
  return { report: builder.build(opts.file ?? 'recording', sampleRate, channels.length, end), images: builder.images };
}
