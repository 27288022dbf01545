/** ECM block and PPR bitmap logic (core/t30/ecm.ts). */
import { describe, it, expect } from 'vitest';
import { cutIntoBlocks, bitmapOf, framesInBitmap, EcmTxBlock, EcmRxBlock, fcdFrame } from '../../core/t30/ecm';

describe('ECM blocks', () => {
  it('cuts pages into 256-frame blocks and pads the last frame', () => {
    const data = new Uint8Array(256 * 300 + 10).map((_, i) => i & 0xff);
    const blocks = cutIntoBlocks(data, 256);
    expect(blocks.map((b) => b.length)).toEqual([256, 45]);
    expect(blocks[1]![44]!.subarray(0, 10)).toEqual(data.subarray(256 * 300));
    expect(blocks[1]![44]!.subarray(10).every((b) => b === 0)).toBe(true);
    expect(cutIntoBlocks(new Uint8Array(100), 64)[0]!.length).toBe(2);
  });

  it('PPR bitmaps: bit i of the map is frame i, LSB first', () => {
    const map = bitmapOf([0, 9, 255]);
    expect(map.length).toBe(32);
    expect(map[0]).toBe(0x01);
    expect(map[1]).toBe(0x02);
    expect(map[31]).toBe(0x80);
    expect(framesInBitmap(map, 256)).toEqual([0, 9, 255]);
    expect(framesInBitmap(map, 100)).toEqual([0, 9]);
  });

  it('sender resends only what the receiver asks for; receiver reassembles in order', () => {
    const data = new Uint8Array(64 * 10).map((_, i) => (i * 7) & 0xff);
    const [frames] = cutIntoBlocks(data, 64);
    const tx = new EcmTxBlock(frames!);
    const rx = new EcmRxBlock();
    let burst = tx.burst();
    expect(burst.length).toBe(10 + 3);
    // Frames 3 and 7 are lost.
    for (const f of burst) if (f[2] === 0x06 && f[3] !== 3 && f[3] !== 7) rx.store(f[3]!, f.subarray(4));
    rx.notePpsCount(10);
    expect(rx.missing()).toEqual([3, 7]);
    expect(tx.applyPpr(rx.pprMap())).toBe(2);
    burst = tx.burst();
    expect(burst.filter((f) => f[2] === 0x06).map((f) => f[3])).toEqual([3, 7]);
    for (const f of burst) if (f[2] === 0x06) rx.store(f[3]!, f.subarray(4));
    rx.notePpsCount(2); // a retransmission burst may quote fewer frames: the count only grows
    expect(rx.missing()).toEqual([]);
    expect(rx.assemble()).toEqual(data);
    expect(tx.applyPpr(rx.pprMap())).toBe(0);
  });

  it('a frame of the wrong length is asked for again', () => {
    const rx = new EcmRxBlock();
    rx.store(0, new Uint8Array(256));
    rx.store(1, new Uint8Array(200));
    rx.store(2, new Uint8Array(256));
    rx.notePpsCount(3);
    expect(rx.missing()).toEqual([1]);
    expect(fcdFrame(5, Uint8Array.of(1, 2))).toEqual(Uint8Array.of(0xff, 0x03, 0x06, 5, 1, 2));
  });
});
