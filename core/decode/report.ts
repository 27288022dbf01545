/**
 * The decode report: what `webfax decode` prints and writes as report.json, built from the
 * analyser's events. Times are seconds from the start of the file. Frames carry their FCF name,
 * final bit, FCS verdict, hex, and their fields in words (describeFrame) plus key values.
 */
import { describeFrame, frameFields, parseFrame } from '../t30/frames';
import type { AnalyserEvent } from './analyser';
import type { BurstInfo } from './fast';
import type { BilevelImage } from '../t4/image';

export interface ReportTone {
  kind: 'CNG' | 'CED';
  start: number;
  end: number;
  channel: number;
}

export interface ReportFrame {
  /** Start of the frame on the line (first bit after the opening flag), s. */
  t: number;
  /** End of the closing flag, s. */
  end: number;
  channel: number;
  /** 'calling->called', 'called->calling' or 'unknown'. */
  direction: string;
  name: string;
  longName: string;
  final: boolean;
  fcsOk: boolean;
  addressOk: boolean;
  controlOk: boolean;
  hex: string;
  /** The frame in words, one line per field. */
  fields: string[];
  /** Key values (ident, modem, bitRate, page, ...). */
  values: Record<string, unknown>;
  /** The same frame heard on another channel shortly before: an echo of it, not a new frame. */
  echo?: boolean;
}

/** A burst as the fast listener saw it, with its start and end in seconds instead of samples. */
export interface ReportBurst extends Omit<BurstInfo, 'start' | 'end'> {
  /** s */
  start: number;
  end: number;
}

export interface ReportPage {
  number: number;
  /** When the page's data ended, s. */
  t: number;
  channel: number;
  width: number;
  rows: number;
  badRows: number;
  ecm: boolean;
  coding: string;
  modem: string;
  bitRate: number;
  error?: string;
  /** No DCS was heard before it: modem found by probing, coding by trying MH and MR. */
  guessed?: boolean;
  /** Part of the page is missing from the recording: 'start' (begun before it) or 'end' (it ends during the page). */
  partial?: 'start' | 'end';
  /** Where the page came from when not from this channel's audio ("T.38 a:p->b:q"). */
  source?: string;
  /** PNG file name when pages were written. */
  file?: string;
}

export interface DecodeReport {
  file: string;
  sampleRate: number;
  channels: number;
  channelLabels: string[];
  duration: number;
  tones: ReportTone[];
  frames: ReportFrame[];
  bursts: ReportBurst[];
  pages: ReportPage[];
  summary: {
    frames: number;
    badFcs: number;
    ids: { csi?: string; tsi?: string; cig?: string };
    modem?: string;
    bitRate?: number;
    ecm?: boolean;
    verdict: string;
  };
  warnings: string[];
  /** Document files written beside the pages (CLI --out): fax.pdf, fax.tif. */
  documents?: string[];
}

function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** Collects analyser events into a report. */
export class ReportBuilder {
  readonly tones: ReportTone[] = [];
  readonly frames: ReportFrame[] = [];
  readonly bursts: ReportBurst[] = [];
  readonly pages: ReportPage[] = [];
  /** The page images, in the order of `pages`. */
  readonly images: BilevelImage[] = [];
  readonly warnings: string[] = [];

  /** Seconds added to each channel's times (captures: when the stream started). */
  offsets: number[] = [];
  /** Names of the channels ("left", "10.0.0.1:4000->10.0.0.2:5000 PCMA", ...). */
  channelLabels: string[] = [];

  constructor(private readonly rate = 8000) {}

  private sec(channel: number, sample: number): number {
    return round(sample / this.rate + (this.offsets[channel] ?? 0));
  }

  readonly onEvent = (e: AnalyserEvent): void => {
    switch (e.kind) {
      case 'tone':
        this.tones.push({ kind: e.tone, start: this.sec(e.channel, e.start), end: this.sec(e.channel, e.end), channel: e.channel });
        break;
      case 'frame':
        this.addFrame(e.bytes, e.fcsOk, this.sec(e.channel, e.start), this.sec(e.channel, e.end), e.channel);
        break;
      case 'burst': {
        const b = e.burst;
        this.bursts.push({ ...b, start: this.sec(b.channel, b.start), end: this.sec(b.channel, b.end) });
        break;
      }
      case 'page': {
        const p = e.page;
        this.pages.push({
          number: this.pages.length + 1, t: this.sec(p.channel, p.end), channel: p.channel, width: p.image.width,
          rows: p.rows, badRows: p.badRows, ecm: p.ecm, coding: p.coding, modem: p.modem, bitRate: p.bitRate,
          ...(p.error ? { error: p.error } : {}),
          ...(p.guessed ? { guessed: true } : {}),
          ...(p.partial ? { partial: p.partial } : {}),
        });
        this.images.push(p.image);
        break;
      }
      default:
        break;
    }
  };

  /** Add a page decoded some other way (a T.38 capture); `number` is assigned in time order. */
  addPage(page: ReportPage, image: BilevelImage): void {
    this.pages.push(page);
    this.images.push(image);
  }

  /** Add a frame heard some other way (a T.38 capture's HDLC data), times in seconds. */
  addFrame(bytes: Uint8Array, fcsOk: boolean, t: number, end: number, channel: number, source?: string): void {
    const p = parseFrame(bytes);
    const d = describeFrame(bytes);
    const values = frameFields(bytes);
    delete values.text;
    if (source) values.source = source;
    this.frames.push({
      t: round(t), end: round(end), channel,
      direction: p.fromCaller === null ? 'unknown' : p.fromCaller ? 'calling->called' : 'called->calling',
      name: d.name, longName: d.longName, final: p.final, fcsOk,
      addressOk: p.addressOk, controlOk: p.controlOk, hex: toHex(bytes), fields: d.fields, values,
    });
  }

  build(file: string, sampleRate: number, channels: number, samples: number): DecodeReport {
    const tones = [...this.tones].sort((a, b) => a.start - b.start);
    const frames = [...this.frames].sort((a, b) => a.t - b.t);
    markEchoes(frames);
    const ids: DecodeReport['summary']['ids'] = {};
    let modem: string | undefined, bitRate: number | undefined, ecm: boolean | undefined;
    for (const f of frames) {
      if (!f.fcsOk || f.echo) continue;
      if (f.name === 'CSI') ids.csi = f.values.ident as string;
      if (f.name === 'TSI') ids.tsi = f.values.ident as string;
      if (f.name === 'CIG') ids.cig = f.values.ident as string;
      if (f.name === 'DCS') { modem = f.values.modem as string; bitRate = f.values.bitRate as number; ecm = f.values.ecm as boolean; }
    }
    // Pages in time order, numbered 1..n, images kept in step.
    // A page decoded again from the other channel's echo (same rows, within 1.5 s) is dropped.
    const dup = new Set<number>();
    this.pages.forEach((p, i) => {
      this.pages.forEach((q, j) => {
        if (j !== i && !dup.has(j) && q.channel !== p.channel && q.channel >= 0 && p.channel >= 0 && q.rows === p.rows &&
          Math.abs(q.t - p.t) < 1.5 && (q.t < p.t || (q.t === p.t && j < i)) && q.badRows <= p.badRows) dup.add(i);
      });
    });
    if (dup.size) this.warnings.push(`${dup.size} page(s) heard again as echo on the other channel, not listed`);
    const order = this.pages.map((_, i) => i).filter((i) => !dup.has(i)).sort((a, b) => this.pages[a]!.t - this.pages[b]!.t);
    // A recording that starts mid-call (no DCS, pages guessed): end-of-page signals heard before
    // the first decoded page belong to pages that began before the recording; count them in.
    const first = order.length ? this.pages[order[0]!]! : null;
    let before = 0;
    if (first?.guessed) {
      // A page counts once: its post-page signal (repeats and PPRs aside) with an accepting answer.
      let pending = false;
      for (const f of frames) {
        if (!f.fcsOk || f.echo || f.t >= first.t) continue;
        if (['MPS', 'EOP', 'EOM'].includes(f.name) || (f.name === 'PPS' && f.values.postMessage !== 'NULL' && f.values.postMessage !== undefined)) pending = true;
        else if (pending && ['MCF', 'RTP', 'PIP', 'PIN'].includes(f.name)) { before++; pending = false; }
        else if (f.name === 'RTN') pending = false;
      }
      if (before) this.warnings.push(`the recording starts during the call: ${before} page(s) before page ${before + 1} were sent before or while it began and could not be decoded`);
    }
    const pages = order.map((i, k) => ({ ...this.pages[i]!, number: before + k + 1 }));
    const images = order.map((i) => this.images[i]!);
    this.pages.splice(0, this.pages.length, ...pages);
    this.images.splice(0, this.images.length, ...images);
    const badFcs = frames.filter((f) => !f.fcsOk).length;
    const real = frames.filter((f) => !f.echo);
    return {
      file, sampleRate, channels, channelLabels: this.channelLabels, duration: round(samples / this.rate), tones, frames,
      bursts: [...this.bursts].sort((a, b) => a.start - b.start), pages: this.pages,
      summary: { frames: real.length, badFcs, ids, modem, bitRate, ecm, verdict: verdict(real, modem, bitRate, this.pages, this.bursts) },
      warnings: this.warnings,
    };
  }
}

/** In multi-channel input, a frame repeated on another channel within 1 s is that channel's echo. */
function markEchoes(frames: ReportFrame[]): void {
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    for (let j = i - 1; j >= 0 && f.t - frames[j]!.t < 1; j--) {
      const g = frames[j]!;
      if (g.channel !== f.channel && g.channel >= 0 && f.channel >= 0 && !g.echo && g.hex === f.hex && f.t > g.t) {
        f.echo = true;
        break;
      }
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** One paragraph saying how the call went, from the control frames, bursts and pages. */
function verdict(frames: ReportFrame[], modem?: string, bitRate?: number, pages: ReportPage[] = [], bursts: ReportBurst[] = []): string {
  const good = frames.filter((f) => f.fcsOk);
  if (good.length === 0) return frames.length ? 'Only damaged V.21 frames were heard; no T.30 exchange could be read.' : 'No fax control frames were found in this recording.';
  const parts: string[] = [];
  const names = good.map((f) => f.name);
  const dcs = good.filter((f) => f.name === 'DCS');
  const ftt = names.filter((n) => n === 'FTT').length;
  if (dcs.length) {
    const first = dcs[0]!.values;
    const fell = first.bitRate !== bitRate || first.modem !== modem;
    parts.push(`The sender commanded ${modem} ${bitRate} bit/s` +
      (fell ? ` after starting at ${first.modem} ${first.bitRate}` : '') +
      (ftt ? ` (${ftt} failed training check${ftt > 1 ? 's' : ''}, FTT)` : '') +
      (dcs.length > 1 && !ftt ? ` (${dcs.length} DCS)` : '') + '.');
  } else if (names.includes('DIS')) parts.push('The answering machine announced its capabilities (DIS) but no DCS was heard.');
  // Each page: the post-page response that followed it.
  const responses = good.filter((f) => ['MCF', 'RTN', 'RTP', 'PIP', 'PIN', 'PPR'].includes(f.name));
  const pageTexts: string[] = [];
  // Responses in order: each page takes the PPRs before, and the first final answer (MCF, RTN,
  // RTP, PIP, PIN) after, the end of its data.
  let k = 0;
  pages.forEach((p) => {
    const rs: string[] = [];
    while (k < responses.length) {
      const f = responses[k]!;
      if (f.name !== 'PPR' && f.t < p.t) { k++; continue; } // a late answer to something earlier
      rs.push(f.name);
      k++;
      if (f.name !== 'PPR') break;
    }
    const answer = rs.length && rs[rs.length - 1] !== 'PPR' ? rs[rs.length - 1] : 'no answer heard';
    const pprs = rs.filter((n) => n === 'PPR').length;
    const bad = p.rows ? ` ${((100 * p.badRows) / p.rows).toFixed(p.badRows ? 1 : 0)}% bad rows` : '';
    const part = p.partial === 'start' ? 'partial: its start is before the recording, ' : p.partial === 'end' ? 'partial: the recording ends during it, ' : '';
    pageTexts.push(`page ${p.number} (${part}${p.rows} rows,${bad}) ${answer}${pprs ? ` after ${pprs} PPR` : ''}`);
  });
  if (pages.length) parts.push(`${pages.length} page(s) decoded${pages[0]!.ecm ? ' with ECM' : ''}: ${pageTexts.join('; ')}.`);
  else {
    const pageBursts = bursts.filter((b) => b.what === 'page' || b.what === 'ecm').length;
    const endSignals = names.filter((n) => n === 'MPS' || n === 'EOP' || n === 'EOM').length + good.filter((f) => f.name === 'PPS' && f.values.postMessage !== 'NULL').length;
    if (endSignals) parts.push(`${endSignals} end-of-page signal(s) were sent but no page could be decoded${pageBursts ? '' : ' (no page data burst trained)'}.`);
  }
  parts.push(...pageStory(good));
  const bad = frames.length - good.length;
  if (bad) parts.push(`${bad} frame(s) had a bad FCS.`);
  return parts.join(' ');
}

/**
 * What happened to each page on the line, from the control frames in order: the post-page
 * signal (MPS/EOP/EOM, or a PPS with one) starts an attempt at the current DCS modem, the first
 * final answer (MCF, RTP, PIP, PIN, RTN, ERR; PPRs counted) ends it; RTN keeps the same page for
 * the next attempt. Then how the call ended: normally (the EOP answered, then DCN), the sender
 * giving up after RTN, a DCN with the last post-page signal unanswered, or a DCN before any EOP.
 */
function pageStory(good: ReportFrame[]): string[] {
  const texts: string[] = [];
  let modem = '';
  let page = 1;
  let tries = 0;
  let seg = '';
  let pending = '';
  let pprs = 0;
  let last: { post: string; answer: string } | null = null;
  for (const f of good) {
    const post = ['MPS', 'EOP', 'EOM'].includes(f.name) ? f.name
      : (f.name === 'PPS' || f.name === 'EOR') && typeof f.values.postMessage === 'string' && f.values.postMessage !== 'NULL' ? f.values.postMessage : '';
    if (f.name === 'DCS' || f.name === 'CTC') {
      if (f.values.modem) modem = `${f.values.modem} ${f.values.bitRate}`;
    } else if (post) {
      if (pending) continue; // the same post-page signal repeated (no answer yet, or after a PPR)
      pending = post;
      tries++;
      seg = tries === 1 ? `${seg}page ${page} sent${modem ? ` at ${modem}` : ''}` : `${seg}; sent again${modem ? ` at ${modem}` : ''}`;
    } else if (f.name === 'PPR' && pending) {
      pprs++;
    } else if (['MCF', 'RTP', 'PIP', 'PIN', 'RTN', 'ERR'].includes(f.name) && pending) {
      seg += `${tries === 1 ? ', receiver answered ' : ', '}${f.name}${pprs ? ` after ${pprs} PPR` : ''}`;
      last = { post: pending, answer: f.name };
      pending = '';
      pprs = 0;
      if (f.name !== 'RTN') {
        texts.push(seg);
        seg = '';
        page++;
        tries = 0;
      }
    } else if (f.name === 'DCN') {
      break;
    }
  }
  const dcn = good.some((f) => f.name === 'DCN');
  let end: string;
  if (pending) {
    seg += ', no answer heard';
    end = dcn ? `The call was disconnected (DCN) with the sender's ${pending} unanswered.` : 'No DCN was heard: the recording may end before the call did.';
  } else if (last?.answer === 'RTN' && seg) {
    if (dcn) seg += `; sender gave up${tries > 1 ? ` after ${tries} tries` : ''}`;
    end = dcn ? 'The call ended with DCN after the receiver rejected the page (RTN).' : 'No DCN was heard: the recording may end before the call did.';
  } else if (!dcn) {
    end = 'No DCN was heard: the recording may end before the call did.';
  } else if (last?.post === 'EOP') {
    end = `The call ended normally with EOP, ${last.answer} and DCN.`;
  } else {
    end = 'The call was disconnected (DCN) before an EOP.';
  }
  if (seg) texts.push(seg);
  const out: string[] = [];
  if (texts.length) out.push(`On the line: ${texts.join('; ')}.`);
  out.push(end);
  return out;
}

/** The report as text, frame by frame in the seed 003 style, tones interleaved by time. */
export function formatReport(r: DecodeReport): string {
  const lines: string[] = [];
  lines.push(`Recording: ${r.file}`);
  const layout = r.channels === 1 ? (r.channelLabels.length ? '1 channel' : 'mono (line tap: both directions)') : `${r.channels} channels (one direction each)`;
  lines.push(`  ${r.sampleRate} Hz, ${layout}, ${r.duration.toFixed(2)} s`);
  r.channelLabels.forEach((l, i) => lines.push(`  channel ${i}: ${l}`));
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  type Item = { t: number; text: string[] };
  const items: Item[] = [];
  for (const t of r.tones) {
    items.push({ t: t.start, text: [`${fmtT(t.start)}  ${t.kind} tone (${t.kind === 'CNG' ? '1100' : '2100'} Hz) until ${t.end.toFixed(3)} s, ${(t.end - t.start).toFixed(2)} s${r.channels > 1 ? `, channel ${t.channel}` : ''}`] });
  }
  for (const b of r.bursts) {
    const what = b.what === 'tcf' ? `TCF (${b.bits} bits, ${b.ones} ones)` : b.what === 'page' ? `page data (${b.bits} bits)` : b.what === 'ecm' ? `ECM block (${b.ecmFrames} good frames${b.ecmBad ? `, ${b.ecmBad} bad` : ''})` : `training failed${b.reason ? ` (${b.reason})` : ''}`;
    items.push({ t: b.start, text: [`${fmtT(b.start)}  ${b.modem} ${b.bitRate} bit/s until ${b.end.toFixed(3)} s: ${what}${b.mse !== undefined ? `, MSE ${b.mse}` : ''}`] });
  }
  for (const p of r.pages) {
    items.push({ t: p.t, text: [`${fmtT(p.t)}  Page ${p.number}: ${p.width} x ${p.rows} rows, ${p.badRows} bad, ${p.coding.toUpperCase()}${p.ecm ? ' (ECM)' : ''}${p.guessed ? ' (no DCS heard: modem and coding guessed)' : ''}${p.partial ? ` (partial: ${p.partial === 'start' ? 'begins before the recording' : 'the recording ends during it'})` : ''}${p.file ? ` -> ${p.file}` : ''}${p.error ? ` [${p.error}]` : ''}`] });
  }
  let msg = 0;
  // Per channel: frame number inside the open message (0 = no message open).
  const open = new Map<number, number>();
  for (const f of r.frames) {
    const text: string[] = [];
    let frameNo = open.get(f.channel) ?? 0;
    if (frameNo === 0) {
      msg++;
      text.push(`${fmtT(f.t)}  FAX control message #${msg}${r.channels > 1 ? ` (channel ${f.channel})` : ''}`);
    }
    frameNo++;
    open.set(f.channel, f.final ? 0 : frameNo);
    text.push(`    Frame #${frameNo} at ${f.t.toFixed(3)} s: ${f.name} - ${f.longName}${f.fcsOk ? '' : '  ** BAD FCS **'}${f.echo ? '  (echo of the other direction)' : ''}`);
    for (const l of f.fields) text.push(`      ${l}`);
    text.push(`      ${f.fcsOk ? 'Normal frame termination (FCS OK)' : 'Frame check sequence error'}  [${f.hex.length > 64 ? f.hex.slice(0, 64) + '...' : f.hex}]`);
    items.push({ t: f.t, text });
  }
  items.sort((a, b) => a.t - b.t);
  for (const it of items) lines.push(...it.text);
  lines.push('');
  lines.push(`Summary: ${r.summary.frames} frame(s), ${r.summary.badFcs} with bad FCS` +
    (r.summary.ids.csi !== undefined ? `; CSI "${r.summary.ids.csi}"` : '') +
    (r.summary.ids.tsi !== undefined ? `; TSI "${r.summary.ids.tsi}"` : '') +
    (r.summary.modem ? `; ${r.summary.modem} ${r.summary.bitRate} bit/s${r.summary.ecm ? ', ECM' : ''}` : ''));
  lines.push(`Verdict: ${r.summary.verdict}`);
  return lines.join('\n');
}

function fmtT(t: number): string {
  return `[${t.toFixed(3).padStart(8)} s]`;
}
