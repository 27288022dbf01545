import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { FCF, type FcfName, lookupFcf, fcfCode, postMessageCode, postMessageOctet } from '../../core/t30/fcf';
import { encodeFrame, parseFrame, describeFrame, frameFields, pprFrameNumbers } from '../../core/t30/frames';
import { encodeIdent, decodeIdent } from '../../core/t30/ident';
import { parseNsf, buildNsf } from '../../core/t30/nsf';

function fromHex(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
}

const callsDir = fixture('calls');
const logs = readdirSync(callsDir).filter((f) => f.endsWith('.frames.jsonl'));

describe('FCF table', () => {
  it('names every code, with and without the X bit, and encodes back', () => {
    for (const name of Object.keys(FCF) as FcfName[]) {
      for (const x of [false, true]) {
        const code = fcfCode(name, x);
        const info = lookupFcf(code);
        expect(info?.name).toBe(name);
      }
    }
  });
  it('reads the X bit as the direction', () => {
    expect(lookupFcf(0x83)).toMatchObject({ name: 'DCS', x: true });
    expect(lookupFcf(0x84)).toMatchObject({ name: 'CFR', x: false });
    expect(lookupFcf(0x80)).toMatchObject({ name: 'DIS', x: null });
    expect(lookupFcf(0x81)).toMatchObject({ name: 'DTC', x: null });
    expect(lookupFcf(0x37)).toBeNull();
  });
  it('decodes PPS/EOR post-message sub-codes', () => {
    expect(postMessageCode(0x4f)).toBe('MPS');
    expect(postMessageCode(0x2f)).toBe('EOP');
    expect(postMessageCode(0x00)).toBe('NULL');
    expect(postMessageCode(0x8e)).toBe('EOM');
    expect(postMessageCode(postMessageOctet('PRI-EOP', true))).toBe('PRI-EOP');
  });
});

describe('frames from spandsp calls', () => {
  for (const log of logs) {
    it(`names every frame of ${log} as spandsp does`, () => {
      const lines = readFileSync(`${callsDir}/${log}`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      let n = 0;
      for (const l of lines) {
        if (!l.name) continue;
        const f = parseFrame(fromHex(l.hex));
        expect(f.addressOk).toBe(true);
        expect(f.controlOk).toBe(true);
        expect(f.name).toBe(l.name);
        expect(f.fromCaller === null || f.fromCaller === (l.sender === 'caller')).toBe(true);
        const d = describeFrame(fromHex(l.hex));
        expect(d.fields.length).toBeGreaterThan(1);
        if (l.name === 'CSI') expect(frameFields(fromHex(l.hex)).ident).toBe('SPANDSP RX');
        if (l.name === 'TSI') expect(frameFields(fromHex(l.hex)).ident).toBe('SPANDSP TX');
        n++;
      }
      expect(n).toBeGreaterThan(5);
    });
  }
});

describe('identities and NSF', () => {
  it('reverses a CSI and pads to 20', () => {
    const fif = encodeIdent('+1 555 0100');
    expect(fif.length).toBe(20);
    expect(fif[19]).toBe('+'.charCodeAt(0));
    expect(decodeIdent(fif)).toBe('+1 555 0100');
    expect(decodeIdent(fromHex('5852205053444e41505320202020202020202020'))).toBe('SPANDSP RX');
  });
  it('names T.35 countries, also bit-reversed ones, and shows ASCII strings', () => {
    const nsf = buildNsf(0xb5, [0x00, 0xaa], new TextEncoder().encode('\x01\x02HELLO FAX'));
    const p = parseNsf(nsf);
    expect(p.country).toBe('United States');
    expect(p.strings).toEqual(['HELLO FAX']);
    expect(parseNsf(Uint8Array.of(0xad, 0, 0)).country).toBe('United States');
    expect(parseNsf(Uint8Array.of(0x00, 0, 0)).country).toBe('Japan');
    const d = describeFrame(encodeFrame('NSF', nsf, { final: false }));
    expect(d.fields).toContain('ASCII string: HELLO FAX');
    expect(d.fields.some((s) => s.includes('United States'))).toBe(true);
  });
});

describe('encode and parse', () => {
  it('every frame we encode parses back to itself', () => {
    for (const name of Object.keys(FCF) as FcfName[]) {
      for (const final of [false, true]) for (const fromCaller of [false, true]) {
        const fif = Uint8Array.from({ length: name.length * 3 }, (_, i) => (i * 37) & 0xff);
        const bytes = encodeFrame(name, fif, { final, fromCaller });
        const p = parseFrame(bytes);
        expect(p.name).toBe(name);
        expect(p.final).toBe(final);
        expect(Array.from(p.fif)).toEqual(Array.from(fif));
        if (lookupFcf(bytes[2]!)!.x !== null) expect(p.fromCaller).toBe(fromCaller);
      }
    }
  });
  it('describes PPS, PPR and FCD', () => {
    expect(describeFrame(fromHex('ff13bf4f000059')).fields).toContain('Page 0, block 0, 90 frames in the block');
    const ppr = fromHex('ff13bc0000000800000000100000fcffffffffffffffffffffffffffffffffffffffff');
    const nums = pprFrameNumbers(ppr.slice(3));
    expect(nums.slice(0, 2)).toEqual([27, 68]);
    expect(describeFrame(fromHex('ff03060501020304')).fields).toContain('Frame number 5, 4 octets of image data');
  });
  it('random bytes into the frame parser and describer never throw', () => {
    let s = 12345;
    const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 5000; i++) {
      const len = Math.floor(r() * 40);
      const b = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
      if (len > 2 && r() < 0.5) b[2] = [0x80, 0x82, 0x83, 0x20, 0xbe, 0xbc, 0x06, 0x12][Math.floor(r() * 8)]!;
      expect(() => { describeFrame(b); frameFields(b); parseFrame(b); }).not.toThrow();
    }
  });
});
