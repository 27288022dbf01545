/**
 * The whole fax stack minus the fast modems: two FaxEndpoints back to back with the real V.21
 * modem, HDLC and T.4 codec, and a bit-level fake for the fast modem (fax-fakemodem.ts). The
 * oracle is pixel equality of the received pages with the sent ones.
 */
import { describe, it, expect } from 'vitest';
import { FaxEndpoint } from '../../core/fax/endpoint';
import { runBackToBack } from '../../core/fax/call';
import { fakeModems } from './fax-fakemodem';
import { createImage, strideOf, type BilevelImage } from '../../core/t4/image';
import { T30Err } from '../../core/t30/results';

function page(seed: number, h = 200, yDpi = 98): BilevelImage {
  const img = createImage(1728, h, 204, yDpi);
  const s = strideOf(1728);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < 1728; x++) {
      if (((x >> 4) + (y >> 3) + seed) % 5 === 0 || (x * y + seed) % 97 === 0) img.data[y * s + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return img;
}

function call(ecm: boolean, senderRole: 'calling' | 'answering', pages: BilevelImage[]) {
  const log: string[] = [];
  const sender = new FaxEndpoint({ role: senderRole, direction: 'send', ident: 'TX 1', pages, modemFactory: fakeModems, ecm, log: (l) => log.push(`S ${l}`) });
  const receiver = new FaxEndpoint({ role: senderRole === 'calling' ? 'answering' : 'calling', direction: 'receive', ident: 'RX 2', modemFactory: fakeModems, ecm, log: (l) => log.push(`R ${l}`) });
  const [a, b] = senderRole === 'calling' ? [sender, receiver] : [receiver, sender];
  const run = runBackToBack(a, b, { maxSeconds: 400 });
  return { sender, receiver, run, log };
}

describe('fax endpoint (real V.21/HDLC/codec, fake fast modem)', () => {
  for (const ecm of [false, true]) {
    it(`2 pages, ECM ${ecm}, pixel-identical`, () => {
      const pages = [page(1), page(2, 150)];
      const { sender, receiver, log } = call(ecm, 'calling', pages);
      expect(sender.result().status, log.join('\n')).toBe(T30Err.OK);
      expect(receiver.result().status).toBe(T30Err.OK);
      expect(receiver.received.length).toBe(2);
      for (let i = 0; i < 2; i++) {
        const got = receiver.received[i]!;
        expect(got.image.height).toBe(pages[i]!.height);
        expect(got.badRows).toBe(0);
        expect(Buffer.compare(Buffer.from(got.image.data), Buffer.from(pages[i]!.data))).toBe(0);
      }
      expect(receiver.result().coding).toBe(ecm ? 'MMR' : 'MR');
      expect(receiver.result().remoteIdent).toBe('TX 1');
    });
  }

  it('polled: the answerer sends a fine page to a calling receiver', () => {
    const pages = [page(3, 120, 196)];
    const { sender, receiver, log } = call(true, 'answering', pages);
    expect(sender.result().status, log.join('\n')).toBe(T30Err.OK);
    expect(receiver.received.length).toBe(1);
    expect(receiver.received[0]!.image.yDpi).toBe(196);
    expect(Buffer.compare(Buffer.from(receiver.received[0]!.image.data), Buffer.from(pages[0]!.data))).toBe(0);
  });

  it('garbage audio (noise, NaN, Infinity, clipping) never throws; each role ends with T1', () => {
    for (const role of ['calling', 'answering'] as const) {
      const ep = new FaxEndpoint({ role, direction: role === 'calling' ? 'send' : 'receive', pages: [page(1, 20)], modemFactory: fakeModems });
      ep.start();
      const rx = new Float32Array(160);
      const tx = new Float32Array(160);
      let seed = 7;
      let n = 0;
      let bad = 0;
      while (!ep.done && n < 8000 * 60) {
        for (let i = 0; i < 160; i++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          const k = seed >>> 28;
          rx[i] = k === 0 ? NaN : k === 1 ? Infinity : k === 2 ? -40 : ((seed >>> 8) / 16777216 - 0.5) * 0.5;
        }
        ep.process(rx, tx);
        for (let i = 0; i < 160; i++) if (!Number.isFinite(tx[i]!)) bad++;
        n += 160;
      }
      expect(bad).toBe(0);
      expect(ep.done).toBe(true);
      expect(ep.result().status).toBe(T30Err.T1_EXPIRED);
    }
  });
});
