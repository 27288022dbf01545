import { describe, it, expect } from 'vitest';
import { encodeRtp, parseRtp, parseRed, findRtpStreams, rtpStreamToChannel, rtpStreamEvents, alignChannels } from '../../core/formats/rtp';
import type { UdpDatagram } from '../../core/formats/pcap';
import { encodeG711, ALAW_TO_FLOAT, ULAW_TO_FLOAT } from '../../core/formats/g711';

const T0 = 1_600_000_000;

/** A 1 kHz tone as G.711 packets of 160 samples, with per-packet control over the header. */
function makeStream(opts: {
  n: number; law?: 'ulaw' | 'alaw'; pt?: number; seq0?: number; ts0?: number; ssrc?: number;
  src?: string; srcPort?: number; dst?: string; dstPort?: number; t0?: number;
}) {
  const law = opts.law ?? 'alaw';
  const total = opts.n * 160;
  const tone = new Float32Array(total);
  for (let i = 0; i < total; i++) tone[i] = 0.3 * Math.sin((2 * Math.PI * 1000 * i) / 8000) * (1 + ((i / 160) | 0) % 3) / 3;
  const codes = encodeG711(law, tone);
  const pkts: UdpDatagram[] = [];
  for (let k = 0; k < opts.n; k++) {
    const payload = codes.subarray(k * 160, (k + 1) * 160);
    pkts.push({
      time: (opts.t0 ?? T0) + k * 0.02, src: opts.src ?? '10.0.0.1', srcPort: opts.srcPort ?? 4000, dst: opts.dst ?? '10.0.0.2', dstPort: opts.dstPort ?? 5000,
      payload: encodeRtp({ marker: k === 0, payloadType: opts.pt ?? (law === 'ulaw' ? 0 : 8), seq: ((opts.seq0 ?? 100) + k) & 0xffff, timestamp: ((opts.ts0 ?? 5000) + k * 160) >>> 0, ssrc: opts.ssrc ?? 0x1234abcd }, payload),
      truncated: false, index: k,
    });
  }
  const table = law === 'ulaw' ? ULAW_TO_FLOAT : ALAW_TO_FLOAT;
  const expected = Float32Array.from(codes, (c) => table[c]!);
  return { pkts, expected };
}

function channelOf(pkts: UdpDatagram[], warnings: string[] = []) {
  const streams = findRtpStreams(pkts, warnings);
  expect(streams.length).toBe(1);
  return rtpStreamToChannel(streams[0]!, T0, warnings)!;
}

describe('RTP header', () => {
  it('parses CSRCs, extension and padding', () => {
    const payload = Uint8Array.of(1, 2, 3);
    const b = Uint8Array.of(0xb1, 0x88, 0x12, 0x34, 0, 0, 1, 0, 0xde, 0xad, 0xbe, 0xef, 9, 9, 9, 9, 0xbe, 0xde, 0, 1, 7, 7, 7, 7, ...payload, 0, 0, 3);
    const h = parseRtp(b)!;
    expect(h).toMatchObject({ marker: true, payloadType: 8, seq: 0x1234, timestamp: 256, ssrc: 0xdeadbeef });
    expect(Array.from(h.payload)).toEqual([1, 2, 3]);
    expect(parseRtp(Uint8Array.of(0x80, 200, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toBeUndefined(); // RTCP SR
    expect(parseRtp(Uint8Array.of(0x00, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toBeUndefined(); // version 0
    expect(parseRtp(Uint8Array.of(0xa0, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 200))).toBeUndefined(); // padding past start
  });
});

describe('RTP streams', () => {
  it('decodes a clean stream sample-exactly, on the capture timeline', () => {
    const { pkts, expected } = makeStream({ n: 50, t0: T0 + 1.5 });
    const ch = channelOf(pkts);
    expect(ch.label).toBe('10.0.0.1:4000→10.0.0.2:5000 PCMA');
    expect(ch.codec).toBe('PCMA');
    expect(ch.startTime).toBeCloseTo(1.5, 6);
    expect(ch.samples.length).toBe(expected.length);
    expect(Array.from(ch.samples)).toEqual(Array.from(expected));
    expect(ch).toMatchObject({ lostPackets: 0, duplicatePackets: 0, reorderedPackets: 0, packets: 50 });
  });

  it('µ-law with sequence and timestamp wrap-around', () => {
    const { pkts, expected } = makeStream({ n: 40, law: 'ulaw', seq0: 65530, ts0: 0xffffff00 });
    const ch = channelOf(pkts);
    expect(ch.codec).toBe('PCMU');
    expect(Array.from(ch.samples)).toEqual(Array.from(expected));
  });

  it('reorders, drops duplicates, fills lost packets with silence and counts them', () => {
    const { pkts, expected } = makeStream({ n: 60 });
    const shuffled = pkts.slice();
    [shuffled[10], shuffled[11]] = [shuffled[11]!, shuffled[10]!];
    [shuffled[30], shuffled[33]] = [shuffled[33]!, shuffled[30]!];
    shuffled.splice(20, 0, pkts[19]!); // a duplicate
    const lost = new Set([40, 41, 42, 55]);
    const input = shuffled.filter((p) => !lost.has(((p.payload[2]! << 8) | p.payload[3]!) - 100));
    const w: string[] = [];
    const ch = channelOf(input, w);
    expect(ch.lostPackets).toBe(4);
    expect(ch.duplicatePackets).toBe(1);
    expect(ch.reorderedPackets).toBe(4); // 10 after 11; 31, 32 and 30 after 33
    expect(w.join()).toMatch(/4 packet\(s\) lost/);
    const want = expected.slice();
    for (const k of lost) want.fill(0, k * 160, (k + 1) * 160);
    expect(Array.from(ch.samples)).toEqual(Array.from(want));
  });

  it('respects timestamps across silence suppression (marker) and comfort noise', () => {
    const { pkts } = makeStream({ n: 30 });
    // Packets 10..19 suppressed: 10 replaced by one CN packet, the rest absent; seq numbers continue.
    const out: UdpDatagram[] = [];
    for (let k = 0; k < 30; k++) {
      const p = pkts[k]!;
      if (k >= 11 && k < 20) continue;
      const h = parseRtp(p.payload)!;
      const seq = k < 11 ? h.seq : h.seq - 9;
      const pt = k === 10 ? 13 : 8;
      const payload = k === 10 ? Uint8Array.of(60) : h.payload;
      out.push({ ...p, payload: encodeRtp({ marker: k === 20, payloadType: pt, seq, timestamp: h.timestamp, ssrc: h.ssrc }, payload) });
    }
    const ch = channelOf(out);
    expect(ch.lostPackets).toBe(0);
    expect(ch.samples.length).toBe(30 * 160);
    let e = 0;
    for (let i = 10 * 160; i < 20 * 160; i++) e += Math.abs(ch.samples[i]!);
    expect(e).toBe(0);
    expect(Math.abs(ch.samples[20 * 160 + 2]!)).toBeGreaterThan(0);
  });

  it('re-anchors on arrival time when timestamps restart', () => {
    const a = makeStream({ n: 20 });
    const b = makeStream({ n: 20, seq0: 120, ts0: 0, t0: T0 + 0.4 + 3 }); // 3 s gap, timestamps restart at 0
    const w: string[] = [];
    const ch = channelOf([...a.pkts, ...b.pkts], w);
    expect(ch.timestampJumps).toBe(1);
    expect(w.join()).toMatch(/timestamps jumped/);
    const at = Math.round(3.4 * 8000);
    expect(ch.samples.length).toBe(at + 20 * 160);
    expect(Array.from(ch.samples.subarray(at, at + 320))).toEqual(Array.from(b.expected.subarray(0, 320)));
  });

  it('places by sequence number when timestamps do not follow the packet sizes', () => {
    const { pkts, expected } = makeStream({ n: 30 });
    // A broken sender: timestamps count packets, not samples.
    const broken = pkts.map((p, k) => {
      const h = parseRtp(p.payload)!;
      return { ...p, payload: encodeRtp({ marker: false, payloadType: 8, seq: h.seq, timestamp: 1000 + k, ssrc: h.ssrc }, h.payload) };
    });
    const w: string[] = [];
    const ch = channelOf(broken.filter((_, k) => k !== 7), w);
    expect(w.join()).toMatch(/placed by sequence number/);
    const want = expected.slice();
    want.fill(0, 7 * 160, 8 * 160);
    expect(Array.from(ch.samples)).toEqual(Array.from(want));
  });

  it('finds a short RTP phase in a flow that then carries much more T.38', () => {
    const { pkts } = makeStream({ n: 30 });
    const udptl: UdpDatagram[] = Array.from({ length: 500 }, (_, k) => ({ ...pkts[0]!, time: T0 + 1 + k * 0.03, payload: Uint8Array.of(k >> 8, k & 0xff, 1, 0x06, 0, 0) }));
    expect(findRtpStreams([...pkts, ...udptl]).length).toBe(1);
  });

  it('finds both directions and keeps them apart; aligns them on one timeline', () => {
    const a = makeStream({ n: 30, ssrc: 1 });
    const b = makeStream({ n: 30, ssrc: 2, src: '10.0.0.2', srcPort: 5000, dst: '10.0.0.1', dstPort: 4000, t0: T0 + 0.5, law: 'ulaw' });
    const streams = findRtpStreams([...a.pkts, ...b.pkts].sort((x, y) => x.time - y.time));
    expect(streams.map((s) => s.codec)).toEqual(['PCMA', 'PCMU']);
    const chs = streams.map((s) => rtpStreamToChannel(s, T0)!);
    const [x, y] = alignChannels(chs);
    expect(x!.length).toBe(y!.length);
    expect(x!.length).toBe(4000 + 30 * 160);
    expect(Array.from(y!.subarray(0, 4000)).every((v) => v === 0)).toBe(true);
    expect(y![4000 + 5]).toBe(chs[1]!.samples[5]);
  });

  it('reports RFC 4733 events carried beside the audio (and decodes them as silence)', () => {
    const { pkts } = makeStream({ n: 40 });
    const out = pkts.map((p, k) => {
      if (k < 10 || k > 12) return p;
      const h = parseRtp(p.payload)!;
      const dur = (k - 9) * 160;
      return { ...p, payload: encodeRtp({ marker: k === 10, payloadType: 101, seq: h.seq, timestamp: 5000 + 10 * 160, ssrc: h.ssrc }, Uint8Array.of(36, k === 12 ? 0x8a : 0x0a, dur >> 8, dur & 0xff)) };
    });
    const s = findRtpStreams(out);
    expect(s[0]!.codec).toBe('PCMA');
    expect(rtpStreamEvents(s[0]!, T0)).toEqual([{ t: expect.closeTo(0.2, 6), direction: '10.0.0.1:4000→10.0.0.2:5000', payloadType: 101, event: 36, name: 'CNG (1100 Hz)', duration: 0.06, ended: true }]);
    const ch = rtpStreamToChannel(s[0]!, T0)!;
    expect(ch.lostPackets).toBe(0);
    expect(Array.from(ch.samples.subarray(10 * 160, 13 * 160)).every((v) => v === 0)).toBe(true);
  });

  it('decodes RFC 2198 redundancy around G.711 and restores lost packets from it', () => {
    const { pkts, expected } = makeStream({ n: 40 });
    // RED, PT 99: one redundant block (the previous packet, 160 samples back), then the primary.
    const red = pkts.map((p, k) => {
      const h = parseRtp(p.payload)!;
      const prev = k ? parseRtp(pkts[k - 1]!.payload)!.payload : new Uint8Array(0);
      const hdr = k ? [0x80 | 8, (160 >> 6) & 0xff, ((160 << 2) & 0xfc) | ((prev.length >> 8) & 3), prev.length & 0xff] : [];
      const body = Uint8Array.from([...hdr, 8, ...prev, ...h.payload]);
      return { ...p, payload: encodeRtp({ marker: false, payloadType: 99, seq: h.seq, timestamp: h.timestamp, ssrc: h.ssrc }, body) };
    });
    const blocks = parseRed(parseRtp(red[5]!.payload)!.payload)!;
    expect(blocks.map((b) => [b.payloadType, b.tsOffset, b.data.length])).toEqual([[8, 160, 160], [8, 0, 160]]);
    const w: string[] = [];
    const lost = new Set([10, 20, 21]); // packet k+1 carries a copy of k
    const ch = channelOf(red.filter((_, k) => !lost.has(k)), w);
    expect(ch.codec).toBe('PCMA (RFC 2198 redundancy, PT 99)');
    expect(ch.lostPackets).toBe(3);
    expect(ch.redundancyRepairedSamples).toBe(2 * 160); // 10 (from 11) and 21 (from 22); 20's copy was in lost 21
    const want = expected.slice();
    want.fill(0, 20 * 160, 21 * 160);
    expect(Array.from(ch.samples)).toEqual(Array.from(want));
    expect(w.join()).toMatch(/320 samples restored from RFC 2198 redundancy/);
  });

  it('flags dynamic payload types and other codecs instead of decoding them', () => {
    const { pkts } = makeStream({ n: 20, pt: 101 });
    const w: string[] = [];
    const s = findRtpStreams(pkts, w);
    expect(s.length).toBe(1);
    expect(s[0]!.codec).toBe('dynamic PT 101');
    expect(rtpStreamToChannel(s[0]!, T0)).toBeUndefined();
    expect(w.join()).toMatch(/dynamic PT 101.*not decoded/);
  });

  it('does not take random UDP, UDPTL or SIP for RTP', () => {
    let s = 7;
    const rnd = (n: number) => Uint8Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
    const dg = (payload: Uint8Array, k: number, port: number): UdpDatagram => ({ time: T0 + k * 0.02, src: '1.1.1.1', srcPort: port, dst: '2.2.2.2', dstPort: port, payload, truncated: false, index: k });
    const junk: UdpDatagram[] = [];
    for (let k = 0; k < 200; k++) junk.push(dg(rnd(172), k, 1000));
    // Version bits forced to 2 but SSRC/sequence random: still not a stream.
    for (let k = 0; k < 200; k++) { const b = rnd(172); b[0] = 0x80; junk.push(dg(b, k, 2000)); }
    for (let k = 0; k < 50; k++) junk.push(dg(Uint8Array.of(0, k, 1, 0x06), k, 3000)); // UDPTL-like
    for (let k = 0; k < 20; k++) junk.push(dg(new TextEncoder().encode('INVITE sip:fax@example.com SIP/2.0\r\n'), k, 5060));
    expect(findRtpStreams(junk)).toEqual([]);
  });
});
