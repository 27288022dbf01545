/**
 * Whole fax calls with webfax receiving V.17 14400 from spandsp (`faxpeer --send`) over impaired
 * lines (spandsp's linemodel via the relay, --line-in = only the direction webfax hears).
 * Oracle: the call succeeds and the received page is pixel-identical (tiffpagecmp).
 * Continuous noise at -42 dBm0 on that direction is also there during every V.21 exchange; spandsp's
 * own receiver fails calls with noise above about -46 dBm0 (peer README, gotcha 10).
 */
import { describe, it, expect } from 'vitest';
import { webfaxReceives, DOC1 } from './faxpeer-util';

describe.concurrent('spandsp -> webfax, V.17 14400 over impaired lines', () => {
  const lines: [string, string, boolean][] = [
    ['+7 Hz offset, +100 ppm clock', 'offset=7,ppm=100', false],
    ['-7 Hz offset, -100 ppm clock, 10 dB loss', 'offset=-7,ppm=-100,gain=-10', false],
    ['continuous noise at -42 dBm0 (28 dB SNR)', 'noise=-42,seed=3', false],
    ['20 dB talker echo at 1 ms', 'echo=-20@1', true],
  ];
  for (const [name, spec, ecm] of lines) {
    it(`${name}, ECM=${ecm}`, async () => {
      const r = await webfaxReceives(DOC1, { modem: 'v17', ecm, extra: ['--line-in', spec] });
      expect(r.us.status_text).toBe('OK');
      expect(r.us.modem).toBe('V.17');
      expect(r.us.bit_rate).toBe(14400);
      expect(r.cmp?.identical).toBe(true);
    });
  }
});
