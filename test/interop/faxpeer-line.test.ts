/**
 * Impaired lines between webfax and spandsp's faxpeer (webfax's --line, one or both directions):
 * carrier offset and clock drift, talker echo, a level drop, and lost 20 ms blocks with ECM.
 * Each call must succeed and deliver pixel-identical pages.
 */
import { describe, it, expect } from 'vitest';
import { webfaxSends, webfaxReceives, DOC1 } from './faxpeer-util';

describe.concurrent('impaired lines against faxpeer', () => {
  it('+7 Hz offset, +100 ppm clock, both directions, V.29 (webfax receiving)', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: false, extra: ['--line', 'offset=7,ppm=100'] });
    expect(r.us.status_text).toBe('OK');
    expect(r.cmp?.identical).toBe(true);
  });

  it('-7 Hz offset, -100 ppm clock, 10 dB loss, V.17 ECM (webfax sending)', async () => {
    const r = await webfaxSends(DOC1, { modem: 'v17', ecm: true, extra: ['--line', 'offset=-7,ppm=-100,gain=-10'] });
    expect(r.us.status_text).toBe('OK');
    expect(r.cmp?.identical).toBe(true);
  });

  it('talker echo -20 dB at 8 ms heard by webfax, V.29', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: true, extra: ['--line-in', 'echo=-20@8'] });
    expect(r.us.status_text).toBe('OK');
    expect(r.cmp?.identical).toBe(true);
  });

  it('0.3 % of 20 ms blocks lost on the way to webfax, ECM repairs them', async () => {
    const r = await webfaxReceives(DOC1, { modem: 'v29', ecm: true, extra: ['--line-in', 'loss=0.003,seed=2'] });
    expect(r.us.status_text).toBe('OK');
    expect(r.us.ecm_retries).toBeGreaterThan(0);
    expect(r.cmp?.identical).toBe(true);
  });
});
