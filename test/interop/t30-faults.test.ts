/**
 * T.30 procedures and faults against spandsp's faxpeer: fall-back after a spoiled TCF, RTN ->
 * retrain and resend, ECM repair by PPR, and a peer that goes silent, hangs up, or is not a fax
 * machine at all. Each call must end with the right phase E code within the T.30 timer bounds
 * (audio seconds, counted in samples), never hang, and keep pages already confirmed.
 * t30-peerwrap.mjs sits between webfax and faxpeer to spoil the line.
 */
import { describe, it, expect } from 'vitest';
import { resolve } from 'node:path';
import { webfaxSends, webfaxReceives, DOC1, DOC3 } from './faxpeer-util';
import { repoRoot } from '../helpers/peers';

const WRAP = `${process.execPath} ${resolve(repoRoot, 'test/interop/t30-peerwrap.mjs')}`;
const wrap = (opts: string) => `${WRAP} ${opts} --`;

describe.concurrent('T.30 procedures against faxpeer', () => {
  it('spoiled TCF: webfax sender steps down V.29 9600 -> 7200 and delivers', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: false, extra: ['--spoil-tcf', '1'] });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.bit_rate).toBe(7200);
    expect(r.peer?.bit_rate).toBe(7200);
    expect(r.cmp?.identical).toBe(true);
  });

  it('spoiled TCF twice: faxpeer steps down to V.27ter 4800 after webfax answers FTT twice', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: false, extra: ['--spoil-tcf', '2', '--modems', 'v29,v27'], peerExtra: '--modems v29,v27' });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.modem).toBe('V.27ter');
    expect(r.us.bit_rate).toBe(4800);
    expect(r.cmp?.identical).toBe(true);
  });

  it('RTN: a damaged non-ECM page received by webfax is refused, faxpeer retrains and resends', async () => {
    const r = await webfaxReceives(DOC3, { modem: 'v29', ecm: false, extra: ['--spoil-page', '1'] });
    expect(r.us.status_text).toBe('OK');
    const ev = (r.us.page_events as { kind: string; response?: string }[]).map((e) => `${e.kind}:${e.response ?? ''}`);
    expect(ev).toEqual(['page-rejected:RTN', 'page-received:MCF', 'page-received:MCF', 'page-received:MCF']);
    expect(r.us.bit_rate).toBe(7200); // spandsp steps down on RTN
    expect(r.cmp?.pages_b).toBe(3);
    expect(r.cmp?.identical).toBe(true);
  });

  it('RTN: faxpeer refuses a damaged page from webfax; webfax retrains one step down and resends it', async () => {
    const r = await webfaxSends(DOC3, { modem: 'v29', ecm: false, extra: ['--spoil-page', '1'] });
    expect(r.us.status_text).toBe('OK');
    const ev = (r.us.page_events as { kind: string; page: number; response?: string }[]).map((e) => `${e.kind}:${e.page}:${e.response ?? ''}`);
    expect(ev.slice(0, 4)).toEqual(['page-sent:1:', 'page-rejected:1:RTN', 'page-sent:1:', 'page-confirmed:1:MCF']);
    expect(r.us.pages_confirmed).toBe(3);
    expect(r.us.bit_rate).toBe(7200);
    expect(r.cmp?.pages_b).toBe(3);
    expect(r.cmp?.identical).toBe(true);
  });

  it('ECM: frames lost to noise are repaired by PPR (webfax receiving), pages identical', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: true, extra: ['--spoil-page', '2'] });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.ecm_retries).toBeGreaterThan(0);
    expect(r.cmp?.identical).toBe(true);
  });

  it('ECM: faxpeer asks webfax for lost frames with PPR, pages identical', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: true, extra: ['--spoil-page', '2'] });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.ecm_retries).toBeGreaterThan(0);
    expect(r.cmp?.identical).toBe(true);
  });

  it('ECM under continuous (gated) noise at 13 dB SNR: PPRs repair the frames, delivered identical', async () => {
    // V.29 and V.27ter on both sides, so TCFs failing on noise can step down as far as needed.
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: true, extra: ['--line-in', 'snr=13,gate=1,seed=2', '--modems', 'v29,v27'], peerExtra: '--modems v29,v27' });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.ecm_retries).toBeGreaterThan(0);
    expect(r.cmp?.identical).toBe(true);
  });

  it('CTC: after four PPRs webfax (sending) steps down with CTC, faxpeer answers CTR, page identical', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: true, extra: ['--spoil-page', '6'] });
    expect(r.us.status_text).toBe('OK');
    const names = (r.us.frames as { dir: string; name: string }[]).map((f) => `${f.dir}:${f.name}`);
    expect(names).toContain('tx:CTC');
    expect(names).toContain('rx:CTR');
    expect(r.us.bit_rate).toBe(7200);
    expect(r.cmp?.identical).toBe(true);
  });

  it('CTC: faxpeer (sending) sends CTC after four PPRs from webfax, webfax answers CTR, page identical', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: true, extra: ['--spoil-page', '6'] });
    expect(r.us.status_text).toBe('OK');
    const names = (r.us.frames as { dir: string; name: string }[]).map((f) => `${f.dir}:${f.name}`);
    const ctcAt = names.indexOf('rx:CTC');
    expect(ctcAt).toBeGreaterThan(0);
    expect(names.slice(0, ctcAt).filter((n) => n === 'tx:PPR').length).toBe(4);
    expect(names).toContain('tx:CTR');
    expect(r.cmp?.identical).toBe(true);
  });

  it('RNR: webfax (receiving, ECM) is not ready twice; faxpeer polls with RR and completes', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: true, extra: ['--rnr', '2'] });
    expect(r.us.status_text).toBe('OK');
    const names = (r.us.frames as { dir: string; name: string }[]).map((f) => `${f.dir}:${f.name}`);
    expect(names.filter((n) => n === 'tx:RNR').length).toBe(2);
    expect(names.filter((n) => n === 'rx:RR').length).toBe(2);
    expect(r.peer?.ok).toBe(true);
    expect(r.cmp?.identical).toBe(true);
  });

  it('receiver goes silent mid-page: webfax ends TX_PHDDEAD after three MPS tries', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: false, peerWrap: wrap('--silence-after 14') });
    expect(r.us.status).toBe(21);
    expect(r.us.pages_sent).toBe(1);
    expect(r.us.pages_confirmed).toBe(0);
    // page ends ~25 s; then 3 x (MPS ~1.2 s + T4 3 s) + DCN
    const sentAt = (r.us.page_events as { kind: string; t: number }[]).find((e) => e.kind === 'page-sent')!.t;
    // After the page: 3 x (MPS ~1.2 s + 75 ms + T4 3 s), then DCN ~1.3 s.
    expect(r.us.elapsed_s - sentAt).toBeGreaterThan(3 * 3);
    expect(r.us.elapsed_s - sentAt).toBeLessThan(3 * 4.5 + 3);
  });

  it('sender goes silent mid-page 2: webfax ends RX_T2EXPMPS within T2, page 1 kept', async () => {
    const r = await webfaxReceives(DOC3, { modem: 'v29', ecm: false, peerWrap: wrap('--silence-after 50') });
    expect(r.us.status).toBe(32);
    expect(r.us.pages_received).toBe(1);
    expect(r.cmp?.pages_b).toBe(1);
    expect(r.cmp && (r.cmp as any).pages[0].pixels_differing).toBe(0);
    expect(r.us.elapsed_s).toBeGreaterThan(50);
    expect(r.us.elapsed_s).toBeLessThan(50 + 6 + 3);
  });

  it('peer hangs up right after DCS: webfax ends TX_PHBDEAD after three DCS/TCF tries', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: false, peerWrap: wrap('--exit-after 6.8') });
    expect(r.us.status).toBe(20);
    expect(r.us.elapsed_s).toBeLessThan(6.8 + 3 * (1.3 + 1.9 + 3) + 3);
  });

  it('sender hangs up right after DCS: webfax (receiving) answers FTT to the missing TCF, then ends on T2', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: false, peerWrap: wrap('--exit-after 8.0') });
    expect(r.us.status).toBe(34); // T2 expired waiting for NSS, DCS or MCF
    expect(r.us.pages_received).toBe(0);
    // 10 s for a TCF, FTT ~1.3 s, then T2 (6 s)
    expect(r.us.elapsed_s).toBeLessThan(8 + 10 + 1.5 + 6 + 2);
  });

  it('QualifyTSI: a caller whose TSI is not on the list is refused with DCN', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: false, extra: ['--accept', '+1 555 0100,/^ACME/'] });
    expect(r.us.status).toBe(51);
    expect(r.peer?.ok).toBe(false);
    expect(r.cmp).toBeNull();
  });

  it('the peer is not a fax machine (noise): calling webfax ends T1 expired, ~35 s', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: false, peerWrap: wrap('--noise-only'), extra: ['--max-seconds', '60'] });
    expect(r.us.status).toBe(3);
    expect(r.us.elapsed_s).toBeGreaterThanOrEqual(35);
    expect(r.us.elapsed_s).toBeLessThan(40);
  });

  it('garbage over the first DIS bursts (bad FCS): the call recovers and completes', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: false, peerWrap: wrap('--noise-from 3 --noise-to 6') });
    expect(r.us.status_text).toBe('OK');
    expect(r.cmp?.identical).toBe(true);
  });
});
