import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { buildDis, parseDis, buildDcs, parseDcs, describeDisFif, defaultDisCaps, defaultDcsParams, type DisCaps, type DcsParams } from '../../core/t30/dis';

function fromHex(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
}

describe('DIS/DTC/DCS', () => {
  it('reads spandsp\'s DIS and DCS of each fixture call into the modem and rate of the call', () => {
    const dir = fixture('calls');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.frames.jsonl'))) {
      const call = JSON.parse(readFileSync(`${dir}/${f.replace('.frames.jsonl', '.json')}`, 'utf8'));
      const lines = readFileSync(`${dir}/${f}`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const dcs = lines.filter((l) => l.name === 'DCS');
      const last = parseDcs(fromHex(dcs[dcs.length - 1].hex).slice(3));
      expect(last.modem).toBe(call.modem);
      expect(last.bitRate).toBe(call.bit_rate);
      expect(last.ecm).toBe(call.ecm);
      const dis = parseDis(fromHex(lines.find((l) => l.name === 'DIS').hex).slice(3));
      expect(dis.receiveFax).toBe(true);
      if (call.modem === 'V.17') expect(dis.modems.v17).toBe(true);
      expect(dis.ecm).toBe(call.ecm);
    }
  });

  it('decodes a known DIS bit by bit', () => {
    const c = parseDis(fromHex('00c6f8c4809180808018'));
    expect(c.modems).toEqual({ v27ter: false, v29: true, v17: false });
    expect(c.fine && c.twoD && c.ecm && c.t6 && c.superfine && c.metric && c.letter && c.legal).toBe(true);
    expect(c.maxLength).toBe('unlimited');
    expect(c.maxWidth).toBe(1728);
    expect(c.minScanTime).toBe(0);
    expect(c.otherBits).toEqual([]);
    const words = describeDisFif(fromHex('00c6f8c4809180808018'), 'DIS');
    expect(words).toContain('Modems: V.29');
    expect(words).toContain('Error correction mode with T.6 (MMR)');
  });

  it('round-trips random capabilities (DIS) and settings (DCS)', () => {
    let s = 42;
    const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const flagKeys = Object.keys(defaultDisCaps()).filter((k) => typeof (defaultDisCaps() as unknown as Record<string, unknown>)[k] === 'boolean');
    for (let i = 0; i < 500; i++) {
      const caps = defaultDisCaps() as unknown as Record<string, unknown>;
      for (const k of flagKeys) caps[k] = r() < 0.3;
      const mset = [{ v27ter: false, v29: false, v17: false }, { v27ter: true, v29: false, v17: false }, { v27ter: false, v29: true, v17: false }, { v27ter: true, v29: true, v17: false }, { v27ter: true, v29: true, v17: true }];
      caps.modems = mset[Math.floor(r() * mset.length)];
      caps.maxWidth = [1728, 2048, 2432][Math.floor(r() * 3)];
      caps.maxLength = ['A4', 'B4', 'unlimited'][Math.floor(r() * 3)];
      caps.minScanTime = [0, 5, 10, 20, 40][Math.floor(r() * 5)];
      caps.scanHalfAtFine = [10, 20, 40].includes(caps.minScanTime as number) && r() < 0.5;
      caps.t44Mode = Math.floor(r() * 8);
      const fif = buildDis(caps as unknown as DisCaps);
      expect(parseDis(fif)).toEqual(caps);
      expect(Array.from(buildDis(parseDis(fif)))).toEqual(Array.from(fif));

      const p = defaultDcsParams() as unknown as Record<string, unknown>;
      for (const k of flagKeys) if (k !== 'scanHalfAtFine') p[k] = r() < 0.3;
      const rates: [string, number][] = [['V.27ter', 2400], ['V.27ter', 4800], ['V.29', 7200], ['V.29', 9600], ['V.17', 7200], ['V.17', 9600], ['V.17', 12000], ['V.17', 14400]];
      const [m, br] = rates[Math.floor(r() * rates.length)]!;
      p.modem = m; p.bitRate = br;
      p.width = [1728, 2048, 2432][Math.floor(r() * 3)];
      p.length = ['A4', 'B4', 'unlimited'][Math.floor(r() * 3)];
      p.minScanTime = [0, 5, 10, 20, 40][Math.floor(r() * 5)];
      p.t44Mode = Math.floor(r() * 8);
      const dfif = buildDcs(p as unknown as DcsParams);
      expect(parseDcs(dfif)).toEqual(p);
    }
  });

  it('sets extend bits exactly up to the last octet', () => {
    const fif = buildDis({ letter: true });
    expect(fif.length).toBe(10);
    for (let i = 2; i < 9; i++) expect(fif[i]! & 0x80).toBe(0x80);
    expect(fif[9]! & 0x80).toBe(0);
    expect(buildDis({}).length).toBe(3);
  });

  it('never throws on random FIFs', () => {
    for (let i = 0; i < 3000; i++) {
      const b = Uint8Array.from({ length: i % 20 }, (_, k) => (i * 131 + k * 71) & 0xff);
      expect(() => { parseDis(b); parseDcs(b); describeDisFif(b, 'DIS'); describeDisFif(b, 'DCS'); }).not.toThrow();
    }
  });
});
