/**
 * Interop matrix, webfax sending to spandsp (`faxpeer --receive`): V.27ter 4800, V.29 9600,
 * V.17 14400 x ECM on/off x 1 and 3 pages. 3-page calls: webfax calls; 1-page calls: spandsp
 * calls and polls webfax (webfax answers with a document). Every call must succeed on both sides
 * and every page must be pixel-identical (spandsp's tiffpagecmp over libtiff's decode).
 */
import { describe, it, expect } from 'vitest';
import { webfaxSends, DOC1, DOC3, expectCallOk } from './faxpeer-util';

describe.concurrent('webfax -> faxpeer --receive', () => {
  for (const modem of ['v27', 'v29', 'v17'] as const) {
    for (const ecm of [false, true]) {
      for (const pages of [1, 3]) {
        const answering = pages === 1;
        it(`${modem} ECM=${ecm} ${pages} page(s), webfax ${answering ? 'answering (polled)' : 'calling'}`, async () => {
          const r = await webfaxSends(pages === 1 ? DOC1 : DOC3, { modem, ecm, answering });
          expectCallOk(r, modem, ecm);
          expect(r.us.pages_confirmed).toBe(pages);
          expect(r.peer?.pages_received).toBe(pages);
          expect(r.us.remote_ident).toBe('SPANDSP RX');
          expect(String(r.peer?.remote_ident).trim()).toBe('WEBFAX TX');
          expect(r.cmp?.pages_b).toBe(pages);
          expect(r.cmp?.identical).toBe(true);
        });
      }
    }
  }
});
