/**
 * ECM reassembly in the analyser's fast side (core/decode/fast.ts), driven directly: FCD frames
 * of a T.6 page arrive with holes, the sender's PPS, a retransmission after PPR, EOR when it
 * gives up, CTC; the page must be the chart exactly when whole, and flagged when frames are gone.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { readTiff } from '../../core/formats/tiff';
import { encodeImage } from '../../core/t4/encode';
import { FastListener, type PageInfo } from '../../core/decode/fast';
import { defaultDcsParams } from '../../core/t30/dis';

const chart = readTiff(new Uint8Array(readFileSync(fixture('pages', 'chart_std_1p_g3-1d.tif'))))[0]!.image;

function setup() {
  const pages: PageInfo[] = [];
  const fl = new FastListener(0, () => {}, (p) => pages.push(p));
  fl.setDcs({ ...defaultDcsParams(), modem: 'V.17', bitRate: 14400, ecm: true, t6: true, width: 1728 });
  // MMR in line order (LSB first), cut into 256-octet FCD frames.
  const line = encodeImage(chart, { coding: 'mmr' }); // FillOrder 2: line order already
  const frames: Uint8Array[] = [];
  for (let i = 0; i < line.length; i += 256) {
    const f = new Uint8Array(4 + 256);
    f.set([0xff, 0x03, 0x06, frames.length]);
    f.set(line.subarray(i, i + 256), 4);
    frames.push(f);
  }
  const feed = (f: Uint8Array) => (fl as unknown as { ecmFrame(f: Uint8Array, ok: boolean): void }).ecmFrame(f, true);
  return { fl, pages, frames, feed };
}

describe('decode: ECM reassembly', () => {
  it('a block with a hole waits for the PPR repeat, then the page is exact', () => {
    const { fl, pages, frames, feed } = setup();
    expect(frames.length).toBeLessThan(256);
    frames.forEach((f, i) => { if (i !== 3 && i !== 7) feed(f); });
    expect(fl.endOfBlock(0, 0, frames.length, 'EOP')).toEqual([3, 7]);
    expect(pages.length).toBe(0);
    feed(frames[7]!);
    feed(frames[3]!);
    expect(fl.endOfBlock(0, 0, frames.length, 'EOP')).toEqual([]);
    expect(fl.endOfBlock(0, 0, frames.length, 'EOP')).toEqual([]); // a repeated PPS adds nothing
    expect(pages.length).toBe(1);
    expect(pages[0]!.badRows).toBe(0);
    expect(pages[0]!.image.height).toBe(chart.height);
    expect(Buffer.from(pages[0]!.image.data).equals(Buffer.from(chart.data))).toBe(true);
  });

  it('EOR closes a block with frames missing: the page comes out, flagged', () => {
    const { fl, pages, frames, feed } = setup();
    frames.forEach((f, i) => { if (i !== 5) feed(f); });
    expect(fl.endOfBlock(0, 0, frames.length, 'EOP')).toEqual([5]);
    fl.continueToCorrect({ ...defaultDcsParams(), modem: 'V.17', bitRate: 12000 });
    expect(fl.endOfBlock(0, 0, frames.length, 'EOP')).toEqual([5]); // CTC keeps what was received
    fl.endOfRetransmission('EOP');
    expect(pages.length).toBe(1);
    expect(pages[0]!.error).toMatch(/never received.*0:5/);
    expect(pages[0]!.badRows + (chart.height - pages[0]!.rows)).toBeGreaterThan(0);
  });
});
