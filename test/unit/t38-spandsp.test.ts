/**
 * T.38 interop: whole calls between two spandsp T.38 terminals (test/vectors/t38/, made by
 * t38gen.c through gen.sh), wrapped in UDPTL with redundancy inside a pcap with packets lost,
 * then decoded by core/decode/capture.ts. Oracles: spandsp's own log of the T.30 frames each
 * side sent, and the pixels of the document it sent (the ITU chart, decoded from its TIFF).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot, fixture } from '../helpers/peers';
import { decodeCapture, t38Pages } from '../../core/decode/capture';
import { decodeInput } from '../../core/decode/input';
import { encodePcap, ethernetIpv4Udp } from '../../core/formats/pcap';
import { encodeUdptl } from '../../core/formats/t38';
import { decodeImage } from '../../core/t4/decode';
import { readTiff } from '../../core/formats/tiff';

interface Vector {
  packets: { side: 'A' | 'B'; seq: number; sample: number; ifp: Uint8Array }[];
  frames: { A: string[]; B: string[] };
  phaseE: string[];
}

function loadVector(name: string): Vector {
  const text = gunzipSync(readFileSync(resolve(repoRoot, 'test/vectors/t38', name))).toString('utf8');
  const v: Vector = { packets: [], frames: { A: [], B: [] }, phaseE: [] };
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'P') v.packets.push({ side: f[1] as 'A' | 'B', seq: Number(f[2]), sample: Number(f[3]), ifp: Uint8Array.from(Buffer.from(f[4]!, 'hex')) });
    else if (f[0] === 'F') v.frames[f[1] as 'A' | 'B'].push(f[2]!);
    else if (f[0] === 'E') v.phaseE.push(line);
  }
  return v;
}

const IP = { A: '10.1.1.1', B: '10.2.2.2' };
const PORT = { A: 6000, B: 7000 };

/** The call as a pcap: UDPTL with `redundancy` earlier IFPs per packet; `lost(side, seq)` drops. */
function toPcap(v: Vector, redundancy: number, lost: (side: string, seq: number) => boolean): Uint8Array {
  const sent = { A: [] as Uint8Array[], B: [] as Uint8Array[] };
  const frames: { time: number; data: Uint8Array }[] = [];
  v.packets.forEach((p, k) => {
    const hist = sent[p.side];
    hist[p.seq] = p.ifp;
    const secondary = [];
    for (let i = 1; i <= redundancy && p.seq - i >= 0; i++) secondary.push(hist[p.seq - i]!);
    if (lost(p.side, p.seq)) return;
    const other = p.side === 'A' ? 'B' : 'A';
    frames.push({
      time: 1_650_000_000 + p.sample / 8000 + k * 1e-6,
      data: ethernetIpv4Udp(IP[p.side], PORT[p.side], IP[other], PORT[other], encodeUdptl({ seq: p.seq & 0xffff, primary: p.ifp, secondary })),
    });
  });
  return encodePcap(frames);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const chart = readTiff(new Uint8Array(readFileSync(fixture('pages', 'chart_std_1p_g3-1d.tif'))))[0]!.image;

/** Coding a DCS asks for: bit 31 = T.6, bit 16 = 2-D (T.4 MR), else MH. */
function dcsCoding(dcs: Uint8Array): 'mh' | 'mr' | 'mmr' {
  if (dcs.length > 6 && (dcs[6]! & 0x40)) return 'mmr';
  return dcs[4]! & 0x80 ? 'mr' : 'mh';
}

for (const [name, version, ecm] of [
  ['chart_noecm_v2.ifp.txt.gz', 1, false],
  ['chart_noecm_v0.ifp.txt.gz', 0, false],
  ['chart_ecm_v3.ifp.txt.gz', 1, true],
] as const) {
  describe(`T.38 call from spandsp: ${name}`, () => {
    const v = loadVector(name);

    it('the vector is a complete, clean call', () => {
      expect(v.phaseE).toEqual(['E A 0 1 0', 'E B 0 1 0']); // both OK, 1 page, 0 bad rows
    });

    it('every frame each side sent comes out, in order, with FCS OK, despite lost packets', () => {
      // Every 23rd packet of each side lost; redundancy 2 repairs them (never 3 in a row).
      const cap = decodeCapture(toPcap(v, 2, (_s, seq) => seq % 23 === 5));
      expect(cap.warnings).toEqual([]);
      expect(cap.audioChannels).toEqual([]);
      const flows = cap.t38.flows;
      expect(flows.map((f) => [f.direction, f.version, f.missing])).toEqual([
        [`${IP.A}:${PORT.A}→${IP.B}:${PORT.B}`, version, 0],
        [`${IP.B}:${PORT.B}→${IP.A}:${PORT.A}`, version, 0],
      ]);
      expect(flows.every((f) => f.recoveredByRedundancy > 0)).toBe(true);
      for (const side of ['A', 'B'] as const) {
        const mine = cap.t38.hdlcFrames.filter((f) => f.direction.startsWith(IP[side]));
        expect(mine.map((f) => hex(f.bytes))).toEqual(v.frames[side]);
        expect(mine.every((f) => f.fcsOk)).toBe(true);
      }
      const ind = cap.t38.events.filter((e) => e.kind === 'indicator');
      expect(ind.find((e) => e.direction.startsWith(IP.A) && e.indicator === 'cng')).toBeDefined();
      expect(ind.find((e) => e.direction.startsWith(IP.B) && e.indicator === 'ced')).toBeDefined();
    });

    it('TCF is told apart; the page decodes to the pixels of the document sent', () => {
      const cap = decodeCapture(toPcap(v, 3, (s, seq) => s === 'A' && seq % 40 === 7));
      // The DCS is followed by TCF: 1.5 s of zeros at the DCS's rate (14400 bit/s here).
      const tcf = cap.t38.pageData.filter((p) => p.kind === 'tcf');
      expect(tcf.length).toBe(1);
      expect(tcf[0]!.bytes.every((b) => b === 0)).toBe(true);
      expect(tcf[0]!.bytes.length).toBeGreaterThanOrEqual(Math.floor((14400 * 1.5) / 8));
      expect(cap.t38.pageData.filter((p) => p.kind === 'page').length).toBe(ecm ? 0 : 1);
      const pages = t38Pages(cap.t38);
      expect(pages.length).toBe(1);
      const p = pages[0]!;
      expect(p).toMatchObject({ direction: `${IP.A}:${PORT.A}→${IP.B}:${PORT.B}`, ecm, dataType: 'v17-14400', missingFrames: [], missingPackets: 0, badRows: 0 });
      expect(p.coding).toBe(ecm ? 'mmr' : 'mr');
      expect(p.image.height).toBe(chart.height);
      expect(Buffer.from(p.image.data).equals(Buffer.from(chart.data))).toBe(true);
      // Cross-check the ECM path by hand: the FCD frames' data in frame-number order.
      if (ecm) {
        const fcd = cap.t38.hdlcFrames.filter((f) => f.bytes[2] === 0x06 && f.dataType !== 'v21');
        fcd.sort((a, b) => a.bytes[3]! - b.bytes[3]!);
        expect(Buffer.from(p.bytes).equals(Buffer.concat(fcd.map((f) => f.bytes.subarray(4))))).toBe(true);
      }
    });
  });
}

describe('T.38 ECM call with a partial page request (chart_ecm_ppr_v3)', () => {
  const v = loadVector('chart_ecm_ppr_v3.ifp.txt.gz');
  // Packets 101 and 102 of the caller (inside FCD frame 1) never reached the answerer, which sent
  // PPR; the caller resent frame 1. The capture loses them too (no redundancy).
  const cap = decodeCapture(toPcap(v, 0, (s, seq) => s === 'A' && (seq === 101 || seq === 102)));

  it('spandsp completed the call after one PPR', () => {
    expect(v.phaseE).toEqual(['E A 0 1 0', 'E B 0 1 0']);
    expect(v.frames.B.filter((f) => f.startsWith('ff13bc')).length).toBe(1); // PPR
  });

  it('the damaged FCD is reported bad, the retransmission good, and the page is whole', () => {
    const a = cap.t38.hdlcFrames.filter((f) => f.direction.startsWith(IP.A));
    const frame1 = a.filter((f) => f.bytes[2] === 0x06 && f.bytes[3] === 1);
    expect(frame1.map((f) => [f.fcsOk, f.problem])).toEqual([[false, 'data-missing'], [true, undefined]]);
    expect(cap.warnings.join()).toMatch(/2 IFP packet\(s\) lost/);
    const pages = t38Pages(cap.t38);
    expect(pages.length).toBe(1);
    expect(pages[0]!.missingFrames).toEqual([]);
    expect(pages[0]!.badRows).toBe(0);
    expect(Buffer.from(pages[0]!.image.data).equals(Buffer.from(chart.data))).toBe(true);
  });

  it('without the retransmission the page has a hole: the missing frame is named', () => {
    // Only the frames before the answerer's PPR: the first PPS, frame 1 still bad.
    const t = cap.t38.hdlcFrames.find((f) => f.direction.startsWith(IP.B) && f.bytes[2] === 0xbc)!.t;
    const early = { ...cap.t38, hdlcFrames: cap.t38.hdlcFrames.filter((f) => f.t < t) };
    const pages = t38Pages(early);
    expect(pages.length).toBe(1);
    expect(pages[0]!.missingFrames).toEqual(['0:1']);
    expect(pages[0]!.badRows).toBeGreaterThan(0);
  });
});

describe('T.38 capture through the decoder front door (core/decode/input.ts)', () => {
  it('the report lists the T.38 frames and the ECM page, pixel-identical to the chart', () => {
    const v = loadVector('chart_ecm_ppr_v3.ifp.txt.gz');
    const { report, images } = decodeInput('t38.pcap', toPcap(v, 0, (s, seq) => s === 'A' && (seq === 101 || seq === 102)));
    expect(report.frames.filter((f) => f.fcsOk).map((f) => f.name)).toContain('PPR');
    expect(report.pages.map((p) => [p.ecm, p.coding, p.modem, p.bitRate, p.rows, p.badRows])).toEqual([[true, 'mmr', 'V.17', 14400, chart.height, 0]]);
    expect(Buffer.from(images[0]!.data).equals(Buffer.from(chart.data))).toBe(true);
  });
});
