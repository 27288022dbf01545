/**
 * Packet captures: pcap (both byte orders, µs and ns timestamps, the "modified" variant) and
 * pcapng (SHB/IDB/EPB/SPB and the obsolete PB, any number of sections and interfaces), down
 * to the UDP datagrams they carry.
 *
 * How: `parseCapture` walks the file's records into `CapturedPacket`s (time in seconds since
 * the epoch, link type, bytes). `extractUdp` peels each packet's link layer (Ethernet with
 * VLAN tags, Linux SLL/SLL2, raw IP, BSD null/loop), IPv4 (with fragment reassembly) or IPv6
 * (extension headers, fragments) and UDP. A truncated or damaged file yields the packets
 * before the damage plus a warning; only input that is not a capture at all throws (an Error
 * with a one-line message). `encodePcap`/`ethernetIpv4Udp` build captures, for tests and tools.
 */

export interface CapturedPacket {
  /** Seconds since 1970 (fractional). */
  time: number;
  /** LINKTYPE_* of the interface that captured it. */
  linkType: number;
  /** The captured bytes (possibly fewer than were on the wire: see origLength). */
  data: Uint8Array;
  origLength: number;
  /** Position in the file, from 0 (for messages that point at a packet). */
  index: number;
}

export interface Capture {
  format: 'pcap' | 'pcapng';
  packets: CapturedPacket[];
  warnings: string[];
}

export interface UdpDatagram {
  time: number;
  /** IP addresses as text (dotted quad, or RFC 5952 style IPv6). */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  /** True when the capture cut the datagram short (snap length). */
  truncated: boolean;
  /** Index of the (last) captured packet that carried it. */
  index: number;
}

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

/** A record claiming more than this is taken as damage, not a packet. */
const MAX_RECORD = 1 << 20;

/** 'pcap', 'pcapng' or undefined, from the first four bytes. */
export function sniffCapture(bytes: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (bytes.length < 4) return undefined;
  const m = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (m === 0x0a0d0d0a) return 'pcapng';
  if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1 ||
      m === 0xa1b2cd34 || m === 0x34cdb2a1) return 'pcap';
  return undefined;
}

/** Parse a pcap or pcapng file. Throws only when the bytes are not a capture at all. */
export function parseCapture(bytes: Uint8Array): Capture {
  const kind = sniffCapture(bytes);
  if (kind === 'pcap') return parsePcap(bytes);
  if (kind === 'pcapng') return parsePcapng(bytes);
  throw new Error('not a pcap or pcapng capture (unknown magic number)');
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function parsePcap(bytes: Uint8Array): Capture {
  const warnings: string[] = [];
  const packets: CapturedPacket[] = [];
  if (bytes.length < 24) throw new Error('pcap file is truncated inside its 24-byte header');
  const dv = view(bytes);
  const be = dv.getUint32(0, false);
  const magic = be === 0xa1b2c3d4 || be === 0xa1b23c4d || be === 0xa1b2cd34 ? be : dv.getUint32(0, true);
  const little = magic !== be;
  const nanos = magic === 0xa1b23c4d;
  const extra = magic === 0xa1b2cd34 ? 8 : 0; // Kuznetsov's patched format: ifindex, protocol, type, pad
  const linkType = dv.getUint32(20, little) & 0xffff;
  const fracScale = nanos ? 1e-9 : 1e-6;
  let p = 24;
  while (p < bytes.length) {
    if (p + 16 + extra > bytes.length) { warnings.push(`pcap file is truncated in the header of packet ${packets.length + 1}`); break; }
    const sec = dv.getUint32(p, little);
    const frac = dv.getUint32(p + 4, little);
    const incl = dv.getUint32(p + 8, little);
    const orig = dv.getUint32(p + 12, little);
    if (incl > MAX_RECORD) { warnings.push(`pcap record ${packets.length + 1} claims ${incl} bytes; the rest of the file was ignored`); break; }
    const start = p + 16 + extra;
    if (start + incl > bytes.length) { warnings.push(`pcap file is truncated inside packet ${packets.length + 1}`); break; }
    packets.push({ time: sec + frac * fracScale, linkType, data: bytes.subarray(start, start + incl), origLength: orig, index: packets.length });
    p = start + incl;
  }
  return { format: 'pcap', packets, warnings };
}

interface Interface { linkType: number; unit: number; offset: number; snapLen: number }

function parsePcapng(bytes: Uint8Array): Capture {
  const warnings: string[] = [];
  const packets: CapturedPacket[] = [];
  const dv = view(bytes);
  let little = true;
  let ifaces: Interface[] = [];
  let p = 0;
  while (p < bytes.length) {
    if (p + 12 > bytes.length) { warnings.push('pcapng file is truncated in a block header'); break; }
    const typeBE = dv.getUint32(p, false);
    if (typeBE === 0x0a0d0d0a) {
      // Section header: its byte-order magic decides how this section is read.
      if (p + 28 > bytes.length) { warnings.push('pcapng file is truncated in a section header'); break; }
      const bom = dv.getUint32(p + 8, false);
      if (bom === 0x1a2b3c4d) little = false;
      else if (bom === 0x4d3c2b1a) little = true;
      else { warnings.push('pcapng section header has a bad byte-order magic; the rest of the file was ignored'); break; }
      ifaces = [];
    }
    const type = dv.getUint32(p, little);
    const len = dv.getUint32(p + 4, little);
    if (len < 12 || len % 4 !== 0 || len > MAX_RECORD + 64) {
      warnings.push(`pcapng block at byte ${p} has a bad length (${len}); the rest of the file was ignored`);
      break;
    }
    if (p + len > bytes.length) { warnings.push(`pcapng file is truncated inside a block at byte ${p}`); break; }
    const body = p + 8;
    const end = p + len - 4;
    if (type === 1) {
      // Interface description block.
      if (end - body < 8) { warnings.push('pcapng interface block is too short'); }
      else ifaces.push(readInterface(dv, body, end, little));
    } else if (type === 6 || type === 2) {
      // Enhanced packet block (6) or the obsolete packet block (2).
      if (end - body < 20) { warnings.push(`pcapng packet block at byte ${p} is too short`); }
      else {
        const ifId = type === 6 ? dv.getUint32(body, little) : dv.getUint16(body, little);
        const hi = dv.getUint32(body + 4, little);
        const lo = dv.getUint32(body + 8, little);
        const cap = dv.getUint32(body + 12, little);
        const orig = dv.getUint32(body + 16, little);
        const iface = ifaces[ifId];
        const start = body + 20;
        if (!iface) warnings.push(`pcapng packet refers to undeclared interface ${ifId}`);
        else if (start + cap > end) warnings.push(`pcapng packet at byte ${p} claims more bytes than its block holds`);
        else {
          packets.push({
            time: (hi * 4294967296 + lo) * iface.unit + iface.offset,
            linkType: iface.linkType, data: bytes.subarray(start, start + cap), origLength: orig, index: packets.length,
          });
        }
      }
    } else if (type === 3) {
      // Simple packet block: no timestamp, interface 0, captured length implied by the block.
      const iface = ifaces[0];
      if (!iface || end - body < 4) warnings.push(`pcapng simple packet block at byte ${p} has no interface`);
      else {
        const orig = dv.getUint32(body, little);
        let cap = Math.min(orig, end - body - 4);
        if (iface.snapLen > 0) cap = Math.min(cap, iface.snapLen);
        const prev = packets.length ? packets[packets.length - 1]!.time : 0;
        packets.push({ time: prev, linkType: iface.linkType, data: bytes.subarray(body + 4, body + 4 + cap), origLength: orig, index: packets.length });
      }
    }
    // Other blocks (name resolution, statistics, custom, …) carry nothing we need.
    p += len;
  }
  return { format: 'pcapng', packets, warnings };
}

function readInterface(dv: DataView, body: number, end: number, little: boolean): Interface {
  const linkType = dv.getUint16(body, little);
  const snapLen = dv.getUint32(body + 4, little);
  let unit = 1e-6;
  let offset = 0;
  let o = body + 8;
  while (o + 4 <= end) {
    const code = dv.getUint16(o, little);
    const olen = dv.getUint16(o + 2, little);
    if (code === 0 || o + 4 + olen > end) break;
    if (code === 9 && olen >= 1) {
      const r = dv.getUint8(o + 4);
      unit = r & 0x80 ? Math.pow(2, -(r & 0x7f)) : Math.pow(10, -r);
    } else if (code === 14 && olen >= 8) {
      offset = Number(dv.getBigInt64(o + 4, little));
    }
    o += 4 + ((olen + 3) & ~3);
  }
  return { linkType, unit, offset, snapLen };
}

// ---------------------------------------------------------------------------------------------
// Link, network and transport layers.

/** Where the IP packet starts inside a captured frame, or -1 when it is not IP. */
export function ipOffset(linkType: number, d: Uint8Array): number {
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      let o = 12;
      for (;;) {
        if (o + 2 > d.length) return -1;
        const et = (d[o]! << 8) | d[o + 1]!;
        if (et === 0x8100 || et === 0x88a8 || et === 0x9100) { o += 4; continue; } // VLAN tags
        return et === 0x0800 || et === 0x86dd ? o + 2 : -1;
      }
    }
    case LINKTYPE_LINUX_SLL: {
      if (d.length < 16) return -1;
      const et = (d[14]! << 8) | d[15]!;
      return et === 0x0800 || et === 0x86dd ? 16 : -1;
    }
    case LINKTYPE_LINUX_SLL2: {
      if (d.length < 20) return -1;
      const et = (d[0]! << 8) | d[1]!;
      return et === 0x0800 || et === 0x86dd ? 20 : -1;
    }
    case LINKTYPE_RAW: case 12: case 14: case LINKTYPE_IPV4: case LINKTYPE_IPV6:
      return 0;
    case LINKTYPE_NULL: case LINKTYPE_LOOP: {
      if (d.length < 4) return -1;
      // The family is in the capturing host's byte order (NULL) or network order (LOOP): try both.
      const le = d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24);
      const be = (d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!;
      const fam = (f: number) => f === 2 || f === 10 || f === 24 || f === 28 || f === 30;
      return fam(le) || fam(be) ? 4 : -1;
    }
    default:
      return -1;
  }
}

function ipv4Text(d: Uint8Array, o: number): string {
  return `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`;
}

/** RFC 5952 text of the 16-byte IPv6 address at d[o]. */
export function ipv6Text(d: Uint8Array, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((d[o + 2 * i]! << 8) | d[o + 2 * i + 1]!);
  let bestAt = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

interface Fragments { pieces: { off: number; data: Uint8Array }[]; total: number; proto: number; src: string; dst: string }

/** Reassembles IP fragments; a datagram comes out when all its pieces are in. */
class Reassembler {
  private pending = new Map<string, Fragments>();
  add(key: string, src: string, dst: string, proto: number, off: number, more: boolean, data: Uint8Array): Fragments | undefined {
    let f = this.pending.get(key);
    if (!f) { f = { pieces: [], total: -1, proto, src, dst }; this.pending.set(key, f); }
    f.pieces.push({ off, data });
    if (!more) f.total = off + data.length;
    if (f.total < 0) return undefined;
    f.pieces.sort((a, b) => a.off - b.off);
    let covered = 0;
    for (const piece of f.pieces) {
      if (piece.off > covered) return undefined;
      covered = Math.max(covered, piece.off + piece.data.length);
    }
    if (covered < f.total) return undefined;
    this.pending.delete(key);
    return f;
  }
  get incomplete(): number { return this.pending.size; }
}

function join(f: Fragments): Uint8Array {
  const out = new Uint8Array(f.total);
  for (const piece of f.pieces) out.set(piece.data.subarray(0, Math.max(0, Math.min(piece.data.length, f.total - piece.off))), piece.off);
  return out;
}

/**
 * The UDP datagrams of a capture, in capture order. Non-IP and non-UDP packets are skipped;
 * oddities (unknown link types, incomplete fragments, short headers) are counted into `warnings`.
 */
export function extractUdp(capture: Capture, warnings: string[] = []): UdpDatagram[] {
  const out: UdpDatagram[] = [];
  const frag = new Reassembler();
  const unknownLinks = new Set<number>();
  let damaged = 0;
  const udp = (time: number, src: string, dst: string, seg: Uint8Array, truncated: boolean, index: number) => {
    if (seg.length < 8) { damaged++; return; }
    const ulen = (seg[4]! << 8) | seg[5]!;
    // A length of 0 appears for jumbograms and with some offload engines: take what was captured.
    const claimed = ulen >= 8 ? ulen - 8 : seg.length - 8;
    const have = seg.length - 8;
    out.push({
      time, src, dst, srcPort: (seg[0]! << 8) | seg[1]!, dstPort: (seg[2]! << 8) | seg[3]!,
      payload: seg.subarray(8, 8 + Math.min(claimed, have)), truncated: truncated || have < claimed, index,
    });
  };
  for (const pkt of capture.packets) {
    const d = pkt.data;
    const cut = pkt.origLength > d.length;
    const o = ipOffset(pkt.linkType, d);
    if (o < 0) {
      if (![LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_LOOP].includes(pkt.linkType)) unknownLinks.add(pkt.linkType);
      continue;
    }
    if (o >= d.length) { damaged++; continue; }
    const version = d[o]! >> 4;
    if (version === 4) {
      const ihl = (d[o]! & 0x0f) * 4;
      if (ihl < 20 || o + ihl > d.length) { damaged++; continue; }
      const totalLen = (d[o + 2]! << 8) | d[o + 3]!;
      const end = totalLen >= ihl ? Math.min(d.length, o + totalLen) : d.length;
      const proto = d[o + 9]!;
      const flagsOff = (d[o + 6]! << 8) | d[o + 7]!;
      const more = (flagsOff & 0x2000) !== 0;
      const fragOff = (flagsOff & 0x1fff) * 8;
      const src = ipv4Text(d, o + 12);
      const dst = ipv4Text(d, o + 16);
      let payload = d.subarray(o + ihl, end);
      if (more || fragOff > 0) {
        const key = `4|${src}|${dst}|${(d[o + 4]! << 8) | d[o + 5]!}|${proto}`;
        const whole = frag.add(key, src, dst, proto, fragOff, more, payload);
        if (!whole) continue;
        payload = join(whole);
      }
      if (proto === 17) udp(pkt.time, src, dst, payload, cut, pkt.index);
    } else if (version === 6) {
      if (o + 40 > d.length) { damaged++; continue; }
      const plen = (d[o + 4]! << 8) | d[o + 5]!;
      const end = plen > 0 ? Math.min(d.length, o + 40 + plen) : d.length;
      const src = ipv6Text(d, o + 8);
      const dst = ipv6Text(d, o + 24);
      let next = d[o + 6]!;
      let q = o + 40;
      let fragInfo: { off: number; more: boolean; id: number } | undefined;
      // Walk the extension headers to the transport header.
      while (q < end && (next === 0 || next === 43 || next === 60 || next === 44 || next === 51)) {
        if (q + 8 > end) { next = -1; break; }
        const nh = d[q]!;
        let hlen: number;
        if (next === 44) {
          const offFlags = (d[q + 2]! << 8) | d[q + 3]!;
          fragInfo = { off: offFlags & 0xfff8, more: (offFlags & 1) !== 0, id: ((d[q + 4]! << 24) | (d[q + 5]! << 16) | (d[q + 6]! << 8) | d[q + 7]!) >>> 0 };
          hlen = 8;
        } else if (next === 51) hlen = (d[q + 1]! + 2) * 4;
        else hlen = (d[q + 1]! + 1) * 8;
        next = nh;
        q += hlen;
      }
      if (next < 0 || q > end) { damaged++; continue; }
      let payload = d.subarray(q, end);
      if (fragInfo && (fragInfo.more || fragInfo.off > 0)) {
        const whole = frag.add(`6|${src}|${dst}|${fragInfo.id}`, src, dst, next, fragInfo.off, fragInfo.more, payload);
        if (!whole) continue;
        payload = join(whole);
      }
      if (next === 17) udp(pkt.time, src, dst, payload, cut, pkt.index);
    }
  }
  if (unknownLinks.size) warnings.push(`packets with unsupported link type(s) ${[...unknownLinks].join(', ')} were skipped`);
  if (damaged) warnings.push(`${damaged} packet(s) had damaged or cut IP/UDP headers and were skipped`);
  if (frag.incomplete) warnings.push(`${frag.incomplete} fragmented IP datagram(s) never completed`);
  return out;
}

/** `ip:port` (or `[ip]:port` for IPv6): how endpoints are written everywhere. */
export function endpointText(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Writing (tests, tools).

/** A classic little-endian µs pcap holding the given frames. */
export function encodePcap(frames: { time: number; data: Uint8Array }[], linkType = LINKTYPE_ETHERNET): Uint8Array {
  let size = 24;
  for (const f of frames) size += 16 + f.data.length;
  const out = new Uint8Array(size);
  const dv = view(out);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, linkType, true);
  let p = 24;
  for (const f of frames) {
    const sec = Math.floor(f.time);
    dv.setUint32(p, sec, true);
    dv.setUint32(p + 4, Math.min(999999, Math.round((f.time - sec) * 1e6)), true);
    dv.setUint32(p + 8, f.data.length, true);
    dv.setUint32(p + 12, f.data.length, true);
    out.set(f.data, p + 16);
    p += 16 + f.data.length;
  }
  return out;
}

function ipv4Bytes(ip: string): number[] {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((x) => !(x >= 0 && x <= 255))) throw new Error(`bad IPv4 address "${ip}"`);
  return parts;
}

/** An Ethernet/IPv4/UDP frame carrying `payload` (checksum left 0, which UDP allows). */
export function ethernetIpv4Udp(src: string, srcPort: number, dst: string, dstPort: number, payload: Uint8Array, ipId = 0): Uint8Array {
  const f = new Uint8Array(14 + 20 + 8 + payload.length);
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], 0);
  const ipLen = 20 + 8 + payload.length;
  f.set([0x45, 0, ipLen >> 8, ipLen & 0xff, (ipId >> 8) & 0xff, ipId & 0xff, 0, 0, 64, 17, 0, 0], 14);
  f.set(ipv4Bytes(src), 26);
  f.set(ipv4Bytes(dst), 30);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += (f[i]! << 8) | f[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  const ck = ~sum & 0xffff;
  f[24] = ck >> 8; f[25] = ck & 0xff;
  const ulen = 8 + payload.length;
  f.set([srcPort >> 8, srcPort & 0xff, dstPort >> 8, dstPort & 0xff, ulen >> 8, ulen & 0xff, 0, 0], 34);
  f.set(payload, 42);
  return f;
}
