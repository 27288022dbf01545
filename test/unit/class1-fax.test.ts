// Whole fax calls through Class 1: two T.30 engines, each driving a Class 1 driver, each driver
// talking T.31 bytes to a simulated modem, the two modems joined by the simulated line. The page
// must arrive pixel-identical (against the TIFF read independently), with and without ECM, and
// an ECM call must repair frames the line corrupts (PPR) and still deliver the page intact.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Class1Modem, type Class1Transport } from '../../core/class1/driver';
import { SimClass1Modem, simLine, simTransport, type LineMessage } from '../../core/class1/sim-modem';
import { runClass1Call } from '../../core/class1/fax-call';
import { zeroRun, modulationOf } from '../../core/class1/fax-io';
import { readTiff } from '../../core/formats/tiff';
import type { BilevelImage } from '../../core/t4/image';
import { fixture } from '../helpers/peers';

const setTimer: Class1Transport['setTimer'] = (ms, fn) => { const id = setTimeout(fn, ms); return () => clearTimeout(id); };
const every = (ms: number, fn: () => void): (() => void) => { const id = setInterval(fn, ms); return () => clearInterval(id); };

async function call(pages: BilevelImage[], ecm: boolean, tamper?: (m: LineMessage) => LineMessage) {
  const [a, b] = simLine({ setTimer });
  if (tamper) a.tamper = tamper;
  const simA = new SimClass1Modem(a), simB = new SimClass1Modem(b);
  const tA = simTransport(simA, setTimer), tB = simTransport(simB, setTimer);
  const mA = new Class1Modem(tA), mB = new Class1Modem(tB);
  tA.attach((x) => mA.receive(x));
  tB.attach((x) => mB.receive(x));
  await mA.init();
  await mB.init();
  const received: BilevelImage[] = [];
  const logA: string[] = [], logB: string[] = [];
  const [ra, rb] = await Promise.all([
    runClass1Call(mA, { role: 'calling', direction: 'send', pages, ecm, number: '5550100', ident: '+1 555 0100', every, log: (l) => logA.push(l) }),
    runClass1Call(mB, { role: 'answering', direction: 'receive', ecm, ident: '+1 555 0199', every, onPage: (p) => received.push(p.image), log: (l) => logB.push(l) }),
  ]);
  return { ra, rb, received, logA, logB, simA };
}

const chart = (): BilevelImage => readTiff(new Uint8Array(readFileSync(fixture('pages', 'chart_std_1p_g3-1d.tif'))))[0]!.image;

describe('T.30 over Class 1 (simulated modems)', () => {
  it('helpers: modulation numbers and the TCF zero run', () => {
    expect(modulationOf({ family: 'v29', rate: 9600 })).toBe(96);
    expect(modulationOf({ family: 'v17', rate: 14400 }, true)).toBe(146);
    expect(modulationOf({ family: 'v27ter', rate: 2400 })).toBe(24);
    expect(zeroRun(Uint8Array.from([0, 0, 0x80, 0, 0x01]))).toEqual({ longestZeros: 23, bits: 40 });
  });

  for (const ecm of [false, true]) {
    it(`sends a page ${ecm ? 'with' : 'without'} ECM, pixel-identical`, async () => {
      const page = chart();
      const { ra, rb, received, simA } = await call([page], ecm);
      expect(ra.statusText).toBe('OK');
      expect(rb.statusText).toBe('OK');
      expect(ra.ok && rb.ok).toBe(true);
      expect(rb.ecm).toBe(ecm);
      expect(rb.remoteIdent).toBe('+1 555 0100');
      expect(received.length).toBe(1);
      expect([received[0]!.width, received[0]!.height]).toEqual([page.width, page.height]);
      expect(Buffer.compare(Buffer.from(received[0]!.data), Buffer.from(page.data))).toBe(0);
      // The caller's modem really was driven through Class 1 at a fast modulation.
      expect(simA.commands.some((c) => /^AT\+FT[MH]=(145|146|121|122|97|98|96|72|48|24)$/.test(c))).toBe(true);
      expect(simA.commands[simA.commands.length - 1]).toBe('ATH0');
    }, 60_000);
  }

  it('ECM repairs frames the line corrupts (PPR) and still delivers the page intact', async () => {
    const page = chart();
    let fcd = 0;
    // Corrupt the 3rd and 7th ECM frame of the first transmission only.
    const tamper = (m: LineMessage): LineMessage => {
      if (m.kind !== 'hdlc' || m.mod === 3) return m;
      fcd++;
      return fcd === 3 || fcd === 7 ? { ...m, frame: m.frame.map((x, i) => (i === 10 ? x ^ 0xff : x)) } : m;
    };
    const { ra, rb, received, logA } = await call([page], true, tamper);
    expect(ra.ok && rb.ok).toBe(true);
    expect(Buffer.compare(Buffer.from(received[0]!.data), Buffer.from(page.data))).toBe(0);
    expect(logA.join('\n')).toMatch(/PPR/);
  }, 60_000);
});
