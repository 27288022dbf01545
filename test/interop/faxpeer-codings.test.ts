/**
 * Codings and frame sizes against spandsp's faxpeer: 64-octet ECM frames, MR over ECM (peer
 * without T.6), MH (peer with 1-D only), and a fine-resolution T.6 document received by webfax.
 * Pages must be pixel-identical (tiffpagecmp).
 */
import { describe, it, expect } from 'vitest';
import { webfaxSends, webfaxReceives, DOC1 } from './faxpeer-util';
import { fixture } from '../helpers/peers';

describe.concurrent('codings against faxpeer', () => {
  it('64-octet ECM frames to faxpeer', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: true, extra: ['--ecm-frame-size', '64'] });
    expect(r.us.status_text).toBe('OK');
    expect(r.cmp?.identical).toBe(true);
  });

  it('MR over ECM when the peer has no T.6', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: true, peerExtra: '--compression 1d,2d' });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.coding).toBe('MR');
    expect(r.us.ecm).toBe(true);
    expect(r.cmp?.identical).toBe(true);
  });

  it('MH (1-D) without ECM when the peer does only 1-D', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v29', ecm: false, peerExtra: '--compression 1d' });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.coding).toBe('MH');
    expect(r.cmp?.identical).toBe(true);
  });

  it('a fine-resolution 3-page document received by webfax (V.17, ECM, T.6)', async () => {
    const doc = fixture('pages', 'doc_fine_3p_g4.tif');
    const r = await webfaxReceives(doc, { modem: 'v17', ecm: true, peerExtra: '--compression 1d,2d,t6' });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.resolution).toBe('fine');
    expect(r.us.coding).toBe('MMR');
    expect(r.cmp?.pages_b).toBe(3);
    expect(r.cmp?.identical).toBe(true);
  });
});
