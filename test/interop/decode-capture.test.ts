/**
 * The analyser on the two real VoIP captures in fixtures/pcap (G.711 RTP, streams found by the
 * capture module): what the fixture README says each holds must come out of `webfax decode`.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { decodeFile } from '../../core/cli/decode';

describe('decode: real captures', () => {
  it('asterisk test-suite capture (G.711 u-law): CNG, TSI/DCS at V.29 9600, a TCF', () => {
    const path = fixture('pcap', 'asterisk-testsuite_t38_enabled_two_reinvite_CARRIER_G711U.pcap');
    const { report: r } = decodeFile(path, readFileSync(path));
    expect(r.tones.filter((t) => t.kind === 'CNG').length).toBeGreaterThanOrEqual(2);
    const good = r.frames.filter((f) => f.fcsOk).map((f) => f.name);
    expect(good).toEqual(['TSI', 'DCS']);
    expect(r.summary.modem).toBe('V.29');
    expect(r.summary.bitRate).toBe(9600);
    const tcf = r.bursts.find((b) => b.what === 'tcf');
    expect(tcf).toBeDefined();
    expect(tcf!.training).toBe('succeeded');
    expect(tcf!.end - tcf!.start).toBeGreaterThan(1.4);
  });

  it('Wireshark sample call (G.711 A-law): CED, CSI+DIS five times, TSI, DCS V.17 14400, EOP, DCN', () => {
    const path = fixture('pcap', 'wireshark-sample_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap');
    const { report: r } = decodeFile(path, readFileSync(path));
    expect(r.tones.some((t) => t.kind === 'CED')).toBe(true);
    const real = r.frames.filter((f) => f.fcsOk && !f.echo);
    const names = real.map((f) => f.name);
    expect(names.filter((n) => n === 'DIS').length).toBe(5);
    expect(names.filter((n) => n === 'CSI').length).toBe(5);
    expect(names).toContain('TSI');
    expect(names.filter((n) => n === 'EOP').length).toBe(3);
    expect(names[names.length - 1]).toBe('DCN');
    const dcs = real.find((f) => f.name === 'DCS')!;
    expect(dcs.values).toMatchObject({ modem: 'V.17', bitRate: 14400, fine: false, coding: 'T.4 2-D' });
    // The DIS side and the DCS side are different channels.
    expect(real.find((f) => f.name === 'DIS')!.channel).not.toBe(dcs.channel);
  });
});
