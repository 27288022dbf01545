/**
 * Procedure interrupt (PRI-Q, PIP, PIN) over the message-level fake line (t30-fakeline.ts): a
 * sender asked for an interrupt sends PRI-MPS/PRI-EOP (ECM: PPS-PRI-Q) instead of the plain
 * command; a receiver that answers interrupts says PIP for a good page, PIN for a bad one; with
 * no operator the sender goes on as after MCF (PIP) or RTN (PIN). A default receiver answers
 * PRI-Q like the plain command. Oracles: the frames each side sent and heard, page events and
 * bytes, phase E.
 */
import { describe, it, expect } from 'vitest';
import { fakeCall, Line, FakeSource, FakeSink } from './t30-fakeline';
import { T30Err } from '../../core/t30/results';
import { T30Engine, type EngineOptions } from '../../core/t30/engine';
import { defaultCaps } from '../../core/t30/negotiate';
import { fcfCode } from '../../core/t30/fcf';

/** Receiver options that record the frames it sent and heard, in order. */
function frameLog(extra: Partial<EngineOptions> = {}): { log: string[]; opts: Partial<EngineOptions> } {
  const log: string[] = [];
  return { log, opts: { ...extra, onFrame: (f) => log.push(`${f.dir} ${f.name}`) } };
}

const events = (r: { pageEvents: { kind: string; page: number; response?: string }[] }) =>
  r.pageEvents.map((e) => `${e.kind}:${e.page}:${e.response ?? ''}`);

/** The post-page FCF (X bit off) of every PPS the receiver heard. */
const ppsFcf2 = (log: string[]) =>
  log.flatMap((l) => /rx PPS ([0-9a-f]{2})/.exec(l)?.slice(1) ?? []).map((h) => parseInt(h, 16) & 0xfe);

describe('T.30 engine: procedure interrupt, non-ECM', () => {
  it('sender asks for an interrupt: PRI-EOP, the receiver answers PIP, the page is confirmed', () => {
    const ev = frameLog({ answerInterrupts: true });
    const r = fakeCall({
      sizes: [2000], senderCaps: { ecm: false }, senderOpts: { requestInterrupt: true }, receiverOpts: ev.opts,
    });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiver.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
    expect(ev.log.filter((l) => /^(rx (EOP|MPS|PRI-)|tx (MCF|PIP|PIN|RTN|RTP))/.test(l))).toEqual(['rx PRI-EOP', 'tx PIP']);
    expect(r.senderLog.some((l) => l.includes('rx PIP'))).toBe(true);
    expect(events(r.sender)).toEqual(['page-sent:1:', 'page-confirmed:1:PIP']);
    expect(r.sender.pagesConfirmed).toBe(1);
    expect(r.receiver.pagesReceived).toBe(1);
    expect(r.sink.pages[0]).toEqual(r.source.pages[0]);
  });

  it('PRI-MPS answered PIP: the next page follows with the plain command, the call ends normally', () => {
    const ev = frameLog({ answerInterrupts: true });
    const r = fakeCall({
      sizes: [2000, 3000], senderCaps: { ecm: false }, senderOpts: { requestInterrupt: true }, receiverOpts: ev.opts,
    });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiver.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
    expect(ev.log.filter((l) => /^(rx (EOP|MPS|PRI-)|tx (MCF|PIP|PIN|RTN|RTP))/.test(l)))
      .toEqual(['rx PRI-MPS', 'tx PIP', 'rx EOP', 'tx MCF']);
    expect(events(r.sender)).toEqual(['page-sent:1:', 'page-confirmed:1:PIP', 'page-sent:2:', 'page-confirmed:2:MCF']);
    expect(r.sender.pagesConfirmed).toBe(2);
    for (let i = 0; i < 2; i++) expect(r.sink.pages[i]).toEqual(r.source.pages[i]);
  });

  it('a bad page under PRI-EOP is answered PIN: rejected like RTN, retrained, resent and confirmed', () => {
    const ev = frameLog({ answerInterrupts: true });
    const r = fakeCall({
      sizes: [2000], senderCaps: { ecm: false }, senderOpts: { requestInterrupt: true }, receiverOpts: ev.opts,
      sinkVerdict: (_page, nth) => (nth === 0 ? 'RTN' : 'MCF'),
    });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiver.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
    // PIN, then (as after RTN) DCS + TCF again, the page again with the plain EOP, MCF.
    expect(ev.log.filter((l) => /^(rx (EOP|MPS|PRI-|DCS)|tx (MCF|PIP|PIN|RTN|RTP))/.test(l)))
      .toEqual(['rx DCS', 'rx PRI-EOP', 'tx PIN', 'rx DCS', 'rx EOP', 'tx MCF']);
    expect(events(r.sender)).toEqual(['page-sent:1:', 'page-rejected:1:PIN', 'page-sent:1:', 'page-confirmed:1:MCF']);
    expect(r.senderLog.filter((l) => l.includes('tx DCS')).length).toBe(2);
    expect(r.sender.pagesConfirmed).toBe(1);
    expect(r.receiver.pagesReceived).toBe(1);
    expect(r.sink.pages.length).toBe(1);
    expect(r.sink.pages[0]).toEqual(r.source.pages[0]);
  });

  it('a default receiver answers PRI-EOP with MCF (no PIP/PIN)', () => {
    const ev = frameLog();
    const r = fakeCall({ sizes: [2000], senderCaps: { ecm: false }, senderOpts: { requestInterrupt: true }, receiverOpts: ev.opts });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiver.status).toBe(T30Err.OK);
    expect(ev.log.filter((l) => /^(rx (EOP|MPS|PRI-)|tx (MCF|PIP|PIN|RTN|RTP))/.test(l))).toEqual(['rx PRI-EOP', 'tx MCF']);
    expect(events(r.sender)).toEqual(['page-sent:1:', 'page-confirmed:1:MCF']);
    expect(r.sink.pages[0]).toEqual(r.source.pages[0]);
  });

  it('no interrupt asked: plain MPS/EOP answered MCF even by a receiver that answers interrupts', () => {
    const ev = frameLog({ answerInterrupts: true });
    const r = fakeCall({ sizes: [2000, 2000], senderCaps: { ecm: false }, receiverOpts: ev.opts });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(ev.log.filter((l) => /^(rx (EOP|MPS|PRI-)|tx (MCF|PIP|PIN|RTN|RTP))/.test(l)))
      .toEqual(['rx MPS', 'tx MCF', 'rx EOP', 'tx MCF']);
  });

  it('requestInterrupt() during the call: only the post-page command after it is PRI-Q', () => {
    const line = new Line();
    const source = new FakeSource([2000, 2000, 2000]);
    const sink = new FakeSink();
    const rxFrames: string[] = [];
    let sender: T30Engine | null = null;
    const log: string[] = [];
    sender = new T30Engine(line.caller, {
      role: 'calling', direction: 'send', caps: { ...defaultCaps(), ecm: false }, source, log: (l) => log.push(l),
      // Page 2 has just gone out: ask now, before its post-page command.
      onPageEvent: (e) => { if (e.kind === 'page-sent' && e.page === 2) sender!.requestInterrupt(); },
    });
    line.caller.engine = sender;
    const receiver = new T30Engine(line.answerer, {
      role: 'answering', direction: 'receive', caps: defaultCaps(), sink, answerInterrupts: true,
      onFrame: (f) => rxFrames.push(`${f.dir} ${f.name}`),
    });
    line.answerer.engine = receiver;
    line.run(1200);
    expect(sender.result().status, log.join('\n')).toBe(T30Err.OK);
    expect(receiver.result().status).toBe(T30Err.OK);
    expect(rxFrames.filter((l) => /^(rx (EOP|MPS|PRI-)|tx (MCF|PIP|PIN))/.test(l)))
      .toEqual(['rx MPS', 'tx MCF', 'rx PRI-MPS', 'tx PIP', 'rx EOP', 'tx MCF']);
    expect(sink.pages.length).toBe(3);
  });
});

describe('T.30 engine: procedure interrupt, ECM', () => {
  it('PPS-PRI-EOP answered PIP by an interrupting receiver: page confirmed, call completes', () => {
    const ev = frameLog({ answerInterrupts: true });
    const r = fakeCall({ sizes: [3000], senderCaps: { ecm: true }, senderOpts: { requestInterrupt: true }, receiverOpts: ev.opts });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(r.receiver.status, r.receiverLog.join('\n')).toBe(T30Err.OK);
    expect(ppsFcf2(r.receiverLog)).toEqual([fcfCode('PRI-EOP')]);
    expect(ev.log.filter((l) => /^tx (MCF|PIP|PIN|PPR)/.test(l))).toEqual(['tx PIP']);
    expect(events(r.sender)).toEqual(['page-sent:1:', 'page-confirmed:1:PIP']);
    expect(r.sender.pagesConfirmed).toBe(1);
    expect(r.sink.pages[0]!.subarray(0, 3000)).toEqual(r.source.pages[0]);
  });

  it('PPS-PRI-MPS to a default receiver: MCF; the next page goes with PPS-EOP', () => {
    const ev = frameLog();
    const r = fakeCall({ sizes: [3000, 2000], senderCaps: { ecm: true }, senderOpts: { requestInterrupt: true }, receiverOpts: ev.opts });
    expect(r.sender.status, r.senderLog.join('\n')).toBe(T30Err.OK);
    expect(ppsFcf2(r.receiverLog)).toEqual([fcfCode('PRI-MPS'), fcfCode('EOP')]);
    expect(ev.log.filter((l) => /^tx (MCF|PIP|PIN|PPR)/.test(l))).toEqual(['tx MCF', 'tx MCF']);
    expect(r.receiver.pagesReceived).toBe(2);
  });
});
