/**
 * A VoIP capture (pcap/pcapng bytes) → what the fax analyser needs: one 8 kHz audio channel per
 * direction of each G.711 RTP stream, and the T.38 story (events, HDLC frames, page data) of
 * each UDPTL flow.
 *
 * How: core/formats/pcap.ts gives the UDP datagrams; core/formats/rtp.ts finds RTP streams by
 * their own headers (SIP/SDP are not trusted: an SDP may announce T.38 on a port that carries
 * G.711, as in the Wireshark sample); datagrams left over in each flow are tried as UDPTL
 * (core/formats/t38.ts), so a flow that switches from RTP to T.38 after a re-INVITE yields
 * both. Times are seconds from the capture's first packet.
 *
 * RFC 4733 events inside the RTP streams (a gateway announcing CED/CNG) are listed too.
 * `t38Pages` turns the T.38 side into page images: non-ECM page data, or ECM FCD frames merged
 * across PPR retransmissions, coded as the sender's last DCS said, decoded with core/t4.
 *
 * Use: `if (isCapture(bytes)) { const c = decodeCapture(bytes); for (const ch of c.audioChannels)
 * analyse(ch.samples, ch.startTime, ch.label); c.t38.hdlcFrames …; t38Pages(c.t38) }`.
 * `decodeCapture` throws an Error with a one-line message only when the bytes are not a
 * capture; damage, truncation and the absence of anything useful come back as `warnings`.
 */
import { parseCapture, extractUdp, sniffCapture, type UdpDatagram } from '../formats/pcap';
import { findRtpStreams, rtpStreamToChannel, rtpStreamEvents, parseRtp, flowKey, type AudioChannel, type RtpEvent } from '../formats/rtp';
import {
  looksLikeUdptl, decodeT38Direction,
  type T38Event, type T38HdlcFrame, type T38PageData, type IfpVersion, type T38DataType,
} from '../formats/t38';
import { parseDcs, type DcsParams } from '../t30/dis';
import { postMessageCode } from '../t30/fcf';
import { decodeImage } from '../t4/decode';
import type { BilevelImage } from '../t4/image';

export type { AudioChannel, RtpEvent } from '../formats/rtp';
/** Pad channels to one common timeline (see core/formats/rtp.ts). */
export { alignChannels } from '../formats/rtp';
export type { T38Event, T38HdlcFrame, T38PageData } from '../formats/t38';

export interface T38FlowSummary {
  direction: string;
  /** IFP encoding detected: 0 = T.38 (1998), 1 = 2002 and later. */
  version: IfpVersion;
  ifps: number;
  recoveredByRedundancy: number;
  recoveredByFec: number;
  missing: number;
  duplicates: number;
}

export interface CaptureDecode {
  format: 'pcap' | 'pcapng';
  packets: number;
  udpDatagrams: number;
  /** Seconds since 1970 of the capture's first packet (0 when empty). */
  captureStart: number;
  /** Seconds from the first to the last packet. */
  duration: number;
  audioChannels: AudioChannel[];
  /** RFC 4733 events inside the RTP streams (e.g. a gateway announcing CED as event 32). */
  rtpEvents: RtpEvent[];
  t38: {
    events: T38Event[];
    hdlcFrames: T38HdlcFrame[];
    pageData: T38PageData[];
    flows: T38FlowSummary[];
  };
  warnings: string[];
}

/** True when the bytes start like a pcap or pcapng file. */
export function isCapture(bytes: Uint8Array): boolean {
  return sniffCapture(bytes) !== undefined;
}

const MIN_UDPTL_PACKETS = 3;

/** UDPTL sequence numbers (first two octets) mostly step forward by 0..10 between packets. */
function sequenceAdvances(list: UdpDatagram[]): boolean {
  let ok = 0;
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1]!.payload, b = list[i]!.payload;
    const d = (((b[0]! << 8) | b[1]!) - ((a[0]! << 8) | a[1]!)) & 0xffff;
    if (d <= 10) ok++;
  }
  return ok >= 0.7 * (list.length - 1);
}

/** Decode a capture. Throws (one-line message) only for input that is not a capture. */
export function decodeCapture(bytes: Uint8Array): CaptureDecode {
  const cap = parseCapture(bytes);
  const warnings = [...cap.warnings];
  const result: CaptureDecode = {
    format: cap.format, packets: cap.packets.length, udpDatagrams: 0, captureStart: 0, duration: 0,
    audioChannels: [], rtpEvents: [], t38: { events: [], hdlcFrames: [], pageData: [], flows: [] }, warnings,
  };
  if (cap.packets.length === 0) {
    warnings.push('the capture holds no packets');
    return result;
  }
  let t0 = Infinity, t1 = -Infinity;
  for (const p of cap.packets) { if (p.time < t0) t0 = p.time; if (p.time > t1) t1 = p.time; }
  result.captureStart = t0;
  result.duration = t1 - t0;
  const udp = extractUdp(cap, warnings);
  result.udpDatagrams = udp.length;
  const cut = udp.filter((d) => d.truncated).length;
  if (cut) warnings.push(`${cut} UDP datagram(s) were cut short by the capture's snap length; their missing audio is silence`);

  const streams = findRtpStreams(udp, warnings);
  for (const s of streams) {
    const ch = rtpStreamToChannel(s, t0, warnings);
    if (ch) result.audioChannels.push(ch);
    result.rtpEvents.push(...rtpStreamEvents(s, t0));
  }
  result.rtpEvents.sort((a, b) => a.t - b.t);

  // A flow that changed SSRC (a re-INVITE, a restarted endpoint) gives two channels: name them apart.
  const labelCount = new Map<string, number>();
  for (const ch of result.audioChannels) labelCount.set(ch.label, (labelCount.get(ch.label) ?? 0) + 1);
  for (const ch of result.audioChannels) {
    if (labelCount.get(ch.label)! > 1) ch.label += ` SSRC 0x${ch.ssrc.toString(16).padStart(8, '0')}`;
  }

  // Leftovers of every flow (not packets of an RTP stream found there) are tried as UDPTL.
  const rtpSsrcs = new Map<string, Set<number>>();
  for (const s of streams) {
    const k = flowKey(s);
    let set = rtpSsrcs.get(k);
    if (!set) rtpSsrcs.set(k, (set = new Set()));
    set.add(s.ssrc);
  }
  const leftovers = new Map<string, UdpDatagram[]>();
  for (const d of udp) {
    const k = flowKey(d);
    const ssrcs = rtpSsrcs.get(k);
    if (ssrcs) {
      const h = parseRtp(d.payload);
      if (h && ssrcs.has(h.ssrc)) continue;
    }
    let l = leftovers.get(k);
    if (!l) leftovers.set(k, (l = []));
    l.push(d);
  }
  for (const [dir, list] of leftovers) {
    const udptl = list.filter((d) => looksLikeUdptl(d.payload));
    if (udptl.length < MIN_UDPTL_PACKETS || udptl.length * 5 < list.length * 4) continue;
    if (!sequenceAdvances(udptl)) continue; // e.g. DNS transaction ids parse as UDPTL by chance
    const dec = decodeT38Direction(dir, udptl, t0);
    const a = dec.assembler;
    // A flow of valid-looking packets whose IFPs mostly fail to parse is not T.38 after all.
    const bad = a.events.filter((e) => e.kind === 'bad-packet').length;
    if (bad * 2 > dec.recovery.ifps.length) continue;
    result.t38.events.push(...a.events);
    result.t38.hdlcFrames.push(...a.hdlcFrames);
    result.t38.pageData.push(...a.pageData);
    const rec = dec.recovery;
    result.t38.flows.push({
      direction: dir, version: dec.version, ifps: rec.ifps.length,
      recoveredByRedundancy: rec.ifps.filter((r) => r.how === 'redundancy').length,
      recoveredByFec: rec.ifps.filter((r) => r.how === 'fec').length,
      missing: rec.missing.length, duplicates: rec.duplicates,
    });
    if (rec.missing.length) warnings.push(`T.38 ${dir}: ${rec.missing.length} IFP packet(s) lost and not recoverable`);
    if (bad) warnings.push(`T.38 ${dir}: ${bad} IFP packet(s) could not be decoded`);
  }
  const byTime = <T extends { t: number }>(a: T, b: T) => a.t - b.t;
  result.t38.events.sort(byTime);
  result.t38.hdlcFrames.sort(byTime);
  result.t38.pageData.sort(byTime);

  if (result.audioChannels.length === 0 && result.t38.flows.length === 0) {
    const flows = new Set(udp.map(flowKey)).size;
    warnings.push(udp.length === 0
      ? `no UDP traffic in the capture (${cap.packets.length} packets), so no RTP or T.38`
      : `no G.711 RTP audio or T.38 found in the capture (${udp.length} UDP datagrams in ${flows} flows)`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// T.38 pages.

export interface T38Page {
  /** The sending side's flow. */
  direction: string;
  /** Seconds on the capture timeline: the page data's first and last octets. */
  t: number;
  tEnd: number;
  ecm: boolean;
  dataType: T38DataType;
  /** Modem and rate the DCS commanded ('V.17', 14400), as core/t30/dis.ts names them. */
  modem: string;
  bitRate: number;
  coding: 'mh' | 'mr' | 'mmr';
  /** The coded page as sent (line order, LSB first): non-ECM data, or FCD frames in order. */
  bytes: Uint8Array;
  /** ECM frames never received (frame numbers per block, "block:frame"); empty when whole. */
  missingFrames: string[];
  /** Non-ECM: IFP packets lost inside the page. */
  missingPackets: number;
  image: BilevelImage;
  rows: number;
  badRows: number;
}

const FCF_DCS = 0x82, FCF_FCD = 0x06, FCF_PPS = 0xbe, FCF_EOR = 0xce;

function codingOf(dcs: DcsParams | undefined): 'mh' | 'mr' | 'mmr' {
  if (dcs?.t6) return 'mmr';
  return dcs?.twoD ? 'mr' : 'mh';
}

function pageOf(direction: string, t: number, tEnd: number, ecm: boolean, dataType: T38DataType, dcs: DcsParams | undefined,
  bytes: Uint8Array, missingFrames: string[], missingPackets: number): T38Page {
  const coding = codingOf(dcs);
  const width = dcs?.width ?? 1728;
  const yDpi = dcs?.superfine ? 392 : dcs?.fine ? 196 : 98;
  const d = decodeImage(bytes, { width, coding, xDpi: 204, yDpi });
  return {
    direction, t, tEnd, ecm, dataType, modem: dcs?.modem ?? 'unknown', bitRate: dcs?.bitRate ?? 0, coding, bytes,
    missingFrames, missingPackets, image: d.image, rows: d.rows, badRows: d.badRows,
  };
}

interface EcmPage {
  t: number; tEnd: number; dataType: T38DataType; dcs: DcsParams | undefined;
  blocks: Map<number, { frames: Map<number, Uint8Array>; count: number }>;
}

/**
 * The pages sent over T.38 in a decoded capture, in time order. Each sender's frames are
 * followed: DCS gives coding and width; a non-ECM page is its t4-non-ecm data; an ECM page is
 * the FCD frames of its blocks (PPS says which page and block they were, and whether the page
 * ends there), merged across PPR retransmissions. Never throws; damaged data gives bad rows.
 */
export function t38Pages(t38: CaptureDecode['t38']): T38Page[] {
  const pages: T38Page[] = [];
  const directions = new Set([...t38.hdlcFrames.map((f) => f.direction), ...t38.pageData.map((p) => p.direction)]);
  for (const dir of directions) {
    type Item = { t: number; frame?: T38HdlcFrame; data?: T38PageData };
    const items: Item[] = [
      ...t38.hdlcFrames.filter((f) => f.direction === dir).map((frame) => ({ t: frame.t, frame })),
      ...t38.pageData.filter((p) => p.direction === dir).map((data) => ({ t: data.t, data })),
    ].sort((a, b) => a.t - b.t);
    let dcs: DcsParams | undefined;
    let pending: { t: number; dataType: T38DataType; frames: Map<number, Uint8Array> } | undefined;
    const ecmPages = new Map<number, EcmPage>(); // by PPS page counter
    const done: EcmPage[] = [];
    for (const it of items) {
      if (it.data) {
        if (it.data.kind === 'page') pages.push(pageOf(dir, it.data.t, it.data.tEnd, false, it.data.dataType, dcs, it.data.bytes, [], it.data.missingPackets));
        continue;
      }
      const f = it.frame!;
      if (f.bytes.length < 3 || !f.fcsOk) continue;
      const fcf = f.bytes[2]! & 0xfe;
      if (fcf === FCF_DCS) {
        dcs = parseDcs(f.bytes.subarray(3));
      } else if (fcf === FCF_FCD && f.bytes.length >= 4) {
        pending ??= { t: f.t, dataType: f.dataType, frames: new Map() };
        pending.frames.set(f.bytes[3]!, f.bytes.subarray(4));
      } else if ((fcf === FCF_PPS || fcf === FCF_EOR) && f.bytes.length >= 4) {
        // PPS FIF: post-message code, page counter, block counter, frames in this burst - 1.
        const code = postMessageCode(f.bytes[3]!);
        if (fcf === FCF_PPS && f.bytes.length >= 7) {
          const pageNo = f.bytes[4]!, blockNo = f.bytes[5]!, count = f.bytes[6]! + 1;
          let page = ecmPages.get(pageNo);
          if (!page) ecmPages.set(pageNo, (page = { t: pending?.t ?? f.t, tEnd: f.t, dataType: pending?.dataType ?? f.dataType, dcs, blocks: new Map() }));
          page.tEnd = Math.max(page.tEnd, f.t);
          let block = page.blocks.get(blockNo);
          if (!block) page.blocks.set(blockNo, (block = { frames: new Map(), count: 0 }));
          block.count = Math.max(block.count, count);
          for (const [n, d] of pending?.frames ?? []) block.frames.set(n, d);
          pending = undefined;
          if (code !== null && code !== 'NULL' && !done.includes(page)) done.push(page);
        } else {
          pending = undefined; // EOR: the sender gives up on what is still missing
        }
      }
    }
    for (const page of done) {
      const parts: Uint8Array[] = [];
      const missing: string[] = [];
      for (const b of [...page.blocks.keys()].sort((x, y) => x - y)) {
        const block = page.blocks.get(b)!;
        const count = Math.max(block.count, ...[...block.frames.keys()].map((n) => n + 1));
        for (let n = 0; n < count; n++) {
          const d = block.frames.get(n);
          if (d) parts.push(d); else missing.push(`${b}:${n}`);
        }
      }
      const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) { bytes.set(p, o); o += p.length; }
      pages.push(pageOf(dir, page.t, page.tEnd, true, page.dataType, page.dcs, bytes, missing, 0));
    }
  }
  return pages.sort((a, b) => a.t - b.t);
}
