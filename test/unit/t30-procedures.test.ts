/**
 * T.30 procedure details over the message-level fake line (t30-fakeline.ts) that whole-call
 * tests pass through without checking: CRP after a command with a bad FCS, EOR/ERR in ECM,
 * PRI-EOP/PRI-MPS answered like EOP/MPS, and the receiver handing each page out before it sends
 * the MCF that confirms it. Oracles: the frames each side sent and heard, page bytes, phase E.
 */
import { describe, it, expect } from 'vitest';
import { fakeCall } from './t30-fakeline';
import { T30Err } from '../../core/t30/results';
import type { EngineOptions } from '../../core/t30/engine';
import { fcfCode } from '../../core/t30/fcf';

const FCF_EOP = fcfCode('EOP');
const FCF_MPS = fcfCode('MPS');
const FCF_PPS = fcfCode('PPS');
const FCF_FCD = fcfCode('FCD');
const PRI = 0x10; // EOP 0x2e -> PRI-EOP 0x3e, MPS 0x4e -> PRI-MPS 0x5e

/** A frame's FCF without the X bit. */
const fcf = (f: Uint8Array) => f[2]! & 0xfe;

/** Receiver options that record page events and frames, in order, in one list. */
function eventLog(): { log: string[]; opts: Partial<EngineOptions> } {
  const log: string[] = [];
  return {
    log,
    opts: {
      onPageEvent: (e) => log.push(`${e.kind} ${e.page}`),
      onFrame: (f) => log.push(`${f.dir} ${f.name}`),
    },
  };
}

describe('T.30 engine: CRP', () => {
  it('non-ECM: EOP with a bad FCS gets CRP, the sender repeats EOP, the call completes', () => {
    let spoiled = 0;
    const ev = eventLog();
    const r = fakeCall({
      sizes: [2000], senderCaps: { ecm: false }, receiverOpts: ev.opts,
      hooks: { frameOk: (f, fromCaller, fast) => !(fromCaller && !fast && fcf(f) === FCF_EOP && spoiled++ === 0) },
    });
    expect(spoiled).toBeGreaterThanOrEqual(2);
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiver.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiverLog.filter((l) => l.includes('tx CRP ')).length).toBe(1);
    expect(r.senderLog.filter((l) => l.includes('rx CRP ')).length).toBe(1);
    expect(r.senderLog.filter((l) => l.includes('tx EOP ')).length).toBe(2);
    // CRP came before the (one) MCF, which answered the repeated EOP.
    const crp = ev.log.indexOf('tx CRP');
    expect(crp).toBeGreaterThanOrEqual(0);
    expect(ev.log.indexOf('rx EOP', crp)).toBeGreaterThan(crp);
    expect(ev.log.filter((l) => l === 'tx MCF').length).toBe(1);
    expect(r.sink.pages[0]).toEqual(r.source.pages[0]);
  });

  it('ECM: PPS with a bad FCS gets CRP, the sender repeats PPS, the page arrives intact', () => {
    let spoiled = 0;
    const r = fakeCall({
      sizes: [3000], senderCaps: { ecm: true },
      hooks: { frameOk: (f, fromCaller, fast) => !(fromCaller && !fast && fcf(f) === FCF_PPS && spoiled++ === 0) },
    });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiverLog.filter((l) => l.includes('tx CRP ')).length).toBe(1);
    expect(r.senderLog.filter((l) => l.includes('tx PPS ')).length).toBe(2);
    expect(r.sink.pages[0]!.subarray(0, 3000)).toEqual(r.source.pages[0]);
  });

  it('a CRP from the receiver that arrives damaged too: the sender repeats on T4, still completes', () => {
    let eop = 0;
    let crp = 0;
    const r = fakeCall({
      sizes: [2000], senderCaps: { ecm: false },
      hooks: {
        frameOk: (f, fromCaller) => {
          if (fromCaller && fcf(f) === FCF_EOP) return eop++ !== 0;
          if (!fromCaller && fcf(f) === fcfCode('CRP')) return crp++ !== 0;
          return true;
        },
      },
    });
    expect(crp).toBe(1);
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.senderLog.filter((l) => l.includes('tx EOP ')).length).toBe(2);
  });
});

describe('T.30 engine: EOR/ERR', () => {
  it('a block given up with EOR-MPS: ERR, the next page still goes and is confirmed', () => {
    // Frame 2 of the first page never gets through (until the receiver has said ERR); page 2 is clean.
    let errSeen = false;
    const r = fakeCall({
      sizes: [5000, 3000], senderCaps: { ecm: true },
      hooks: {
        frameOk: (f, fromCaller, fast) => {
          if (!fromCaller && !fast && fcf(f) === fcfCode('ERR')) errSeen = true;
          return !(fast && f[2] === FCF_FCD && f[3] === 2 && !errSeen);
        },
      },
    });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    const eor = r.senderLog.filter((l) => l.includes('tx EOR'));
    expect(eor.length).toBe(1);
    expect(eor[0]).toMatch(/tx EOR 4[ef]$/); // EOR carrying MPS: more pages follow
    expect(r.receiverLog.filter((l) => l.includes('tx ERR ')).length).toBe(1);
    expect(r.sender.pageEvents.map((e) => `${e.kind}:${e.page}:${e.response ?? ''}`)).toEqual([
      'page-sent:1:', 'page-rejected:1:ERR', 'page-sent:2:', 'page-confirmed:2:MCF',
    ]);
    expect(r.sender.pagesConfirmed).toBe(1);
    expect(r.receiver.pagesReceived).toBe(2);
    // Page 1 kept with its hole (19 of 20 frames), page 2 whole.
    expect(r.sink.pages[0]!.length).toBe(19 * 256);
    expect(r.sink.pages[1]!.subarray(0, 3000)).toEqual(r.source.pages[1]);
  });
});

describe('T.30 engine: PRI-Q', () => {
  for (const ecm of [false, true]) {
    it(`ECM ${ecm}: PRI-MPS and PRI-EOP are answered like MPS and EOP`, () => {
      const ev = eventLog();
      const r = fakeCall({
        sizes: [2000, 2000], senderCaps: { ecm }, receiverOpts: ev.opts,
        hooks: {
          frameOk: (f, fromCaller, fast) => {
            if (!fromCaller || fast) return true;
            if (!ecm && (fcf(f) === FCF_EOP || fcf(f) === FCF_MPS)) f[2] = f[2]! | PRI;
            if (ecm && fcf(f) === FCF_PPS && (f[3]! & 0xfe) !== 0) f[3] = f[3]! | PRI;
            return true;
          },
        },
      });
      expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
      expect(r.receiver.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
      if (!ecm) {
        expect(ev.log.filter((l) => l.startsWith('rx PRI-')).map((l) => l.slice(3))).toEqual(['PRI-MPS', 'PRI-EOP']);
      } else {
        const fcf2 = r.receiverLog.flatMap((l) => /rx PPS ([0-9a-f]{2})/.exec(l)?.slice(1) ?? []).map((h) => parseInt(h, 16) & 0xfe);
        expect(fcf2).toEqual([fcfCode('PRI-MPS'), fcfCode('PRI-EOP')]);
      }
      expect(ev.log.filter((l) => l === 'tx MCF').length).toBe(2);
      expect(ev.log.some((l) => /tx (PIP|PIN|RTN|ERR|CRP)/.test(l))).toBe(false);
      expect(r.receiver.pagesReceived).toBe(2);
      for (let i = 0; i < 2; i++) expect(r.sink.pages[i]!.subarray(0, 2000)).toEqual(r.source.pages[i]);
    });
  }
});

describe('T.30 engine: a page is handed out before it is confirmed', () => {
  for (const ecm of [false, true]) {
    it(`ECM ${ecm}: each page-received event precedes the MCF that confirms it`, () => {
      const ev = eventLog();
      const r = fakeCall({ sizes: [2000, 3000, 1000], senderCaps: { ecm }, receiverOpts: ev.opts });
      expect(r.receiver.status).toBe(T30Err.OK);
      const mcfAt = ev.log.flatMap((l, i) => (l === 'tx MCF' ? [i] : []));
      const pageAt = ev.log.flatMap((l, i) => (l.startsWith('page-received') ? [i] : []));
      expect(pageAt.length).toBe(3);
      expect(mcfAt.length).toBe(3); // one block per page: one MCF each
      for (let i = 0; i < 3; i++) {
        expect(ev.log[pageAt[i]!]).toBe(`page-received ${i + 1}`);
        expect(pageAt[i]!).toBeLessThan(mcfAt[i]!);
        // ... and after the previous page's MCF: it is this page's confirmation.
        if (i > 0) expect(pageAt[i]!).toBeGreaterThan(mcfAt[i - 1]!);
      }
    });
  }
});
