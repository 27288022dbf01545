/**
 * Copy-quality checking of non-ECM pages with the real T.4 decoder: two FaxEndpoints back to back
 * (real V.21, HDLC, codec; the bit-level fake fast modem of fax-fakemodem.ts, one bit per sample),
 * with bits of the first page burst flipped on the line. The receiver's verdict must come from the
 * decoder's own counts (HylaFAX thresholds in core/t4/quality.ts): a few damaged rows -> RTP (page
 * kept, retrain before the next), many -> RTN (page sent again, which then arrives identical).
 * Oracles: the rows that differ from the sent page, and the frames each side sent.
 */
import { describe, it, expect } from 'vitest';
import { FaxEndpoint, type ReceivedPage } from '../../core/fax/endpoint';
import { runBackToBack } from '../../core/fax/call';
import { fakeModems } from './fax-fakemodem';
import { createImage, strideOf, type BilevelImage } from '../../core/t4/image';
import { copyQuality } from '../../core/t4/quality';
import { T30Err } from '../../core/t30/results';

function page(seed: number, h: number): BilevelImage {
  const img = createImage(1728, h, 204, 98);
  const s = strideOf(1728);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < 1728; x++) {
      if (((x >> 4) + (y >> 3) + seed) % 5 === 0 || (x * y + seed) % 97 === 0) img.data[y * s + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return img;
}

function rowsDiffering(a: BilevelImage, b: BilevelImage): number {
  const s = strideOf(a.width);
  let n = Math.abs(a.height - b.height);
  for (let y = 0; y < Math.min(a.height, b.height); y++) if (!rowEq(a, y, b, y, s)) n++;
  return n;
}

function rowEq(a: BilevelImage, ya: number, b: BilevelImage, yb: number, s: number): boolean {
  for (let i = 0; i < s; i++) if (a.data[ya * s + i] !== b.data[yb * s + i]) return false;
  return true;
}

/** Received rows that match no sent row in order (a damaged EOL can swallow a row, so the two are
 *  aligned: a received row may match a sent row up to 4 rows further on). */
function damagedRows(sent: BilevelImage, got: BilevelImage): number {
  const s = strideOf(sent.width);
  let i = 0;
  let bad = 0;
  for (let j = 0; j < got.height; j++) {
    let d = 0;
    while (d <= 4 && i + d < sent.height && !rowEq(sent, i + d, got, j, s)) d++;
    if (d <= 4 && i + d < sent.height) i += d + 1;
    else { bad++; i++; }
  }
  return bad;
}

/** Send `pages` without ECM; flip `len` bits at each of `at` (bit offsets into the first page burst). */
function call(pages: BilevelImage[], at: number[], len: number, checkQuality = true) {
  const log: string[] = [];
  const frames: string[] = [];
  const got: ReceivedPage[] = [];
  const sender = new FaxEndpoint({ role: 'calling', direction: 'send', ident: 'TX 1', pages, modemFactory: fakeModems, ecm: false, log: (l) => log.push(`S ${l}`) });
  const receiver = new FaxEndpoint({
    role: 'answering', direction: 'receive', ident: 'RX 2', modemFactory: fakeModems, ecm: false, copyQuality: checkQuality ? {} : false, log: (l) => log.push(`R ${l}`),
    onFrame: (f) => { if (f.dir === 'tx') frames.push(f.name); }, onPage: (p) => got.push(p),
  });
  let bursts = 0;
  let inBurst = false;
  let flipped = 0;
  runBackToBack(sender, receiver, {
    maxSeconds: 400,
    hear: (heardByB) => {
      const fe = receiver.frontEnd;
      const on = fe.rxMode === 'page' && fe.fastTrainedAt >= fe.rxModeSince;
      if (on && !inBurst) bursts++;
      inBurst = on;
      if (!on || bursts !== 1) return;
      const pos = fe.sample - fe.fastTrainedAt;
      for (let i = 0; i < heardByB.length; i++) {
        const p = pos + i;
        if (at.some((a) => p >= a && p < a + len)) { heardByB[i] = -heardByB[i]!; flipped++; }
      }
    },
  });
  return { sender, receiver, log, frames, got, flipped };
}

const spots = (n: number, step: number) => Array.from({ length: n }, (_, k) => 4000 + k * step);

describe('copy quality from the real T.4 decoder (non-ECM)', () => {
  it('a few damaged rows: RTP, the page is kept, the sender retrains before the next page', () => {
    const pages = [page(1, 300), page(2, 100)];
    const r = call(pages, spots(6, 9000), 12);
    expect(r.flipped).toBe(6 * 12);
    expect(r.sender.result().status, r.log.join('\n')).toBe(T30Err.OK);
    const p1 = r.receiver.received[0]!;
    // The verdict is the decoder's counts judged by the HylaFAX thresholds, and it is RTP.
    expect(p1.badRows).toBeGreaterThan(0);
    expect(copyQuality(p1, { yDpi: 98 })).toBe('RTP');
    expect(p1.verdict).toBe('RTP');
    // The rows that came out different are among those the decoder counted bad (it repeats the
    // previous row for a bad one, which may happen to be right).
    const damaged = damagedRows(pages[0]!, p1.image);
    expect(damaged).toBeGreaterThan(0);
    expect(damaged).toBeLessThanOrEqual(p1.badRows);
    expect(pages[0]!.height - p1.image.height).toBeLessThanOrEqual(p1.badRows);
    expect(r.frames.filter((f) => f === 'RTP').length).toBe(1);
    expect(r.frames.filter((f) => f === 'MCF').length).toBe(1);
    expect(r.log.filter((l) => l.includes('tx DCS')).length).toBe(2); // retrain after RTP
    expect(r.receiver.received.length).toBe(2);
    expect(rowsDiffering(r.receiver.received[1]!.image, pages[1]!)).toBe(0);
  });

  it('many damaged rows (above PercentGoodLines / MaxConsecutiveBadLines): RTN, the page is sent again and arrives identical', () => {
    const pages = [page(3, 300)];
    const r = call(pages, spots(40, 1500), 12);
    expect(r.sender.result().status, r.log.join('\n')).toBe(T30Err.OK);
    const rtnLine = r.log.find((l) => l.startsWith('R page 1:') && l.endsWith('-> RTN'));
    expect(rtnLine, r.log.join('\n')).toBeDefined();
    const m = /(\d+) rows, (\d+) bad \(max run (\d+)\)/.exec(rtnLine!)!;
    const counts = { rows: Number(m[1]), badRows: Number(m[2]), maxConsecutiveBadRows: Number(m[3]) };
    expect(counts.badRows).toBeGreaterThan(0);
    expect(copyQuality(counts, { yDpi: 98 })).toBe('RTN');
    expect(r.frames.filter((f) => f === 'RTN').length).toBe(1);
    expect(r.sender.result().pageEvents.map((e) => `${e.kind}:${e.page}`)).toEqual(['page-sent:1', 'page-rejected:1', 'page-sent:1', 'page-confirmed:1']);
    expect(r.receiver.received.length).toBe(1);
    expect(r.receiver.received[0]!.badRows).toBe(0);
    expect(rowsDiffering(r.receiver.received[0]!.image, pages[0]!)).toBe(0);
  });

  it('copy-quality checking off: the same damage is confirmed with MCF and the damaged page kept', () => {
    const pages = [page(3, 300)];
    const r = call(pages, spots(40, 1500), 12, false);
    expect(r.sender.result().status, r.log.join('\n')).toBe(T30Err.OK);
    expect(r.frames.filter((f) => f === 'RTN' || f === 'RTP').length).toBe(0);
    expect(r.receiver.received.length).toBe(1);
    const p1 = r.receiver.received[0]!;
    expect(copyQuality(p1, { yDpi: 98 })).toBe('RTN');
    expect(p1.verdict).toBe('MCF');
    expect(damagedRows(pages[0]!, p1.image)).toBeGreaterThan(0);
  });
});
