import { describe, it, expect } from 'vitest';
import {
  encodeIfp, parseIfp, encodeUdptl, parseUdptl, recoverUdptl, udptlParity, fecCoverage, bitReverse,
  decodeT38Direction, detectIfpVersion, T38_INDICATORS, T38_DATA_TYPES, T38_FIELD_TYPES,
  T38Error, type IfpPacket, type IfpVersion, type T38FieldType,
} from '../../core/formats/t38';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('IFP encoding (aligned PER)', () => {
  it('encodes the bytes T.38 implementations put on the wire', () => {
    expect(hex(encodeIfp({ kind: 'indicator', indicator: 'no-signal' }))).toBe('00');
    expect(hex(encodeIfp({ kind: 'indicator', indicator: 'ced' }))).toBe('04');
    expect(hex(encodeIfp({ kind: 'indicator', indicator: 'v21-preamble' }))).toBe('06');
    expect(hex(encodeIfp({ kind: 'indicator', indicator: 'v17-14400-long-training' }))).toBe('1e');
    expect(hex(encodeIfp({ kind: 'indicator', indicator: 'v8-ansam' }))).toBe('2000');
    expect(hex(encodeIfp({ kind: 'indicator', indicator: 'v33-14400-training' }))).toBe('2180');
    const dis: IfpPacket = { kind: 'data', dataType: 'v21', fields: [{ type: 'hdlc-data', data: Uint8Array.of(0xff, 0xc8) }] };
    expect(hex(encodeIfp(dis))).toBe('c001800001ffc8');
    const end = (v: IfpVersion) => encodeIfp({ kind: 'data', dataType: 'v21', fields: [{ type: 'hdlc-fcs-OK', data: new Uint8Array(0) }, { type: 'hdlc-sig-end', data: new Uint8Array(0) }] }, v);
    expect(hex(end(1))).toBe('c0021008');
    expect(hex(end(0))).toBe('c00221'); // 1998 encoding: two 4-bit fields share an octet
    expect(hex(encodeIfp({ kind: 'data', dataType: 'v17-14400', fields: [{ type: 't4-non-ecm-data', data: Uint8Array.of(1, 2, 3) }] }))).toBe('d001b000020102' + '03'); // 0x80 data present | 6 << 3
  });

  it('round-trips every indicator, data type and field type in both encodings', () => {
    for (const v of [0, 1] as IfpVersion[]) {
      for (const [i, indicator] of T38_INDICATORS.entries()) {
        if (v === 0 && i >= 16) { expect(() => encodeIfp({ kind: 'indicator', indicator }, 0)).toThrow(); continue; }
        expect(parseIfp(encodeIfp({ kind: 'indicator', indicator }, v), v)).toEqual({ kind: 'indicator', indicator });
      }
      for (const [d, dataType] of T38_DATA_TYPES.entries()) {
        if (v === 0 && d >= 9) continue;
        // Fields with and without data, mixed, so the 1998 half-octet packing is exercised.
        const types = T38_FIELD_TYPES.filter((_, k) => v === 1 || k < 8);
        const fields = types.flatMap((type, k) => [
          { type, data: k % 2 ? new Uint8Array(0) : Uint8Array.from({ length: k + 1 }, (_, j) => j * 31 + d) },
          { type, data: new Uint8Array(0) },
        ]);
        const pkt: IfpPacket = { kind: 'data', dataType, fields };
        expect(parseIfp(encodeIfp(pkt, v), v)).toEqual(pkt);
      }
    }
  });

  it('tells the two encodings apart on real traffic', () => {
    const pkts = [
      { kind: 'data', dataType: 'v21', fields: [{ type: 'hdlc-fcs-OK', data: new Uint8Array(0) }, { type: 'hdlc-sig-end', data: new Uint8Array(0) }] },
      { kind: 'data', dataType: 'v21', fields: [{ type: 'hdlc-data', data: Uint8Array.of(0xff, 0xc8, 1) }, { type: 'hdlc-fcs-OK-sig-end', data: new Uint8Array(0) }] },
    ] as IfpPacket[];
    expect(detectIfpVersion(pkts.map((p) => encodeIfp(p, 0)))).toBe(0);
    expect(detectIfpVersion(pkts.map((p) => encodeIfp(p, 1)))).toBe(1);
  });

  it('rejects malformed IFPs with a T38Error, never anything else', () => {
    const bad = [
      [], [0x80 | 0x04], [0xc0], [0xc0, 0x01], [0xc0, 0x01, 0x80, 0x00], [0xc0, 0x01, 0x80, 0x00, 0x05, 1, 2],
      [0x20], [0x3f, 0xff], [0x5e], [0xc0, 0x01, 0x78], [0x04, 0x00],
    ];
    for (const b of bad) expect(() => parseIfp(Uint8Array.from(b))).toThrow(T38Error);
    let s = 3;
    for (let k = 0; k < 2000; k++) {
      const b = Uint8Array.from({ length: 1 + (k % 40) }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
      for (const v of [0, 1] as IfpVersion[]) {
        try { parseIfp(b, v); } catch (e) { expect(e).toBeInstanceOf(T38Error); }
      }
    }
  });
});

describe('UDPTL', () => {
  const ifp = (k: number) => encodeIfp({ kind: 'data', dataType: 'v29-9600', fields: [{ type: 't4-non-ecm-data', data: Uint8Array.from({ length: 5 + (k % 7) }, (_, j) => (k * 17 + j) & 0xff) }] });

  it('round-trips redundancy and FEC packets', () => {
    const r = { seq: 513, primary: ifp(1), secondary: [ifp(0), ifp(9)] };
    expect(parseUdptl(encodeUdptl(r))).toEqual(r);
    expect(hex(encodeUdptl({ seq: 1, primary: Uint8Array.of(0x04) }))).toBe('000101040000'); // CED, redundancy list of 0 entries
    const f = { seq: 65535, primary: ifp(2), fec: { span: 3, entries: 2, parity: [udptlParity([ifp(3), ifp(4)]), ifp(5)] } };
    expect(parseUdptl(encodeUdptl(f))).toEqual(f);
    for (const b of [[], [0, 1], [0, 1, 5, 1], [0, 1, 1, 4], [0, 1, 1, 4, 0, 2, 1, 4]]) expect(() => parseUdptl(Uint8Array.from(b))).toThrow();
  });

  it('FEC coverage follows the spandsp/Asterisk layout', () => {
    // Packet 10 with span 3, 2 entries: parity 0 covers 4, 6, 8; parity 1 covers 5, 7, 9.
    expect(fecCoverage(10, 0, 3, 2)).toEqual([4, 6, 8]);
    expect(fecCoverage(10, 1, 3, 2)).toEqual([5, 7, 9]);
  });

  const N = 60;
  const ifps = Array.from({ length: N }, (_, k) => ifp(k));

  it('recovers lost packets from redundancy', () => {
    const dgs = ifps.map((primary, k) => ({ time: k * 0.03, payload: encodeUdptl({ seq: (65500 + k) & 0xffff, primary, secondary: [1, 2].filter((i) => k - i >= 0).map((i) => ifps[k - i]!) }) }));
    const lost = new Set([5, 6, 20, 40, 41, 42]); // 40-42: three in a row, beyond redundancy 2
    const rec = recoverUdptl(dgs.filter((_, k) => !lost.has(k)));
    expect(rec.missing.length).toBe(1);
    expect(rec.ifps.filter((r) => r.how === 'redundancy').length).toBe(5);
    for (const r of rec.ifps) expect(hex(r.ifp)).toBe(hex(ifps[r.seq - rec.ifps[0]!.seq]!));
  });

  it('recovers lost packets from parity FEC (span 3, 2 entries)', () => {
    const span = 3, entries = 2;
    const dgs = ifps.map((primary, k) => ({
      time: k * 0.03,
      payload: encodeUdptl({ seq: k, primary, fec: { span, entries, parity: Array.from({ length: entries }, (_, m) => udptlParity(fecCoverage(k, m, span, entries).filter((x) => x >= 0).map((x) => ifps[x]!))) } }),
    }));
    const lost = new Set([10, 11, 30, 50]);
    const rec = recoverUdptl(dgs.filter((_, k) => !lost.has(k)));
    expect(rec.missing).toEqual([]);
    expect(rec.ifps.filter((r) => r.how === 'fec').map((r) => r.seq)).toEqual([10, 11, 30, 50]);
    // Repaired IFPs come back zero padded to the longest packet XORed; they still parse.
    for (const r of rec.ifps) {
      expect(hex(r.ifp).startsWith(hex(ifps[r.seq]!))).toBe(true);
      expect(parseIfp(r.ifp, 1, r.how === 'fec')).toEqual(parseIfp(ifps[r.seq]!));
    }
  });

  it('a second session on the same ports (sequence restarts at 0) is kept, not folded onto the first', () => {
    const first = ifps.slice(0, 30).map((primary, k) => ({ time: k * 0.03, payload: encodeUdptl({ seq: 500 + k, primary }) }));
    const second = ifps.slice(30).map((primary, k) => ({ time: 5 + k * 0.03, payload: encodeUdptl({ seq: k, primary }) }));
    const rec = recoverUdptl([...first, ...second]);
    expect(rec.restarts).toBe(1);
    expect(rec.duplicates).toBe(0);
    expect(rec.missing).toEqual([]);
    expect(rec.ifps.map((r) => hex(r.ifp))).toEqual(ifps.map(hex));
  });

  it('FEC repairs that need an earlier repair first (span 3, 1 entry, two holes in a row)', () => {
    const span = 3, entries = 1;
    const dgs = ifps.map((primary, k) => ({
      time: k * 0.03,
      payload: encodeUdptl({ seq: k, primary, fec: { span, entries, parity: [udptlParity(fecCoverage(k, 0, span, entries).filter((x) => x >= 0).map((x) => ifps[x]!))] } }),
    }));
    const rec = recoverUdptl(dgs.filter((_, k) => k !== 10 && k !== 11));
    expect(rec.missing).toEqual([]);
    for (const r of rec.ifps) expect(parseIfp(r.ifp, 1, true)).toEqual(parseIfp(ifps[r.seq]!));
    // Sliding parities repair any burst that enough packets follow; a burst with only one
    // packet after it (its parity sees three holes) stays lost, and nothing is invented.
    expect(recoverUdptl(dgs.filter((_, k) => k < 20 || k > 22)).missing).toEqual([]);
    const rec3 = recoverUdptl(dgs.filter((_, k) => k < 40 || k === 50));
    expect(rec3.missing).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect(rec3.ifps.length).toBe(41);
  });

  it('copes with a long FEC stream with scattered loss and with nonsense FEC spans', () => {
    const n = 20000, span = 3, entries = 3;
    const long = Array.from({ length: n }, (_, k) => ifp(k));
    const dgs = long.map((primary, k) => ({
      time: k * 0.02,
      payload: encodeUdptl({ seq: k & 0xffff, primary, fec: { span, entries, parity: Array.from({ length: entries }, (_, m) => udptlParity(fecCoverage(k, m, span, entries).filter((x) => x >= 0).map((x) => long[x]!))) } }),
    }));
    const rec = recoverUdptl(dgs.filter((_, k) => k % 97 !== 50));
    expect(rec.missing).toEqual([]);
    expect(rec.ifps.length).toBe(n);
    const silly = encodeUdptl({ seq: 3, primary: ifp(3), fec: { span: 255, entries: 100, parity: Array.from({ length: 100 }, () => ifp(1)) } });
    expect(recoverUdptl([{ time: 0, payload: silly }]).ifps.length).toBe(1);
  });
});

// A whole (synthetic) T.38 call direction, built from the spec, as IFPs.
const DIS = Uint8Array.of(0xff, 0x13, 0x80, 0x00, 0xee, 0x78);
const CSI = Uint8Array.of(0xff, 0x03, 0x40, ...Array.from('  1234 555 21+', (c) => c.charCodeAt(0)).reverse());
const PAGE = Uint8Array.from({ length: 3000 }, (_, i) => (i * 29 + (i >> 3)) & 0xff);

function field(type: T38FieldType, data: Uint8Array = new Uint8Array(0)) { return { type, data }; }
function callIfps(): IfpPacket[] {
  const p: IfpPacket[] = [];
  p.push({ kind: 'indicator', indicator: 'ced' }, { kind: 'indicator', indicator: 'v21-preamble' });
  const csi = bitReverse(CSI);
  p.push({ kind: 'data', dataType: 'v21', fields: [field('hdlc-data', csi.subarray(0, 8))] });
  p.push({ kind: 'data', dataType: 'v21', fields: [field('hdlc-data', csi.subarray(8))] });
  p.push({ kind: 'data', dataType: 'v21', fields: [field('hdlc-fcs-OK')] });
  p.push({ kind: 'data', dataType: 'v21', fields: [field('hdlc-data', bitReverse(DIS))] });
  p.push({ kind: 'data', dataType: 'v21', fields: [field('hdlc-fcs-BAD'), field('hdlc-sig-end')] });
  p.push({ kind: 'indicator', indicator: 'no-signal' }, { kind: 'indicator', indicator: 'v29-9600-training' });
  const rev = bitReverse(PAGE);
  for (let o = 0; o < rev.length; o += 36) {
    const last = o + 36 >= rev.length;
    p.push({ kind: 'data', dataType: 'v29-9600', fields: [field(last ? 't4-non-ecm-sig-end' : 't4-non-ecm-data', rev.subarray(o, o + 36))] });
  }
  p.push({ kind: 'indicator', indicator: 'no-signal' });
  return p;
}

describe('T.38 assembly', () => {
  for (const version of [0, 1] as IfpVersion[]) {
    it(`turns a direction's IFPs into events, HDLC frames and page data (encoding ${version})`, () => {
      const ifps = callIfps().map((p) => encodeIfp(p, version));
      const dgs = ifps.map((primary, k) => ({ time: 100 + k * 0.02, payload: encodeUdptl({ seq: k, primary, secondary: k ? [ifps[k - 1]!] : [] }) }));
      const lost = new Set([3, 30]); // one inside the CSI, one inside the page: both recovered
      const d = decodeT38Direction('1.1.1.1:5000→2.2.2.2:6000', dgs.filter((_, k) => !lost.has(k)), 100);
      expect(d.version).toBe(version);
      expect(d.recovery.missing).toEqual([]);
      const a = d.assembler;
      expect(a.events.filter((e) => e.kind === 'indicator').map((e) => e.indicator)).toEqual(['ced', 'v21-preamble', 'no-signal', 'v29-9600-training', 'no-signal']);
      expect(a.events.find((e) => e.seq === 3)!.recovered).toBe('redundancy');
      expect(a.hdlcFrames.map((f) => [hex(f.bytes), f.fcsOk, f.problem])).toEqual([[hex(CSI), true, undefined], [hex(DIS), false, 'fcs-bad']]);
      expect(a.hdlcFrames[0]!.t).toBeCloseTo(0.04, 6);
      expect(a.pageData.length).toBe(1);
      expect(a.pageData[0]!.dataType).toBe('v29-9600');
      expect(a.pageData[0]!.missingPackets).toBe(0);
      expect(hex(a.pageData[0]!.bytes)).toBe(hex(PAGE));
    });
  }

  it('marks frames and pages that lost data beyond recovery', () => {
    const ifps = callIfps().map((p) => encodeIfp(p));
    const lost = new Set([3, 30, 31]);
    const dgs = ifps.map((primary, k) => ({ time: k * 0.02, payload: encodeUdptl({ seq: k, primary }) })).filter((_, k) => !lost.has(k));
    const a = decodeT38Direction('x', dgs, 0).assembler;
    expect(a.hdlcFrames[0]).toMatchObject({ fcsOk: false, problem: 'data-missing' });
    expect(a.pageData[0]!.missingPackets).toBe(2);
    expect(a.events.filter((e) => e.kind === 'missing').map((e) => e.count)).toEqual([1, 2]);
  });
});
