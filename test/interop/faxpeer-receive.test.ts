/**
 * Interop matrix, spandsp sending to webfax (`faxpeer --send`): V.27ter 4800, V.29 9600, V.17
 * 14400 x ECM on/off x 1 and 3 pages. 3-page calls: spandsp calls; 1-page calls: webfax calls and
 * polls spandsp (DTC). Every call succeeds on both sides, every page pixel-identical to the sent
 * document (tiffpagecmp), stored as MMR TIFF.
 */
import { describe, it, expect } from 'vitest';
import { webfaxReceives, DOC1, DOC3, expectCallOk } from './faxpeer-util';

describe.concurrent('faxpeer --send -> webfax', () => {
  for (const modem of ['v27', 'v29', 'v17'] as const) {
    for (const ecm of [false, true]) {
      for (const pages of [1, 3]) {
        const calling = pages === 1;
        it(`${modem} ECM=${ecm} ${pages} page(s), webfax ${calling ? 'calling (polling)' : 'answering'}`, async () => {
          const r = await webfaxReceives(pages === 1 ? DOC1 : DOC3, { modem, ecm, calling });
          expectCallOk(r, modem, ecm);
          expect(r.us.coding).toBe(ecm ? 'MMR' : 'MR');
          expect(r.us.pages_received).toBe(pages);
          expect(r.us.remote_ident).toBe('SPANDSP TX');
          expect(r.cmp?.pages_b).toBe(pages);
          expect(r.cmp?.identical).toBe(true);
        });
      }
    }
  }
});
