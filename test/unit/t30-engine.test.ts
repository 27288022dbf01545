/**
 * The T.30 state machine over a message-level fake line (test/unit/t30-fakeline.ts): whole calls
 * in both roles, with and without ECM, negotiation, fall-back, RTN, PPR, CTC, and faults. The
 * oracle is the data: pages that arrive must be byte-identical to those sent; phase E codes and
 * timer bounds are checked in samples.
 */
import { describe, it, expect } from 'vitest';
import { fakeCall } from './t30-fakeline';
import { T30Err } from '../../core/t30/results';
import { T1, T2, T4 } from '../../core/t30/timers';

const SR = 8000;

describe('T.30 engine: clean calls', () => {
  for (const senderRole of ['calling', 'answering'] as const) {
    for (const ecm of [false, true]) {
      it(`${senderRole} sender, ECM ${ecm}: 3 pages arrive intact`, () => {
        const r = fakeCall({ senderRole, senderCaps: { ecm }, sizes: [3000, 70_000, 500] });
        expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
        expect(r.receiver.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
        expect(r.sender.pagesConfirmed).toBe(3);
        expect(r.receiver.pagesReceived).toBe(3);
        expect(r.sender.ecm).toBe(ecm);
        expect(r.sender.modem).toBe('V.17');
        expect(r.sender.bitRate).toBe(14400);
        expect(r.sender.coding).toBe(ecm ? 'MMR' : 'MR');
        expect(r.receiver.remoteIdent).toBe('SENDER 1');
        expect(r.sender.remoteIdent).toBe('RECEIVER 2');
        for (let i = 0; i < 3; i++) {
          const want = r.source.pages[i]!;
          const got = r.sink.pages[i]!;
          // ECM pads the last frame with zeros.
          expect(got.subarray(0, want.length)).toEqual(want);
          expect(got.subarray(want.length).every((b) => b === 0)).toBe(true);
        }
        // The receiver saw each page before it confirmed it.
        const recv = r.receiver.pageEvents.filter((e) => e.kind === 'page-received').map((e) => e.sample);
        const conf = r.sender.pageEvents.filter((e) => e.kind === 'page-confirmed').map((e) => e.sample);
        for (let i = 0; i < 3; i++) expect(recv[i]!).toBeLessThan(conf[i]!);
      });
    }
  }

  it('a 70 kB ECM page goes as two blocks (256 frames of 256 octets, then the rest)', () => {
    const r = fakeCall({ sizes: [70_000], senderCaps: { ecm: true } });
    expect(r.receiver.status).toBe(T30Err.OK);
    const pps = r.senderLog.filter((l) => l.includes('tx PPS'));
    expect(pps.length).toBe(2);
    expect(pps[0]).toMatch(/tx PPS 000000ff$/); // NULL, page 0, block 0, 256 frames
    expect(pps[1]).toMatch(/tx PPS 2f00011(1)$/); // EOP, page 0, block 1, 18 frames (70000/256 = 273.4 -> 274 - 256)
  });

  it('64-octet ECM frames: DCS says so, the receiver reassembles them', () => {
    const r = fakeCall({ sizes: [10_000], senderCaps: { ecm: true, ecm64: true } });
    expect(r.receiver.status).toBe(T30Err.OK);
    expect(r.sink.formats[0]).toBeDefined();
    expect(r.sink.pages[0]!.length).toBe(Math.ceil(10_000 / 64) * 64);
    expect(r.sink.pages[0]!.subarray(0, 10_000)).toEqual(r.source.pages[0]);
    expect(r.senderLog.find((l) => l.includes('tx PPS'))).toMatch(/tx PPS 2f00009c$/); // 157 frames
  });

  it('MR over ECM when the receiver has no MMR', () => {
    const r = fakeCall({ sizes: [3000], senderCaps: { ecm: true }, receiverCaps: { mmr: false } });
    expect(r.receiver.status).toBe(T30Err.OK);
    expect(r.receiver.ecm).toBe(true);
    expect(r.receiver.coding).toBe('MR');
  });

  it('best common modem, coding and resolution are chosen', () => {
    const r = fakeCall({ sizes: [1000], yRes: 'fine', senderCaps: { ecm: true }, receiverCaps: { v17: false, mmr: false } });
    expect(r.receiver.status).toBe(T30Err.OK);
    expect(r.receiver.modem).toBe('V.29');
    expect(r.receiver.bitRate).toBe(9600);
    expect(r.receiver.coding).toBe('MR');
    expect(r.receiver.resolution).toBe('fine');
    const v27 = fakeCall({ sizes: [1000], receiverCaps: { v17: false, v29: false } });
    expect(v27.receiver.modem).toBe('V.27ter');
    expect(v27.receiver.bitRate).toBe(4800);
    const mh = fakeCall({ sizes: [1000], senderCaps: { ecm: false, mr: false } });
    expect(mh.receiver.coding).toBe('MH');
  });

  it('a fine page to a standard-only receiver goes at standard (or ends NORESSUPPORT if reducing is off)', () => {
    const r = fakeCall({ sizes: [1000], yRes: 'fine', receiverCaps: { fine: false, superfine: false } });
    expect(r.sender.status).toBe(T30Err.OK);
    expect(r.receiver.resolution).toBe('standard');
    expect(r.source.formats[0]!.yRes).toBe('standard');
    const no = fakeCall({ sizes: [1000], yRes: 'fine', senderCaps: { reduceResolution: false }, receiverCaps: { fine: false, superfine: false } });
    expect(no.sender.status).toBe(T30Err.NORESSUPPORT);
    expect(no.receiver.ok).toBe(false);
  });
});

describe('T.30 engine: training and retrain', () => {
  it('a spoiled TCF makes the sender step down the fall-back list and deliver', () => {
    const r = fakeCall({ sizes: [2000, 2000], hooks: { tcfZeros: (rate, nth) => (nth < 2 ? rate / 2 : rate * 1.5) } });
    expect(r.sender.status).toBe(T30Err.OK);
    expect(r.receiver.pagesReceived).toBe(2);
    expect(r.sender.modem).toBe('V.17');
    expect(r.sender.bitRate).toBe(9600); // 14400 -> 12000 -> 9600
    expect(r.receiverLog.filter((l) => l.includes('tx FTT')).length).toBe(2);
  });

  it('a TCF the receiver cannot train on at all is answered FTT, and the sender steps down', () => {
    const r = fakeCall({ sizes: [2000], hooks: { trainFails: (kind, nth) => kind === 'tcf' && nth === 0 } });
    expect(r.sender.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
    expect(r.sender.bitRate).toBe(12000);
    expect(r.receiverLog.some((l) => l.includes('did not train -> FTT'))).toBe(true);
  });

  it('TCF failing at every rate ends CANNOT_TRAIN', () => {
    const r = fakeCall({ sizes: [2000], hooks: { tcfZeros: () => 10 } });
    expect(r.sender.status).toBe(T30Err.CANNOT_TRAIN);
    expect(r.receiver.pagesReceived).toBe(0);
  });

  it('RTN leads to retrain (DCS + TCF, one step down) and the same page again', () => {
    const r = fakeCall({ sizes: [2000, 2000], senderCaps: { ecm: false }, sinkVerdict: (_p, nth) => (nth === 0 ? 'RTN' : 'MCF') });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.sink.pages.length).toBe(2);
    expect(r.sink.pages[0]).toEqual(r.source.pages[0]);
    expect(r.sink.pages[1]).toEqual(r.source.pages[1]);
    expect(r.sender.pageEvents.map((e) => `${e.kind}:${e.page}`)).toEqual([
      'page-sent:1', 'page-rejected:1', 'page-sent:1', 'page-confirmed:1', 'page-sent:2', 'page-confirmed:2',
    ]);
    expect(r.senderLog.filter((l) => l.includes('tx DCS')).length).toBe(2);
    expect(r.sender.bitRate).toBe(12000);
  });

  it('a page that does not train is answered RTN (not a repeated MCF) and sent again', () => {
    const r = fakeCall({ sizes: [2000, 2000, 2000], senderCaps: { ecm: false }, hooks: { trainFails: (kind, nth) => kind === 'page' && nth === 2 } });
    expect(r.sender.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
    expect(r.sink.pages.length).toBe(3);
    for (let i = 0; i < 3; i++) expect(r.sink.pages[i]).toEqual(r.source.pages[i]);
    expect(r.receiverLog.filter((l) => l.includes('tx RTN')).length).toBe(1);
  });

  it('a lost RTN: the sender repeats EOP, the receiver repeats RTN, the page is sent again', () => {
    let rtnDropped = false;
    const r = fakeCall({
      sizes: [2000], senderCaps: { ecm: false }, sinkVerdict: (_p, nth) => (nth === 0 ? 'RTN' : 'MCF'),
      hooks: { frameOk: (f) => { if ((f[2]! & 0xfe) === 0x4c && !rtnDropped) { rtnDropped = true; return false; } return true; } },
    });
    expect(rtnDropped).toBe(true);
    expect(r.sender.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
    expect(r.senderLog.filter((l) => l.includes('tx EOP')).length).toBe(3);
    expect(r.receiverLog.filter((l) => l.includes('tx RTN')).length).toBe(2);
    expect(r.sink.pages[0]).toEqual(r.source.pages[0]);
  });

  it('RTP confirms the page and retrains before the next', () => {
    const r = fakeCall({ sizes: [2000, 2000], senderCaps: { ecm: false }, sinkVerdict: (_p, nth) => (nth === 0 ? 'RTP' : 'MCF') });
    expect(r.sender.status).toBe(T30Err.OK);
    expect(r.sink.pages.length).toBe(2);
    expect(r.senderLog.filter((l) => l.includes('tx DCS')).length).toBe(2);
  });

  it('endless RTN ends RETRYDCN with no pages confirmed', () => {
    const r = fakeCall({ sizes: [2000], senderCaps: { ecm: false }, sinkVerdict: () => 'RTN' });
    expect(r.sender.status).toBe(T30Err.RETRYDCN);
    expect(r.sender.pagesConfirmed).toBe(0);
    expect(r.sink.pages.length).toBe(0);
  });
});

describe('T.30 engine: ECM error correction', () => {
  it('lost FCD frames are asked for again with PPR and the page arrives intact', () => {
    // Drop every 7th fast frame the first time round.
    const dropped = new Set<string>();
    const r = fakeCall({
      sizes: [40_000, 9000], senderCaps: { ecm: true },
      hooks: {
        frameOk: (f, _c, fast) => {
          if (!fast || f[2] !== 0x06) return true;
          const key = `${f[3]}:${f[4]}:${f[5]}`;
          if (f[3]! % 7 === 3 && !dropped.has(key)) { dropped.add(key); return false; }
          return true;
        },
      },
    });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.sink.pages[0]!.subarray(0, 40_000)).toEqual(r.source.pages[0]);
    expect(r.sink.pages[1]!.subarray(0, 9000)).toEqual(r.source.pages[1]);
    expect(r.receiverLog.some((l) => l.includes('tx PPR'))).toBe(true);
    expect(r.sender.ecmRetries).toBeGreaterThan(0);
  });

  it('a frame that never gets through: CTC, then EOR/ERR; the page is not counted as confirmed', () => {
    const r = fakeCall({ sizes: [5000], senderCaps: { ecm: true }, hooks: { frameOk: (f, _c, fast) => !(fast && f[2] === 0x06 && f[3] === 2) } });
    expect(r.senderLog.some((l) => l.includes('tx CTC'))).toBe(true);
    expect(r.senderLog.some((l) => l.includes('tx EOR'))).toBe(true);
    expect(r.receiverLog.some((l) => l.includes('tx ERR'))).toBe(true);
    expect(r.sender.status).toBe(T30Err.OK);
    expect(r.sender.pagesConfirmed).toBe(0);
    expect(r.sender.ok).toBe(false);
    expect(r.sender.pageEvents.map((e) => `${e.kind}:${e.response ?? ''}`)).toEqual(['page-sent:', 'page-rejected:ERR']);
    // The receiver still has what did arrive (19 of 20 frames).
    expect(r.sink.pages[0]!.length).toBe(19 * 256);
  });

  it('RNR: the receiver is not ready twice, the sender polls with RR, then gets MCF', () => {
    const r = fakeCall({ sizes: [3000], senderCaps: { ecm: true }, receiverOpts: { rnrCount: 2 } });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiverLog.filter((l) => l.includes('tx RNR')).length).toBe(2);
    expect(r.senderLog.filter((l) => l.includes('tx RR')).length).toBe(2);
    expect(r.sink.pages[0]!.subarray(0, 3000)).toEqual(r.source.pages[0]);
  });

  it('after four PPRs the sender sends CTC, steps down, and finishes the block', () => {
    let lost = 0;
    const r = fakeCall({
      sizes: [5000], senderCaps: { ecm: true },
      hooks: {
        // Frame 2 is lost the first five times it is sent: four PPRs, CTC/CTR, one more PPR, then it gets through.
        frameOk: (f, _c, fast) => !(fast && f[2] === 0x06 && f[3] === 2 && ++lost <= 5),
      },
    });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.senderLog.some((l) => l.includes('tx CTC'))).toBe(true);
    expect(r.receiverLog.some((l) => l.includes('tx CTR'))).toBe(true);
    expect(r.sender.bitRate).toBe(12000);
    expect(r.sink.pages[0]!.subarray(0, 5000)).toEqual(r.source.pages[0]);
  });
});

describe('T.30 engine: faults end with the right phase E code', () => {
  it('a receiver that goes silent mid-page: sender gives up after 3 tries of T4 (TX_PHDDEAD)', () => {
    const r = fakeCall({ sizes: [20_000, 20_000], senderCaps: { ecm: false }, hooks: { deadAt: { answerer: 30 * SR } } });
    expect(r.sender.status).toBe(T30Err.TX_PHDDEAD);
    expect(r.sender.pagesConfirmed).toBe(1);
    expect(r.sink.pages[0]).toEqual(r.source.pages[0]);
  });

  it('a sender that goes silent mid-page: receiver ends with T2 (RX_T2EXPMPS), confirmed pages kept', () => {
    const r = fakeCall({ sizes: [20_000, 200_000], senderCaps: { ecm: false }, hooks: { deadAt: { caller: 25 * SR } } });
    expect(r.receiver.status).toBe(T30Err.RX_T2EXPMPS);
    expect(r.receiver.pagesReceived).toBeGreaterThanOrEqual(1);
    expect(r.sink.pages[0]).toEqual(r.source.pages[0]);
    // It ended within T2 (+ one block) of the last thing it heard.
    expect(r.receiver.endSample - 25 * SR).toBeLessThanOrEqual(T2 + 2 * T4 + 30 * SR);
  });

  it('a peer that hangs up after DCS: sender ends TX_PHBDEAD after 3 DCS/TCF tries', () => {
    let dcsSeen = -1;
    const r = fakeCall({
      sizes: [2000],
      hooks: { frameOk: (f, fromCaller) => { if (fromCaller && (f[2]! & 0xfe) === 0x82 && dcsSeen < 0) dcsSeen = 1; return true; }, deadAt: { answerer: 8 * SR } },
    });
    expect(dcsSeen).toBe(1);
    expect(r.sender.status).toBe(T30Err.TX_PHBDEAD);
    // 3 tries, each DCS + TCF + T4: well within T1.
    expect(r.sender.endSample).toBeLessThan(8 * SR + 3 * (T4 + 6 * SR));
  });

  it('no answer at all: the caller ends with T1', () => {
    const r = fakeCall({ sizes: [2000], hooks: { deadAt: { answerer: 0 } } });
    expect(r.sender.status).toBe(T30Err.T1_EXPIRED);
    expect(r.sender.endSample).toBeGreaterThanOrEqual(T1);
    expect(r.sender.endSample).toBeLessThan(T1 + 3 * SR);
  });

  it('garbage (bad FCS) frames are never acted on; the command is repeated and the call completes', () => {
    let n = 0;
    const r = fakeCall({ sizes: [2000, 2000], senderCaps: { ecm: false }, hooks: { frameOk: (_f, _c, fast) => fast || ++n % 5 !== 0 } });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.sink.pages.length).toBe(2);
  });

  it('a DIS with impossible modem bits ends INCOMPATIBLE and DCN is sent', () => {
    const r = fakeCall({
      sizes: [2000],
      hooks: { frameOk: (f) => { if (f[2] === 0x80) { f[4] = (f[4]! & ~0x3c) | (0x0c << 2); } return true; } },
    });
    expect(r.sender.status).toBe(T30Err.INCOMPATIBLE);
    expect(r.senderLog.some((l) => l.includes('tx DCN'))).toBe(true);
    // The answerer hears DCN while waiting for DCS.
    expect(r.receiver.status).toBe(T30Err.RX_DCNWHY);
    expect(r.sender.endSample).toBeLessThan(10 * SR);
  });

  it('a DIS that says the far end cannot receive ends RX_INCAPABLE', () => {
    const r = fakeCall({ sizes: [2000], hooks: { frameOk: (f) => { if (f[2] === 0x80) f[4] = f[4]! & ~0x02; return true; } } });
    expect(r.sender.status).toBe(T30Err.RX_INCAPABLE);
    expect(r.sender.endSample).toBeLessThan(10 * SR);
  });

  it('QualifyTSI: a caller not on the list is refused (IDENT_UNACCEPTABLE)', () => {
    const r = fakeCall({ sizes: [2000], receiverOpts: { acceptIdents: ['+1 555 0100', /^SENDER 9/] } });
    expect(r.receiver.status).toBe(T30Err.IDENT_UNACCEPTABLE);
    expect(r.sink.pages.length).toBe(0);
    const ok = fakeCall({ sizes: [2000], receiverOpts: { acceptIdents: [/^SENDER \d$/] } });
    expect(ok.receiver.status).toBe(T30Err.OK);
  });

  it('polling: a caller asks for a document (DTC) that the answerer has', () => {
    const r = fakeCall({ senderRole: 'answering', sizes: [2000] });
    expect(r.sender.status).toBe(T30Err.OK);
    expect(r.receiverLog.some((l) => l.includes('tx DTC'))).toBe(true);
  });
});
