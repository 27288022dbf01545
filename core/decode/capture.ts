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
 * Use: `if (isCapture(bytes)) { const c = decodeCapture(bytes); for (const ch of c.audioChannels)
 * analyse(ch.samples, ch.startTime, ch.label); c.t38.hdlcFrames … }`. `decodeCapture` throws an
 * Error with a one-line message only when the bytes are not a capture; damage, truncation and
 * the absence of anything useful come back as `warnings`.
 */
import { parseCapture, extractUdp, sniffCapture, type UdpDatagram } from '../formats/pcap';
import { findRtpStreams, rtpStreamToChannel, rtpStreamEvents, parseRtp, flowKey, type AudioChannel, type RtpEvent } from '../formats/rtp';
import {
  looksLikeUdptl, decodeT38Direction,
  type T38Event, type T38HdlcFrame, type T38PageData, type IfpVersion,
} from '../formats/t38';

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
