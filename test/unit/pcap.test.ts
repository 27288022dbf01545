import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import {
  parseCapture, extractUdp, encodePcap, ethernetIpv4Udp, sniffCapture, ipv6Text,
  LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW, LINKTYPE_NULL, LINKTYPE_IPV6,
} from '../../core/formats/pcap';
import { decodeCapture } from '../../core/decode/capture';

// --- builders for the variants the real fixtures do not cover -------------------------------

function u16(v: number, le: boolean): number[] { return le ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]; }
function u32(v: number, le: boolean): number[] {
  const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return le ? b.reverse() : b;
}

/** A classic pcap in either byte order, µs or ns. */
function pcapVariant(frames: { time: number; data: Uint8Array }[], linkType: number, le: boolean, nanos: boolean): Uint8Array {
  const out: number[] = [...u32(nanos ? 0xa1b23c4d : 0xa1b2c3d4, le), ...u16(2, le), ...u16(4, le), 0, 0, 0, 0, 0, 0, 0, 0, ...u32(65535, le), ...u32(linkType, le)];
  for (const f of frames) {
    const sec = Math.floor(f.time);
    const frac = Math.round((f.time - sec) * (nanos ? 1e9 : 1e6));
    out.push(...u32(sec, le), ...u32(frac, le), ...u32(f.data.length, le), ...u32(f.data.length, le), ...f.data);
  }
  return Uint8Array.from(out);
}

function pad4(b: number[]): number[] { while (b.length % 4) b.push(0); return b; }
function block(type: number, body: number[], le: boolean): number[] {
  const len = 12 + pad4(body).length;
  return [...u32(type, le), ...u32(len, le), ...body, ...u32(len, le)];
}

/** A pcapng with one IDB (optionally with if_tsresol) and EPBs (or SPBs). */
function pcapng(frames: { time: number; data: Uint8Array }[], linkType: number, le: boolean, opts: { tsresol?: number; simple?: boolean } = {}): Uint8Array {
  const shb = block(0x0a0d0d0a, [...u32(0x1a2b3c4d, le), ...u16(1, le), ...u16(0, le), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], le);
  const idbOpts = opts.tsresol === undefined ? [] : [...u16(9, le), ...u16(1, le), opts.tsresol, 0, 0, 0, ...u16(0, le), ...u16(0, le)];
  const idb = block(1, [...u16(linkType, le), 0, 0, ...u32(0, le), ...idbOpts], le);
  const unit = opts.tsresol === undefined ? 1e-6 : opts.tsresol & 0x80 ? Math.pow(2, -(opts.tsresol & 0x7f)) : Math.pow(10, -opts.tsresol);
  const out = [...shb, ...idb];
  // A name-resolution block in between, which must be skipped.
  out.push(...block(4, [0, 0, 0, 0], le));
  for (const f of frames) {
    if (opts.simple) { out.push(...block(3, [...u32(f.data.length, le), ...f.data], le)); continue; }
    const ticks = Math.round(f.time / unit);
    const hi = Math.floor(ticks / 4294967296), lo = ticks % 4294967296;
    out.push(...block(6, [...u32(0, le), ...u32(hi, le), ...u32(lo, le), ...u32(f.data.length, le), ...u32(f.data.length, le), ...f.data], le));
  }
  return Uint8Array.from(out);
}

function udpHeader(sp: number, dp: number, payload: Uint8Array): number[] {
  const l = 8 + payload.length;
  return [sp >> 8, sp & 0xff, dp >> 8, dp & 0xff, l >> 8, l & 0xff, 0, 0, ...payload];
}
function ipv4(src: number[], dst: number[], body: number[], id = 1, flagsOff = 0, proto = 17): number[] {
  const l = 20 + body.length;
  return [0x45, 0, l >> 8, l & 0xff, id >> 8, id & 0xff, flagsOff >> 8, flagsOff & 0xff, 64, proto, 0, 0, ...src, ...dst, ...body];
}
function ipv6(src: number[], dst: number[], next: number, body: number[]): number[] {
  return [0x60, 0, 0, 0, body.length >> 8, body.length & 0xff, next, 64, ...src, ...dst, ...body];
}
const V6A = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const V6B = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
const payload = Uint8Array.from({ length: 40 }, (_, i) => i * 7);

describe('pcap/pcapng containers', () => {
  const frames = [0, 1, 2].map((k) => ({ time: 1700000000 + k * 0.02 + 0.000123, data: ethernetIpv4Udp('10.0.0.1', 4000, '10.0.0.2', 5000 + k, payload) }));

  for (const le of [true, false]) {
    for (const nanos of [false, true]) {
      it(`reads pcap ${le ? 'little' : 'big'}-endian ${nanos ? 'ns' : 'µs'}`, () => {
        const cap = parseCapture(pcapVariant(frames, LINKTYPE_ETHERNET, le, nanos));
        expect(cap.format).toBe('pcap');
        expect(cap.warnings).toEqual([]);
        expect(cap.packets.length).toBe(3);
        expect(cap.packets[2]!.time).toBeCloseTo(1700000000.040123, 5);
        const u = extractUdp(cap);
        expect(u.map((d) => d.dstPort)).toEqual([5000, 5001, 5002]);
        expect(Array.from(u[0]!.payload)).toEqual(Array.from(payload));
        expect(u[0]!.src).toBe('10.0.0.1');
      });
    }
    it(`reads pcapng ${le ? 'little' : 'big'}-endian with EPBs, default and ns resolution, and SPBs`, () => {
      for (const opts of [{}, { tsresol: 9 }, { tsresol: 0x80 | 20 }, { simple: true }]) {
        const cap = parseCapture(pcapng(frames, LINKTYPE_ETHERNET, le, opts));
        expect(cap.format).toBe('pcapng');
        expect(cap.warnings).toEqual([]);
        expect(cap.packets.length).toBe(3);
        if (!('simple' in opts)) expect(cap.packets[1]!.time).toBeCloseTo(1700000000.020123, 5);
        expect(extractUdp(cap).map((d) => d.dstPort)).toEqual([5000, 5001, 5002]);
      }
    });
  }

  it('the real fixtures are little-endian µs Ethernet pcaps with every packet UDP', () => {
    const cap = parseCapture(new Uint8Array(readFileSync(fixture('pcap', 'asterisk-testsuite_t38_enabled_two_reinvite_CARRIER_G711U.pcap'))));
    expect(cap.packets.length).toBe(800);
    expect(cap.warnings).toEqual([]);
    const u = extractUdp(cap);
    expect(u.length).toBe(800);
    expect(new Set(u.map((d) => `${d.src}:${d.srcPort}>${d.dst}:${d.dstPort}`))).toEqual(new Set(['208.89.128.69:47322>81.201.84.200:13030']));
    expect(u.every((d) => d.payload.length === 172)).toBe(true);
  });
});

describe('the same real capture in other containers decodes the same', () => {
  it('pcapng (ns and default resolution, both byte orders) and Linux SLL give identical channels', () => {
    const bytes = new Uint8Array(readFileSync(fixture('pcap', 'asterisk-testsuite_t38_enabled_two_reinvite_CARRIER_G711U.pcap')));
    const ref = decodeCapture(bytes);
    const frames = parseCapture(bytes).packets.map((p) => ({ time: p.time, data: p.data }));
    const sll = frames.map((f) => ({ time: f.time, data: Uint8Array.from([0, 0, 0, 1, 0, 6, ...f.data.subarray(6, 12), 0, 0, ...f.data.subarray(12)]) }));
    for (const bytes2 of [pcapng(frames, LINKTYPE_ETHERNET, true, { tsresol: 9 }), pcapng(frames, LINKTYPE_ETHERNET, false), pcapVariant(sll, LINKTYPE_LINUX_SLL, false, true)]) {
      const c = decodeCapture(bytes2);
      expect(c.audioChannels.length).toBe(1);
      expect(c.audioChannels[0]!.label).toBe(ref.audioChannels[0]!.label);
      expect(c.audioChannels[0]!.startTime).toBeCloseTo(ref.audioChannels[0]!.startTime, 5);
      expect(Buffer.from(c.audioChannels[0]!.samples.buffer).equals(Buffer.from(ref.audioChannels[0]!.samples.buffer))).toBe(true);
    }
  });
});

describe('link layers, IP and UDP', () => {
  const udp = udpHeader(1234, 5678, payload);
  const ip = ipv4([192, 168, 1, 1], [192, 168, 1, 2], udp);
  const one = (data: number[], lt: number) => extractUdp(parseCapture(encodePcap([{ time: 1, data: Uint8Array.from(data) }], lt)));
  const check = (u: ReturnType<typeof one>, src = '192.168.1.1') => {
    expect(u.length).toBe(1);
    expect(u[0]!.src).toBe(src);
    expect(u[0]!.srcPort).toBe(1234);
    expect(u[0]!.dstPort).toBe(5678);
    expect(Array.from(u[0]!.payload)).toEqual(Array.from(payload));
  };

  it('Ethernet with 802.1Q and QinQ tags', () => {
    const mac = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    check(one([...mac, 0x81, 0x00, 0, 100, 0x08, 0x00, ...ip], LINKTYPE_ETHERNET));
    check(one([...mac, 0x88, 0xa8, 0, 5, 0x81, 0x00, 0, 100, 0x08, 0x00, ...ip], LINKTYPE_ETHERNET));
  });
  it('Linux SLL and SLL2', () => {
    check(one([0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00, ...ip], LINKTYPE_LINUX_SLL));
    check(one([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, ...ip], LINKTYPE_LINUX_SLL2));
  });
  it('raw IP and BSD null loopback (either byte order)', () => {
    check(one(ip, LINKTYPE_RAW));
    check(one([2, 0, 0, 0, ...ip], LINKTYPE_NULL));
    check(one([0, 0, 0, 2, ...ip], LINKTYPE_NULL));
  });
  it('IPv6, with a hop-by-hop extension header, and text form of the address', () => {
    const u = one(ipv6(V6A, V6B, 17, udp), LINKTYPE_IPV6);
    check(u, '2001:db8::1');
    const hbh = [17, 0, 1, 4, 0, 0, 0, 0]; // next = UDP, 8 bytes, PadN
    check(one([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x86, 0xdd, ...ipv6(V6A, V6B, 0, [...hbh, ...udp])], LINKTYPE_ETHERNET), '2001:db8::1');
    expect(ipv6Text(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 0)).toBe('::1');
    expect(ipv6Text(Uint8Array.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]), 0)).toBe('fe80::1:0:0:1');
  });
  it('reassembles IPv4 fragments arriving out of order', () => {
    const big = Uint8Array.from({ length: 3000 }, (_, i) => (i * 13) & 0xff);
    const seg = udpHeader(1234, 5678, big); // 3008 bytes of UDP to cut at 1480-byte boundaries
    const frag = (off: number, end: number, more: boolean) =>
      ({ time: 2, data: Uint8Array.from(ipv4([10, 1, 1, 1], [10, 1, 1, 2], seg.slice(off, end), 77, (more ? 0x2000 : 0) | (off / 8))) });
    const cap = parseCapture(encodePcap([frag(2960, 3008, false), frag(0, 1480, true), frag(1480, 2960, true)], LINKTYPE_RAW));
    const w: string[] = [];
    const u = extractUdp(cap, w);
    expect(w).toEqual([]);
    expect(u.length).toBe(1);
    expect(Buffer.from(u[0]!.payload).equals(Buffer.from(big))).toBe(true);
    // A lost fragment: nothing comes out and the loss is reported.
    const w2: string[] = [];
    expect(extractUdp(parseCapture(encodePcap([frag(0, 1480, true), frag(2960, 3008, false)], LINKTYPE_RAW)), w2).length).toBe(0);
    expect(w2.join()).toMatch(/never completed/);
  });
  it('reassembles IPv6 fragments', () => {
    const big = Uint8Array.from({ length: 2000 }, (_, i) => (i * 5) & 0xff);
    const seg = udpHeader(1234, 5678, big);
    const frag = (off: number, end: number, more: boolean) =>
      ({ time: 3, data: Uint8Array.from(ipv6(V6A, V6B, 44, [17, 0, (off >> 8) & 0xff, (off & 0xf8) | (more ? 1 : 0), 0, 0, 0, 9, ...seg.slice(off, end)])) });
    const u = extractUdp(parseCapture(encodePcap([frag(1232, 2008, false), frag(0, 1232, true)], LINKTYPE_RAW)));
    expect(u.length).toBe(1);
    expect(Buffer.from(u[0]!.payload).equals(Buffer.from(big))).toBe(true);
  });
  it('skips non-UDP and non-IP traffic quietly', () => {
    const tcp = ipv4([1, 1, 1, 1], [2, 2, 2, 2], new Array(20).fill(0), 1, 0, 6);
    const arp = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x06, ...new Array(28).fill(0)];
    const cap = parseCapture(encodePcap([{ time: 1, data: Uint8Array.from(tcp) }], LINKTYPE_RAW));
    const w: string[] = [];
    expect(extractUdp(cap, w)).toEqual([]);
    expect(extractUdp(parseCapture(encodePcap([{ time: 1, data: Uint8Array.from(arp) }]))).length).toBe(0);
    expect(w).toEqual([]);
  });
  it('marks datagrams cut by the snap length', () => {
    const full = ethernetIpv4Udp('10.0.0.1', 1, '10.0.0.2', 2, payload);
    const cut = pcapVariant([{ time: 1, data: full.subarray(0, full.length - 10) }], LINKTYPE_ETHERNET, true, false);
    const u = extractUdp(parseCapture(cut));
    expect(u.length).toBe(1);
    expect(u[0]!.truncated).toBe(true);
    expect(u[0]!.payload.length).toBe(payload.length - 10);
  });
});

describe('garbage', () => {
  it('refuses bytes that are not a capture with a one-line message', () => {
    const rnd = new Uint8Array(5000);
    let s = 12345;
    for (let i = 0; i < rnd.length; i++) { s = (s * 1103515245 + 12345) >>> 0; rnd[i] = s >>> 24; }
    expect(sniffCapture(rnd)).toBeUndefined();
    expect(() => parseCapture(rnd)).toThrow(/^not a pcap or pcapng capture/);
    expect(() => parseCapture(new Uint8Array(0))).toThrow(/not a pcap/);
    expect(() => parseCapture(Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 2))).toThrow(/truncated/);
  });

  it('keeps the packets before a truncation and says where it stopped', () => {
    const bytes = new Uint8Array(readFileSync(fixture('pcap', 'asterisk-testsuite_t38_enabled_two_reinvite_CARRIER_G711U.pcap')));
    expect(parseCapture(bytes.subarray(0, 24))).toMatchObject({ packets: [], warnings: [] }); // header only: a valid empty capture
    for (const cutAt of [30, 1000, 100_000, bytes.length - 1]) {
      const cap = parseCapture(bytes.subarray(0, cutAt));
      expect(cap.warnings.join()).toMatch(/truncated/);
      expect(cap.packets.length).toBeLessThan(800);
    }
    const ng = pcapng([{ time: 1, data: ethernetIpv4Udp('10.0.0.1', 1, '10.0.0.2', 2, payload) }], LINKTYPE_ETHERNET, true);
    for (let cut = 1; cut < ng.length; cut += 7) {
      const r = (() => { try { return parseCapture(ng.subarray(0, cut)); } catch (e) { return e as Error; } })();
      if (r instanceof Error) expect(r.message).toMatch(/not a pcap|truncated/);
      else {
        // Cut on a block boundary (after SHB, IDB, NRB) is a valid shorter file; anywhere else is reported.
        expect(r.warnings.length > 0 || [28, 48, 64].includes(cut)).toBe(true);
        expect(r.packets.length).toBe(0);
      }
    }
  });

  it('survives random damage to a real capture (no throw, no hang)', () => {
    const bytes = new Uint8Array(readFileSync(fixture('pcap', 'asterisk-testsuite_t38_enabled_two_reinvite_CARRIER_G711U.pcap')));
    let s = 99;
    for (let trial = 0; trial < 30; trial++) {
      const b = bytes.slice();
      for (let k = 0; k < 50; k++) { s = (s * 1103515245 + 12345) >>> 0; b[24 + (s % (b.length - 24))] = s >>> 24; }
      const cap = parseCapture(b);
      extractUdp(cap);
      expect(cap.packets.length).toBeLessThanOrEqual(800);
    }
  });
});
