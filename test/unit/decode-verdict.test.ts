/**
 * The report's one-paragraph verdict from a sequence of control frames (built with our frame
 * encoder and fed to the report builder as the analyser would): each page's fate, in order,
 * with the modem it was sent at, and how the call ended — RTN then DCN is a sender giving up,
 * not a normal end.
 */
import { describe, it, expect } from 'vitest';
import { ReportBuilder } from '../../core/decode/report';
import { encodeFrame } from '../../core/t30/frames';
import { buildDcs } from '../../core/t30/dis';
import type { FcfName } from '../../core/t30/fcf';

const CALLER = new Set(['DCS', 'TSI', 'MPS', 'EOP', 'EOM', 'DCN', 'PPS', 'EOR', 'CTC']);

/** Frames as [name, bitRate for a V.17 DCS]; one every 2 s. */
function verdictOf(seq: (string | [string, number])[]): string {
  const b = new ReportBuilder(8000);
  seq.forEach((s, i) => {
    const [name, rate] = typeof s === 'string' ? [s, 0] : s;
    const fif = name === 'DCS' ? buildDcs({ modem: 'V.17', bitRate: rate }) : [];
    b.addFrame(encodeFrame(name as FcfName, fif, { fromCaller: CALLER.has(name) }), true, 2 * i, 2 * i + 1, 0);
  });
  return b.build('seq', 8000, 1, 8000 * 2 * seq.length).summary.verdict;
}

describe('decode verdict', () => {
  it('RTN then DCN: the sender gave up, not a normal end', () => {
    const v = verdictOf(['DIS', ['DCS', 14400], 'CFR', 'EOP', 'RTN', 'DCN']);
    expect(v).toMatch(/page 1 sent at V\.17 14400, receiver answered RTN; sender gave up/);
    expect(v).not.toMatch(/ended normally/);
  });

  it('three tries stepping the rate down, each RTN, then DCN', () => {
    const v = verdictOf(['DIS', ['DCS', 14400], 'CFR', 'EOP', 'RTN', ['DCS', 12000], 'CFR', 'EOP', 'RTN', ['DCS', 9600], 'CFR', 'EOP', 'RTN', 'DCN']);
    expect(v).toMatch(/page 1 sent at V\.17 14400, receiver answered RTN; sent again at V\.17 12000, RTN; sent again at V\.17 9600, RTN; sender gave up after 3 tries/);
    expect(v).not.toMatch(/ended normally/);
  });

  it('RTN, then the page sent again is confirmed: a normal end', () => {
    const v = verdictOf(['DIS', ['DCS', 14400], 'CFR', 'EOP', 'RTN', ['DCS', 12000], 'CFR', 'EOP', 'MCF', 'DCN']);
    expect(v).toMatch(/page 1 sent at V\.17 14400, receiver answered RTN; sent again at V\.17 12000, MCF/);
    expect(v).toMatch(/ended normally with EOP, MCF and DCN/);
  });

  it('two pages confirmed: a normal end', () => {
    const v = verdictOf(['DIS', ['DCS', 14400], 'CFR', 'MPS', 'MCF', 'EOP', 'MCF', 'DCN']);
    expect(v).toMatch(/page 1 sent at V\.17 14400, receiver answered MCF; page 2 sent at V\.17 14400, receiver answered MCF/);
    expect(v).toMatch(/ended normally with EOP, MCF and DCN/);
  });

  it('EOP with no answer before DCN, and DCN before any EOP', () => {
    expect(verdictOf(['DIS', ['DCS', 14400], 'CFR', 'EOP', 'DCN'])).toMatch(/page 1 sent at V\.17 14400, no answer heard\..*disconnected \(DCN\) with the sender.s EOP unanswered/);
    expect(verdictOf(['DIS', ['DCS', 14400], 'CFR', 'MPS', 'MCF', 'DCN'])).toMatch(/disconnected \(DCN\) before an EOP/);
  });
});
