/**
 * RTP (RFC 3550) audio streams found in a capture, without trusting SIP/SDP, turned into one
 * Float32 8 kHz channel per direction of each stream.
 *
 * How: UDP datagrams are grouped by flow (src ip:port → dst ip:port). In each flow, packets that
 * parse as RTP version 2 (RTCP's payload types 72-76 excluded) are grouped by SSRC; an SSRC is an
 * RTP stream when it has enough packets, is not lost in other traffic, and its sequence numbers
 * and timestamps move forward in small steps. Random or T.38 UDPTL payloads fail these tests
 * (UDPTL starts with a 16-bit sequence number: "version 2" only for numbers 32768-49151, and
 * even then its would-be SSRC and sequence fields do not behave).
 * The stream's dominant payload type is its codec: 0 = PCMU (µ-law), 8 = PCMA (A-law); a dynamic
 * type whose payloads parse as RFC 2198 redundancy around G.711 (as V.152 voiceband data often
 * is) is decoded too, lost packets restored from the redundant copies; other dynamic types
 * (96-127) and other codecs are reported and not decoded. Comfort noise (13) and
 * telephone-events inside the stream become silence.
 * Samples are placed by RTP timestamp (so silence suppression and lost packets leave silence,
 * with the lost-packet count reported), after ordering by extended sequence number and dropping
 * duplicates. A timestamp that disagrees with the arrival time by over 2 s is a sender restart:
 * placement then re-anchors on arrival time; a sender whose timestamps ignore its packet sizes
 * is placed by sequence number instead. RFC 4733 events beside the audio are listed apart. `startTime` says where sample 0 sits on the
 * capture's timeline (seconds from the capture's first packet), so channels can be aligned.
 */
import type { UdpDatagram } from './pcap';
import { endpointText } from './pcap';
import { decodeG711Into, type G711Law } from './g711';

export const RTP_RATE = 8000;

export interface RtpHeader {
  marker: boolean;
  payloadType: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  /** Payload bytes (header, CSRCs, extension and padding removed). */
  payload: Uint8Array;
}

/** Parse an RTP header; undefined when the bytes cannot be RTP v2. */
export function parseRtp(b: Uint8Array): RtpHeader | undefined {
  if (b.length < 12 || b[0]! >> 6 !== 2) return undefined;
  const pt = b[1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return undefined; // RTCP SR/RR/SDES/BYE/APP share the port pair
  let o = 12 + (b[0]! & 0x0f) * 4;
  if (b[0]! & 0x10) {
    if (o + 4 > b.length) return undefined;
    o += 4 + ((b[o + 2]! << 8) | b[o + 3]!) * 4;
  }
  let end = b.length;
  if (b[0]! & 0x20) {
    const pad = b[b.length - 1]!;
    if (pad === 0 || pad > end - o) return undefined;
    end -= pad;
  }
  if (o > end) return undefined;
  return {
    marker: (b[1]! & 0x80) !== 0,
    payloadType: pt,
    seq: (b[2]! << 8) | b[3]!,
    timestamp: ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0,
    ssrc: ((b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!) >>> 0,
    payload: b.subarray(o, end),
  };
}

/** Build an RTP packet (tests, tools). */
export function encodeRtp(h: Omit<RtpHeader, 'payload'>, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(12 + payload.length);
  b[0] = 0x80;
  b[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7f);
  b[2] = (h.seq >> 8) & 0xff; b[3] = h.seq & 0xff;
  b[4] = (h.timestamp >>> 24) & 0xff; b[5] = (h.timestamp >>> 16) & 0xff; b[6] = (h.timestamp >>> 8) & 0xff; b[7] = h.timestamp & 0xff;
  b[8] = (h.ssrc >>> 24) & 0xff; b[9] = (h.ssrc >>> 16) & 0xff; b[10] = (h.ssrc >>> 8) & 0xff; b[11] = h.ssrc & 0xff;
  b.set(payload, 12);
  return b;
}

export interface RtpPacket extends RtpHeader { time: number }

export interface RtpStream {
  src: string; srcPort: number; dst: string; dstPort: number;
  ssrc: number;
  /** The stream's dominant payload type. */
  payloadType: number;
  /** 'PCMU' / 'PCMA' for G.711; otherwise a description of what it is not. */
  codec: string;
  law: G711Law | undefined;
  /** The payload is RFC 2198 redundancy (a dynamic type) whose primary blocks are G.711. */
  red?: boolean;
  /** All the SSRC's packets in arrival order (all payload types). */
  packets: RtpPacket[];
}

export interface RedBlock { payloadType: number; tsOffset: number; data: Uint8Array }

/**
 * Split an RFC 2198 redundant payload into its blocks, oldest redundant first, primary last
 * (tsOffset 0). Undefined when the bytes are not a valid RED payload.
 */
export function parseRed(b: Uint8Array): RedBlock[] | undefined {
  const heads: { pt: number; off: number; len: number }[] = [];
  let p = 0;
  for (;;) {
    if (p >= b.length) return undefined;
    if (b[p]! & 0x80) {
      if (p + 4 > b.length) return undefined;
      heads.push({ pt: b[p]! & 0x7f, off: (b[p + 1]! << 6) | (b[p + 2]! >> 2), len: ((b[p + 2]! & 3) << 8) | b[p + 3]! });
      p += 4;
    } else {
      heads.push({ pt: b[p]! & 0x7f, off: 0, len: -1 });
      p += 1;
      break;
    }
  }
  const blocks: RedBlock[] = [];
  for (const h of heads) {
    const len = h.len < 0 ? b.length - p : h.len;
    if (len < 0 || p + len > b.length) return undefined;
    blocks.push({ payloadType: h.pt, tsOffset: h.off, data: b.subarray(p, p + len) });
    p += len;
  }
  return blocks;
}

/** G.711 law of a RED stream's primary blocks, when most packets agree on one. */
function redLaw(pkts: RtpPacket[], pt: number): G711Law | undefined {
  let u = 0, a = 0, n = 0;
  for (const p of pkts) {
    if (p.payloadType !== pt) continue;
    n++;
    const blocks = parseRed(p.payload);
    const prim = blocks?.[blocks.length - 1]?.payloadType;
    if (prim === 0) u++; else if (prim === 8) a++;
  }
  if (u >= 0.8 * n) return 'ulaw';
  if (a >= 0.8 * n) return 'alaw';
  return undefined;
}

/** A UDP flow key: one direction between two endpoints. */
export function flowKey(d: { src: string; srcPort: number; dst: string; dstPort: number }): string {
  return `${endpointText(d.src, d.srcPort)}→${endpointText(d.dst, d.dstPort)}`;
}

const MIN_PACKETS = 8;

/** Payload type names for what we meet in fax calls (RFC 3551). */
function codecName(pt: number): string {
  switch (pt) {
    case 0: return 'PCMU';
    case 8: return 'PCMA';
    case 3: return 'GSM';
    case 4: return 'G723';
    case 9: return 'G722';
    case 13: return 'CN';
    case 18: return 'G729';
    default: return pt >= 96 ? `dynamic PT ${pt}` : `PT ${pt}`;
  }
}

/** Signed difference a - b of two 16-bit sequence numbers. */
function seqDiff(a: number, b: number): number {
  return ((a - b + 32768) & 0xffff) - 32768;
}

/** Signed difference a - b of two 32-bit timestamps. */
function tsDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * Find RTP streams among UDP datagrams (a flow may hold several SSRCs, and other traffic).
 * Streams come out in order of their first packet.
 */
export function findRtpStreams(datagrams: UdpDatagram[], warnings: string[] = []): RtpStream[] {
  const flows = new Map<string, UdpDatagram[]>();
  for (const d of datagrams) {
    const k = flowKey(d);
    let f = flows.get(k);
    if (!f) flows.set(k, (f = []));
    f.push(d);
  }
  const streams: RtpStream[] = [];
  for (const flow of flows.values()) {
    const bySsrc = new Map<number, RtpPacket[]>();
    for (const d of flow) {
      const h = parseRtp(d.payload);
      if (!h) continue;
      let l = bySsrc.get(h.ssrc);
      if (!l) bySsrc.set(h.ssrc, (l = []));
      l.push({ ...h, time: d.time });
    }
    for (const [ssrc, pkts] of bySsrc) {
      // (A small share of the flow is fine: after a re-INVITE the same ports may carry T.38.)
      if (pkts.length < MIN_PACKETS || pkts.length * 20 < flow.length) continue;
      // Sequence numbers must mostly step forward by small amounts, timestamps likewise.
      let seqOk = 0, tsOk = 0;
      for (let i = 1; i < pkts.length; i++) {
        const ds = seqDiff(pkts[i]!.seq, pkts[i - 1]!.seq);
        if (ds >= -10 && ds <= 100 && ds !== 0) seqOk++;
        const dt = tsDiff(pkts[i]!.timestamp, pkts[i - 1]!.timestamp);
        if (dt >= -RTP_RATE && dt <= 60 * RTP_RATE) tsOk++;
      }
      const steps = pkts.length - 1;
      if (seqOk < 0.8 * steps || tsOk < 0.8 * steps) continue;
      const ptCount = new Map<number, number>();
      for (const p of pkts) if (p.payloadType !== 13) ptCount.set(p.payloadType, (ptCount.get(p.payloadType) ?? 0) + p.payload.length);
      let pt = 13, best = -1;
      for (const [k, v] of ptCount) if (v > best) { best = v; pt = k; }
      let law: G711Law | undefined = pt === 0 ? 'ulaw' : pt === 8 ? 'alaw' : undefined;
      let codec = codecName(pt);
      // V.152 voiceband data often rides in RFC 2198 redundancy under a dynamic type.
      const red = !law && pt >= 96 ? redLaw(pkts, pt) : undefined;
      if (red) { law = red; codec = `${red === 'ulaw' ? 'PCMU' : 'PCMA'} (RFC 2198 redundancy, PT ${pt})`; }
      const d0 = flow[0]!;
      const stream: RtpStream = { src: d0.src, srcPort: d0.srcPort, dst: d0.dst, dstPort: d0.dstPort, ssrc, payloadType: pt, codec, law, packets: pkts };
      if (red) stream.red = true;
      if (!law) {
        warnings.push(`RTP stream ${flowKey(d0)} (SSRC ${hex8(ssrc)}) carries ${codecName(pt)}, not G.711: not decoded`);
      }
      streams.push(stream);
    }
  }
  streams.sort((a, b) => a.packets[0]!.time - b.packets[0]!.time);
  return streams;
}

function hex8(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

export interface AudioChannel {
  /** "10.23.1.52:16756→10.35.60.100:15580 PCMA" */
  label: string;
  codec: string;
  /** Float32 samples at 8000 Hz, 1.0 = s16 full scale. */
  samples: Float32Array;
  /** Seconds from the capture's first packet to sample 0. */
  startTime: number;
  src: string; srcPort: number; dst: string; dstPort: number;
  ssrc: number;
  payloadType: number;
  packets: number;
  /** Packets missing from the sequence (their time is silence). */
  lostPackets: number;
  duplicatePackets: number;
  /** Packets that arrived after a later-numbered one. */
  reorderedPackets: number;
  /** Times the timestamps jumped and placement re-anchored on arrival time. */
  timestampJumps: number;
  /** RED streams: samples of lost packets restored from the redundant copies. */
  redundancyRepairedSamples: number;
}

/**
 * Decode an RTP G.711 stream into a channel. `captureStart` is the capture's first packet time
 * (seconds since the epoch). Returns undefined for streams that are not G.711.
 */
export function rtpStreamToChannel(stream: RtpStream, captureStart: number, warnings: string[] = []): AudioChannel | undefined {
  const law = stream.law;
  if (!law) return undefined;
  const pkts = stream.packets;
  // Extended sequence numbers, counted from the first arrival.
  const ext = new Float64Array(pkts.length);
  let maxExt = 0, reordered = 0;
  let lastSeq = pkts[0]!.seq;
  for (let i = 0; i < pkts.length; i++) {
    const e = maxExt + seqDiff(pkts[i]!.seq, lastSeq);
    ext[i] = e;
    if (e > maxExt || i === 0) { maxExt = e; lastSeq = pkts[i]!.seq; } else if (e < maxExt) reordered++;
  }
  const order = Array.from(pkts.keys()).sort((a, b) => ext[a]! - ext[b]! || a - b);
  const t0 = pkts[order[0]!]!.time;
  const sizeOf = (p: RtpPacket) => (stream.red ? (parseRed(p.payload)?.pop()?.data.length ?? 0) : p.payload.length);
  const bySeq = tsMatchesSize(pkts, order, ext, stream.payloadType, sizeOf);
  // Place each packet (in sequence order) by its timestamp, re-anchoring on big disagreements.
  const pos = new Float64Array(pkts.length).fill(-1);
  let dup = 0, jumps = 0, prevExt = Number.NaN;
  let baseTs = pkts[order[0]!]!.timestamp, basePos = 0, end = 0;
  let firstExt = ext[order[0]!]!, lastExt = firstExt, unique = 0;
  for (const i of order) {
    const p = pkts[i]!;
    if (ext[i] === prevExt) { dup++; continue; }
    prevExt = ext[i]!;
    unique++;
    lastExt = ext[i]!;
    let at = bySeq > 0 ? (ext[i]! - firstExt) * bySeq : basePos + tsDiff(p.timestamp, baseTs);
    const arrival = Math.round((p.time - t0) * RTP_RATE);
    if (Math.abs(at - arrival) > 2 * RTP_RATE || at < 0) {
      jumps++;
      at = Math.max(end, arrival);
      baseTs = p.timestamp;
      basePos = at;
    }
    pos[i] = at;
    const len = p.payloadType !== stream.payloadType ? 0 : sizeOf(p);
    end = Math.max(end, at + len);
  }
  const lost = Math.max(0, lastExt - firstExt + 1 - unique);
  if (end > 4 * 3600 * RTP_RATE) {
    warnings.push(`RTP stream ${stream.src}:${stream.srcPort} is over 4 hours long; not decoded`);
    return undefined;
  }
  const samples = new Float32Array(end);
  let startTime = Infinity;
  let repaired = 0;
  if (stream.red) repaired = fillFromRedundancy(stream, order, pos, law, samples);
  for (const i of order) {
    const p = pkts[i]!;
    if (pos[i]! < 0) continue;
    startTime = Math.min(startTime, p.time - pos[i]! / RTP_RATE);
    // Comfort noise and events decode as silence: the samples stay 0.
    if (p.payloadType !== stream.payloadType) continue;
    if (stream.red) {
      const prim = parseRed(p.payload)?.pop();
      if (prim && (prim.payloadType === 0 || prim.payloadType === 8)) decodeG711Into(law, prim.data, samples, pos[i]!);
    } else {
      decodeG711Into(law, p.payload, samples, pos[i]!);
    }
  }
  const src = endpointText(stream.src, stream.srcPort);
  const dst = endpointText(stream.dst, stream.dstPort);
  if (lost > 0) {
    warnings.push(repaired > 0
      ? `RTP ${src}→${dst}: ${lost} packet(s) lost; ${repaired} samples restored from RFC 2198 redundancy, the rest silence`
      : `RTP ${src}→${dst}: ${lost} packet(s) lost, replaced by silence`);
  }
  if (bySeq > 0) warnings.push(`RTP ${src}→${dst}: timestamps do not follow the packet sizes; placed by sequence number`);
  if (jumps > 0) warnings.push(`RTP ${src}→${dst}: timestamps jumped ${jumps} time(s); placed by arrival time there`);
  return {
    label: `${src}→${dst} ${stream.codec}`,
    codec: stream.codec,
    samples,
    startTime: Math.max(0, startTime - captureStart),
    src: stream.src, srcPort: stream.srcPort, dst: stream.dst, dstPort: stream.dstPort,
    ssrc: stream.ssrc, payloadType: stream.payloadType,
    packets: unique, lostPackets: lost, duplicatePackets: dup, reorderedPackets: reordered, timestampJumps: jumps,
    redundancyRepairedSamples: repaired,
  };
}

/**
 * RED streams: write every redundant block where its (older) audio belongs. Primaries are
 * written afterwards over the same places, so redundancy only fills what was lost. Returns
 * how many samples only redundancy supplied.
 */
function fillFromRedundancy(stream: RtpStream, order: number[], pos: Float64Array, law: G711Law, samples: Float32Array): number {
  const covered = new Uint8Array(samples.length); // 1 = a primary block lands here
  const pkts = stream.packets;
  for (const i of order) {
    const p = pkts[i]!;
    if (pos[i]! < 0 || p.payloadType !== stream.payloadType) continue;
    const prim = parseRed(p.payload)?.pop();
    if (prim) covered.fill(1, pos[i]!, Math.min(samples.length, pos[i]! + prim.data.length));
  }
  let repaired = 0;
  for (const i of order) {
    const p = pkts[i]!;
    if (pos[i]! < 0 || p.payloadType !== stream.payloadType) continue;
    const blocks = parseRed(p.payload);
    if (!blocks) continue;
    for (const b of blocks.slice(0, -1)) {
      if (b.payloadType !== 0 && b.payloadType !== 8) continue;
      const at = pos[i]! - b.tsOffset;
      if (at < 0) continue;
      for (let k = 0; k < b.data.length && at + k < samples.length; k++) {
        if (covered[at + k] === 0) { covered[at + k] = 2; repaired++; }
      }
      decodeG711Into(law, b.data, samples, at);
    }
  }
  return repaired;
}

/**
 * 0 when timestamps advance by the payload size (1 octet = 1 sample for G.711) for most
 * consecutive packets, as they must; otherwise the typical payload size, to place by sequence.
 */
function tsMatchesSize(pkts: RtpPacket[], order: number[], ext: Float64Array, pt: number, sizeOf: (p: RtpPacket) => number): number {
  let pairs = 0, match = 0;
  const sizes: number[] = [];
  for (let k = 1; k < order.length; k++) {
    const a = pkts[order[k - 1]!]!, b = pkts[order[k]!]!;
    if (a.payloadType !== pt || b.payloadType !== pt) continue;
    const size = sizeOf(a);
    sizes.push(size);
    if (ext[order[k]!]! - ext[order[k - 1]!]! !== 1) continue;
    pairs++;
    if (tsDiff(b.timestamp, a.timestamp) === size) match++;
  }
  if (pairs < 4 || match * 2 >= pairs) return 0;
  sizes.sort((x, y) => x - y);
  return sizes[sizes.length >> 1]!;
}

/** RFC 4733/4734 event names: DTMF and the fax/modem tones a gateway may send as events. */
const EVENT_NAMES: Record<number, string> = {
  10: 'DTMF *', 11: 'DTMF #', 12: 'DTMF A', 13: 'DTMF B', 14: 'DTMF C', 15: 'DTMF D', 16: 'flash',
  32: 'ANS (CED, 2100 Hz)', 33: '/ANS (2100 Hz, phase reversals)', 34: 'ANSam', 35: '/ANSam', 36: 'CNG (1100 Hz)',
  37: 'V.21 channel 1 "0"', 38: 'V.21 channel 1 "1"', 39: 'V.21 channel 2 "0"', 40: 'V.21 channel 2 "1"',
  41: 'CRdi', 42: 'CRdr', 43: 'CRe', 44: 'ESi', 45: 'ESr', 46: 'MRdi', 47: 'MRdr', 48: 'MRe', 49: 'CT',
};

export interface RtpEvent {
  /** Seconds on the capture's timeline (first packet of the event). */
  t: number;
  /** "ip:port→ip:port" of the stream. */
  direction: string;
  payloadType: number;
  event: number;
  name: string;
  /** Longest duration reported, seconds (8 kHz clock). */
  duration: number;
  /** An end packet (E bit) was seen. */
  ended: boolean;
}

/**
 * Named events (RFC 4733 telephone-event: 4-octet payloads under a dynamic payload type) that
 * a stream carries beside its audio — gateways announce CED/CNG this way. One entry per event
 * (packets sharing a timestamp), in time order.
 */
export function rtpStreamEvents(stream: RtpStream, captureStart: number): RtpEvent[] {
  const out = new Map<number, RtpEvent>();
  const direction = `${endpointText(stream.src, stream.srcPort)}→${endpointText(stream.dst, stream.dstPort)}`;
  for (const p of stream.packets) {
    if (p.payloadType === stream.payloadType || p.payloadType < 96 || p.payload.length < 4 || p.payload.length % 4) continue;
    const event = p.payload[0]!;
    const duration = ((p.payload[2]! << 8) | p.payload[3]!) / RTP_RATE;
    const ended = (p.payload[1]! & 0x80) !== 0;
    const key = p.timestamp * 256 + event;
    const e = out.get(key);
    if (e) { e.duration = Math.max(e.duration, duration); e.ended ||= ended; continue; }
    const name = event <= 9 ? `DTMF ${event}` : EVENT_NAMES[event] ?? `event ${event}`;
    out.set(key, { t: p.time - captureStart, direction, payloadType: p.payloadType, event, name, duration, ended });
  }
  return [...out.values()].sort((a, b) => a.t - b.t);
}

/**
 * Channels laid on one timeline: each returned array starts at capture time `from` (default:
 * the earliest channel start), padded with leading silence, all the same length.
 */
export function alignChannels(channels: AudioChannel[], from?: number): Float32Array[] {
  if (channels.length === 0) return [];
  const t0 = from ?? Math.min(...channels.map((c) => c.startTime));
  const offsets = channels.map((c) => Math.round((c.startTime - t0) * RTP_RATE));
  const len = Math.max(...channels.map((c, i) => offsets[i]! + c.samples.length));
  return channels.map((c, i) => {
    const out = new Float32Array(Math.max(0, len));
    const o = offsets[i]!;
    if (o >= 0) out.set(c.samples.subarray(0, Math.max(0, len - o)), o);
    else out.set(c.samples.subarray(-o, -o + len));
    return out;
  });
}
