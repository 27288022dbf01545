import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture, peerBin } from '../helpers/peers';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeS16le } from '../../core/formats/raw-audio';
import { decodeCapture, isCapture, t38Pages, type AudioChannel } from '../../core/decode/capture';
import { encodePcap, ethernetIpv4Udp } from '../../core/formats/pcap';
import { encodeRtp } from '../../core/formats/rtp';
import { encodeIfp, encodeUdptl, bitReverse, type IfpPacket } from '../../core/formats/t38';
import { encodeG711 } from '../../core/formats/g711';
import { V21Receiver } from '../../core/modems/v21-rx';
import { HdlcRx } from '../../core/hdlc/hdlc-rx';
import { v21Frames, fcfName, identText, toneBlocks, meanSquare, goertzelPower, type ProbeFrame } from '../helpers/v21-probe';

const WIRESHARK = fixture('pcap', 'wireshark-sample_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap');
const ASTERISK = fixture('pcap', 'asterisk-testsuite_t38_enabled_two_reinvite_CARRIER_G711U.pcap');
const load = (p: string) => new Uint8Array(readFileSync(p));

/** DIS/DCS bits 11-14 (data signalling rate): frame octet 4, bits 2..5. */
const rateBits = (f: ProbeFrame) => (f.bytes[4]! >> 2) & 0x0f;
const names = (frames: ProbeFrame[]) => frames.map((f) => fcfName(f.bytes));

/**
 * The high-speed burst after a DCS: after the V.21 frame and a gap of silence, a run of
 * non-silent 20 ms blocks that are not V.21 FSK. Returns its length in seconds (0 if none).
 */
function burstAfter(ch: AudioChannel, dcs: ProbeFrame): number {
  const x = ch.samples;
  let s = Math.round(dcs.t * 8000);
  const blk = 160;
  const silent = (i: number) => meanSquare(x, i, blk) < 1e-5;
  while (s + blk <= x.length && !silent(s)) s += blk; // the rest of the V.21 message
  let gap = 0;
  while (s + blk <= x.length && silent(s)) { s += blk; gap++; }
  if (gap < 2 || gap > 25) return 0; // T.30: 75 ± 20 ms between DCS and TCF
  let n = 0, fsk = 0;
  while (s + blk <= x.length && !silent(s)) {
    const e = meanSquare(x, s, blk);
    if (goertzelPower(x, s, blk, 1650) + goertzelPower(x, s, blk, 1850) > 0.5 * e) fsk++;
    s += blk; n++;
  }
  return fsk > 0.1 * n ? 0 : (n * blk) / 8000;
}

/** Good-FCS frames found by the project's own V.21 receiver and HDLC deframer, fed in 160-sample blocks. */
function coreV21Frames(ch: AudioChannel): Uint8Array[] {
  const out: Uint8Array[] = [];
  const hdlc = new HdlcRx((frame, ok) => { if (ok) out.push(frame); });
  const rx = new V21Receiver(hdlc.putBit);
  for (let o = 0; o < ch.samples.length; o += 160) rx.rx(ch.samples, o, Math.min(160, ch.samples.length - o));
  return out;
}

describe('capture: every channel through core/modems/v21-rx + core/hdlc/hdlc-rx', () => {
  it('finds the same good frames as the independent probe, in both real captures', () => {
    const seen: string[][] = [];
    for (const file of [WIRESHARK, ASTERISK]) {
      for (const ch of decodeCapture(load(file)).audioChannels) {
        const core = coreV21Frames(ch).map((b) => Buffer.from(b).toString('hex'));
        const probe = v21Frames(ch.samples).map((f) => Buffer.from(f.bytes).toString('hex'));
        expect(core).toEqual(probe);
        seen.push(coreV21Frames(ch).map((b) => fcfName(b)));
      }
    }
    expect(seen).toEqual([
      ['CSI', 'DIS', 'CSI', 'DIS', 'CSI', 'DIS', 'CSI', 'DIS', 'CSI', 'DIS', 'TSI', 'DCS', 'CFR', 'EOP', 'MCF', 'EOP', 'MCF', 'EOP', 'MCF', 'DCN'],
      ['TSI', 'DCS', 'EOP', 'EOP', 'EOP', 'DCN'],
      ['TSI', 'DCS'],
    ]);
  });
});

describe('capture: Wireshark sample (G.711 A-law, T.38 declined)', () => {
  const cap = decodeCapture(load(WIRESHARK));
  const byLabel = (prefix: string) => cap.audioChannels.find((c) => c.label.startsWith(prefix))!;

  it('finds both A-law directions even though the SDP announced T.38 on port 15580', () => {
    expect(cap.format).toBe('pcap');
    expect(cap.audioChannels.map((c) => c.label).sort()).toEqual([
      '10.23.1.52:16756→10.35.60.100:15580 PCMA',
      '10.35.60.100:15580→10.23.1.52:16756 PCMA',
    ]);
    expect(cap.t38.flows).toEqual([]); // nothing mistaken for UDPTL
    // The answering gateway also announced its CED as an RFC 4733 event (32, payload type 102).
    expect(cap.rtpEvents.filter((e) => e.event === 32).map((e) => [e.direction, e.payloadType, e.name, Math.round(e.t)])).toEqual([
      ['10.35.60.100:15580→10.23.1.52:16756', 102, 'ANS (CED, 2100 Hz)', 30],
    ]);
    for (const c of cap.audioChannels) {
      expect(c.lostPackets).toBe(0);
      expect(c.samples.length).toBeGreaterThan(70 * 8000);
    }
  });

  it('answering side: CED, then CSI + DIS (five times) with good FCS', () => {
    const ch = byLabel('10.35.60.100:15580');
    const ced = toneBlocks(ch.samples, 2100);
    expect(ced.length * 0.05).toBeGreaterThan(2.6); // CED lasts 2.6-4 s
    const frames = v21Frames(ch.samples);
    const n = names(frames);
    expect(n.filter((x) => x === 'CSI').length).toBeGreaterThanOrEqual(5);
    expect(n.filter((x) => x === 'DIS').length).toBeGreaterThanOrEqual(5);
    // CED comes before the first DIS; CSI immediately precedes DIS in each message.
    const firstDis = frames.find((f) => fcfName(f.bytes) === 'DIS')!;
    expect(ced[0]!).toBeLessThan(firstDis.t);
    expect(n[n.indexOf('DIS') - 1]).toBe('CSI');
    expect(identText(frames.find((f) => fcfName(f.bytes) === 'CSI')!.bytes)).toBe('Fax');
  });

  it('calling side: TSI, DCS asking V.17 14400, TCF, EOP and DCN — and no DIS', () => {
    const ch = byLabel('10.23.1.52:16756');
    const frames = v21Frames(ch.samples);
    const n = names(frames);
    expect(n).toContain('TSI');
    expect(n).not.toContain('DIS');
    const dcs = frames.find((f) => fcfName(f.bytes) === 'DCS')!;
    expect(rateBits(dcs)).toBe(0b1000); // bit 14 alone: V.17 14400
    expect(n.indexOf('TSI')).toBe(n.indexOf('DCS') - 1);
    expect(burstAfter(ch, dcs)).toBeGreaterThan(1.4); // TCF: 1.5 s of V.17 after its training
    expect(n.filter((x) => x === 'EOP').length).toBe(3);
    expect(n[n.length - 1]).toBe('DCN');
    // On the shared capture timeline the caller's DCS follows the answerer's first DIS.
    const ans = byLabel('10.35.60.100:15580');
    const dis = v21Frames(ans.samples).find((f) => fcfName(f.bytes) === 'DIS')!;
    expect(ch.startTime + dcs.t).toBeGreaterThan(ans.startTime + dis.t);
  });
});

/**
 * Run spandsp's modemrx on `seconds` of a channel from just after the DCS; returns how many
 * sessions trained and how many leading zero octets it decoded (TCF is all zeros).
 */
function spandspTcf(ch: AudioChannel, modem: string, rate: number, seconds: number): { trained: number; zeros: number } {
  const dcs = v21Frames(ch.samples).find((f) => fcfName(f.bytes) === 'DCS')!;
  const from = Math.round((dcs.t + 0.25) * 8000);
  const dir = mkdtempSync(join(tmpdir(), 'webfax-capture-'));
  try {
    writeFileSync(join(dir, 'tcf.raw'), encodeS16le(ch.samples.subarray(from, from + seconds * 8000)));
    const out = execFileSync(peerBin('modemrx'), ['--modem', modem, '--rate', String(rate), '-i', join(dir, 'tcf.raw'), '-o', join(dir, 'tcf.bin')], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { trained: number };
    let zeros = 0;
    for (const b of readFileSync(join(dir, 'tcf.bin'))) { if (b !== 0) break; zeros++; }
    return { trained: r.trained, zeros };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('capture: the extracted audio is sample-exact enough for the fast modems (spandsp oracle)', () => {
  it("V.17 14400 trains on the Wireshark sample caller's TCF and reads 1.5 s of zeros", () => {
    const ch = decodeCapture(load(WIRESHARK)).audioChannels.find((c) => c.label.startsWith('10.23.1.52:16756'))!;
    const r = spandspTcf(ch, 'v17', 14400, 3.3);
    expect(r.trained).toBe(1);
    expect(r.zeros).toBeGreaterThan(2500); // 1.5 s at 14400 bit/s = 2700 octets
  });

  it("V.29 9600 trains on the Asterisk capture's TCF and reads 1.5 s of zeros", () => {
    const ch = decodeCapture(load(ASTERISK)).audioChannels[0]!;
    const r = spandspTcf(ch, 'v29', 9600, 2.6);
    expect(r.trained).toBeGreaterThanOrEqual(1);
    expect(r.zeros).toBeGreaterThan(1650); // 1.5 s at 9600 bit/s = 1800 octets
  });
});

describe('capture: Asterisk test-suite (G.711 µ-law)', () => {
  const cap = decodeCapture(load(ASTERISK));

  it('finds the µ-law stream, with CNG, TSI/DCS (V.29 9600) and a TCF burst', () => {
    expect(cap.audioChannels.length).toBe(1);
    const ch = cap.audioChannels[0]!;
    expect(ch.label).toBe('208.89.128.69:47322→81.201.84.200:13030 PCMU');
    expect(ch.lostPackets).toBe(14); // real gaps in the capture's sequence numbers
    const cng = toneBlocks(ch.samples, 1100);
    expect(cng.length).toBeGreaterThanOrEqual(16); // two 0.5 s CNG beeps of 50 ms blocks
    expect(cng[cng.length - 1]! - cng[0]!).toBeGreaterThan(2.5); // beeps 3 s apart
    const frames = v21Frames(ch.samples);
    expect(names(frames)).toEqual(['TSI', 'DCS']);
    const dcs = frames[1]!;
    expect(rateBits(dcs)).toBe(0b0001); // bit 11 alone: V.29 9600
    expect(cng[0]!).toBeLessThan(frames[0]!.t);
    const tcf = burstAfter(ch, dcs);
    expect(tcf).toBeGreaterThan(1.4);
    expect(tcf).toBeLessThan(2.5);
  });
});

// ---------------------------------------------------------------------------------------------
// A synthetic call through a re-INVITE: G.711 first, then T.38 on the same ports.

const A = '192.0.2.10', B = '198.51.100.20';
const DCS = Uint8Array.of(0xff, 0x13, 0x83, 0x00, 0x86, 0x08);
const PAGE = Uint8Array.from({ length: 800 }, (_, i) => (i * 7 + 3) & 0xff);

function syntheticCapture(redundancy: number, drop: Set<number>): Uint8Array {
  const frames: { time: number; data: Uint8Array }[] = [];
  const t0 = 1_700_000_000;
  // 1 s of 1100 Hz (CNG) as µ-law RTP from A.
  const tone = new Float32Array(8000);
  for (let i = 0; i < tone.length; i++) tone[i] = 0.2 * Math.sin((2 * Math.PI * 1100 * i) / 8000);
  const ulaw = encodeG711('ulaw', tone);
  for (let k = 0; k < 50; k++) {
    const rtp = encodeRtp({ marker: k === 0, payloadType: 0, seq: k, timestamp: k * 160, ssrc: 77 }, ulaw.subarray(k * 160, k * 160 + 160));
    frames.push({ time: t0 + k * 0.02, data: ethernetIpv4Udp(A, 4000, B, 5000, rtp) });
  }
  // Then T.38 from A: preamble, DCS, training, page.
  const ifps: IfpPacket[] = [
    { kind: 'indicator', indicator: 'v21-preamble' },
    { kind: 'data', dataType: 'v21', fields: [{ type: 'hdlc-data', data: bitReverse(DCS) }] },
    { kind: 'data', dataType: 'v21', fields: [{ type: 'hdlc-fcs-OK-sig-end', data: new Uint8Array(0) }] },
    { kind: 'indicator', indicator: 'v29-9600-training' },
  ];
  for (let o = 0; o < PAGE.length; o += 100) ifps.push({ kind: 'data', dataType: 'v29-9600', fields: [{ type: 't4-non-ecm-data', data: bitReverse(PAGE.subarray(o, o + 100)) }] });
  ifps.push({ kind: 'data', dataType: 'v29-9600', fields: [{ type: 't4-non-ecm-sig-end', data: new Uint8Array(0) }] });
  const enc = ifps.map((p) => encodeIfp(p));
  enc.forEach((primary, k) => {
    if (drop.has(k)) return;
    const secondary = Array.from({ length: Math.min(redundancy, k) }, (_, i) => enc[k - 1 - i]!);
    frames.push({ time: t0 + 2 + k * 0.03, data: ethernetIpv4Udp(A, 4000, B, 5000, encodeUdptl({ seq: k, primary, secondary })) });
  });
  // And B answers CFR over T.38 on its side.
  const cfr = [
    { kind: 'indicator', indicator: 'v21-preamble' },
    { kind: 'data', dataType: 'v21', fields: [{ type: 'hdlc-data', data: bitReverse(Uint8Array.of(0xff, 0x13, 0x84)) }, { type: 'hdlc-fcs-OK-sig-end', data: new Uint8Array(0) }] },
    { kind: 'indicator', indicator: 'no-signal' },
  ] as IfpPacket[];
  cfr.forEach((p, k) => frames.push({ time: t0 + 4 + k * 0.03, data: ethernetIpv4Udp(B, 5000, A, 4000, encodeUdptl({ seq: k, primary: encodeIfp(p) })) }));
  // SIP noise that must not confuse anything.
  frames.push({ time: t0 + 0.5, data: ethernetIpv4Udp(A, 5060, B, 5060, new TextEncoder().encode('INVITE sip:b@example.com SIP/2.0\r\n\r\n')) });
  frames.sort((x, y) => x.time - y.time);
  return encodePcap(frames);
}

describe('capture: RTP then T.38 on the same ports (synthetic)', () => {
  it('yields the audio channel and the T.38 story with a lost packet repaired from redundancy', () => {
    const cap = decodeCapture(syntheticCapture(2, new Set([1, 5])));
    expect(cap.audioChannels.map((c) => c.label)).toEqual([`${A}:4000→${B}:5000 PCMU`]);
    expect(toneBlocks(cap.audioChannels[0]!.samples, 1100).length).toBe(20);
    expect(cap.t38.flows.map((f) => [f.direction, f.version, f.missing, f.recoveredByRedundancy])).toEqual([
      [`${A}:4000→${B}:5000`, 1, 0, 2],
      [`${B}:5000→${A}:4000`, 1, 0, 0],
    ]);
    expect(cap.t38.hdlcFrames.map((f) => [Buffer.from(f.bytes).toString('hex'), f.fcsOk, f.direction.startsWith(A)])).toEqual([
      ['ff138300 8608'.replace(' ', ''), true, true],
      ['ff1384', true, false],
    ]);
    // Seconds on the capture timeline; IFP 1 was lost, so the time is that of packet 2 that carried its copy.
    expect(cap.t38.hdlcFrames[0]!.t).toBeCloseTo(2.06, 3);
    expect(cap.t38.pageData.length).toBe(1);
    expect(Buffer.from(cap.t38.pageData[0]!.bytes).equals(Buffer.from(PAGE))).toBe(true);
    expect(cap.t38.events.filter((e) => e.kind === 'indicator').map((e) => e.indicator)).toEqual(['v21-preamble', 'v29-9600-training', 'v21-preamble', 'no-signal']);
    expect(cap.warnings).toEqual([]);
  });

  it('reports loss beyond redundancy', () => {
    const cap = decodeCapture(syntheticCapture(0, new Set([1])));
    expect(cap.t38.hdlcFrames.length).toBe(1); // only B's CFR; A's DCS data was lost
    expect(cap.t38.events.some((e) => e.kind === 'missing')).toBe(true);
    expect(cap.warnings.join()).toMatch(/1 IFP packet\(s\) lost/);
  });
});

describe('capture: a flow whose SSRC changes', () => {
  it('gives one channel per SSRC, named apart', () => {
    const payload = new Uint8Array(160).fill(0xff);
    const frames = [];
    for (let k = 0; k < 40; k++) {
      const ssrc = k < 20 ? 0x11 : 0x22;
      frames.push({ time: 10 + k * 0.02, data: ethernetIpv4Udp(A, 4000, B, 5000, encodeRtp({ marker: false, payloadType: 8, seq: k, timestamp: k * 160, ssrc }, payload)) });
    }
    const cap = decodeCapture(encodePcap(frames));
    expect(cap.audioChannels.map((c) => [c.label, c.startTime])).toEqual([
      [`${A}:4000→${B}:5000 PCMA SSRC 0x00000011`, 0],
      [`${A}:4000→${B}:5000 PCMA SSRC 0x00000022`, expect.closeTo(0.4, 5)],
    ]);
  });
});

describe('capture: garbage', () => {
  it('random bytes: a clear error, not a capture', () => {
    const rnd = Uint8Array.from({ length: 10000 }, (_, i) => (i * 2654435761) >>> 24);
    expect(isCapture(rnd)).toBe(false);
    expect(() => decodeCapture(rnd)).toThrow(/^not a pcap or pcapng capture/);
  });

  it('a truncated pcap: what was there, and a warning', () => {
    const bytes = load(ASTERISK);
    const cap = decodeCapture(bytes.subarray(0, 90_000));
    expect(cap.warnings.join()).toMatch(/truncated/);
    expect(cap.audioChannels.length).toBe(1);
    expect(cap.audioChannels[0]!.samples.length).toBeLessThan(9 * 8000);
    const tiny = decodeCapture(bytes.subarray(0, 30));
    expect(tiny.warnings.join()).toMatch(/truncated/);
    expect(tiny.audioChannels).toEqual([]);
  });

  it('a capture taken with a small snap length: audio short, and a warning', () => {
    const payload = new Uint8Array(160).fill(0x55);
    const frames = Array.from({ length: 20 }, (_, k) => ({ time: 5 + k * 0.02, data: ethernetIpv4Udp(A, 4000, B, 5000, encodeRtp({ marker: false, payloadType: 8, seq: k, timestamp: k * 160, ssrc: 9 }, payload)).subarray(0, 96) }));
    const cap = decodeCapture(encodePcap(frames));
    expect(cap.warnings.join()).toMatch(/20 UDP datagram\(s\) were cut short/);
    expect(cap.audioChannels.length).toBe(1);
  });

  it('a pcap with no RTP: a warning saying so', () => {
    const frames = Array.from({ length: 40 }, (_, k) => ({
      time: 1 + k * 0.1,
      data: ethernetIpv4Udp('10.0.0.1', 5060, '10.0.0.2', 5060, new TextEncoder().encode(`OPTIONS sip:x SIP/2.0\r\nCSeq: ${k} OPTIONS\r\n\r\n`)),
    }));
    const cap = decodeCapture(encodePcap(frames));
    expect(cap.audioChannels).toEqual([]);
    expect(cap.t38.flows).toEqual([]);
    expect(cap.warnings.join()).toMatch(/no G\.711 RTP audio or T\.38 found in the capture \(40 UDP datagrams in 1 flows\)/);
    expect(decodeCapture(encodePcap([])).warnings).toEqual(['the capture holds no packets']);
  });

  it('DNS-like traffic that happens to parse as UDPTL is not taken for T.38', () => {
    // Transaction id, flags 0x0100 (reads as a 1-octet IFP "no-signal"), 1 question, …
    const frames = Array.from({ length: 30 }, (_, k) => ({
      time: 1 + k * 0.1,
      data: ethernetIpv4Udp('10.0.0.1', 33000, '10.0.0.53', 53, Uint8Array.of((k * 7919) >> 8 & 0xff, (k * 7919) & 0xff, 0x01, 0x00, 0x00, 0x00)),
    }));
    const cap = decodeCapture(encodePcap(frames));
    expect(cap.t38.flows).toEqual([]);
    expect(cap.warnings.join()).toMatch(/no G\.711 RTP audio or T\.38/);
  });

  it('UDPTL carrying random IFPs and random HDLC/page fields never throws, here or in t38Pages', () => {
    let s = 5;
    const rnd = (n: number) => Uint8Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
    for (let trial = 0; trial < 5; trial++) {
      const frames = Array.from({ length: 200 }, (_, k) => {
        let ifp: Uint8Array;
        const r = rnd(1)[0]!;
        if (r < 30) ifp = rnd(1 + (r % 30));
        else if (r < 120) ifp = encodeIfp({ kind: 'data', dataType: 'v21', fields: [{ type: 'hdlc-data', data: Uint8Array.of(0xff, 0xc8, ...rnd(r % 9)) }, { type: r & 1 ? 'hdlc-fcs-OK' : 'hdlc-fcs-BAD', data: new Uint8Array(0) }] });
        else if (r < 180) ifp = encodeIfp({ kind: 'data', dataType: 'v17-14400', fields: [{ type: 'hdlc-data', data: Uint8Array.of(0xff, 0xc0, ...rnd(3 + (r % 40))) }, { type: 'hdlc-fcs-OK', data: new Uint8Array(0) }] });
        else ifp = encodeIfp({ kind: 'data', dataType: 'v29-9600', fields: [{ type: r & 1 ? 't4-non-ecm-data' : 't4-non-ecm-sig-end', data: rnd(1 + (r % 50)) }] });
        return { time: 1 + k * 0.02, data: ethernetIpv4Udp(A, 4000, B, 5000, encodeUdptl({ seq: k, primary: ifp, secondary: k ? [rnd(k % 5)] : [] })) };
      });
      const cap = decodeCapture(encodePcap(frames));
      expect(cap.t38.flows.length).toBe(1);
      expect(cap.t38.hdlcFrames.length).toBeGreaterThan(20);
      expect(() => t38Pages(cap.t38)).not.toThrow();
    }
  });

  it('random UDP payloads and damaged fixtures never throw', () => {
    let s = 1;
    const rnd = (n: number) => Uint8Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
    const frames = Array.from({ length: 300 }, (_, k) => ({ time: 1 + k * 0.02, data: ethernetIpv4Udp('10.0.0.1', 1000 + (k % 3), '10.0.0.2', 2000, rnd(1 + (k % 200))) }));
    const cap = decodeCapture(encodePcap(frames));
    expect(cap.audioChannels).toEqual([]);
    expect(cap.warnings.length).toBe(1);
    const bytes = load(ASTERISK);
    for (let trial = 0; trial < 10; trial++) {
      const b = bytes.slice();
      for (let k = 0; k < 200; k++) b[24 + (rnd(3).reduce((a, x) => a * 256 + x, 0) % (b.length - 24))] = rnd(1)[0]!;
      expect(() => decodeCapture(b)).not.toThrow();
    }
  });
});
