import { describe, it, expect } from 'vitest';
import { crc16, appendFcs, checkFcs } from '../../core/hdlc/crc16';
import { HdlcTx, hdlcMessageBits } from '../../core/hdlc/hdlc-tx';
import { HdlcRx, type HdlcRxEvent } from '../../core/hdlc/hdlc-rx';
import { END_OF_DATA } from '../../core/modems/types';

// Small deterministic PRNG so failures reproduce.
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function deframe(bits: ArrayLike<number>) {
  const frames: { frame: Uint8Array; ok: boolean }[] = [];
  const events: HdlcRxEvent[] = [];
  const rx = new HdlcRx((frame, ok) => frames.push({ frame, ok }), (e) => events.push(e));
  for (let i = 0; i < bits.length; i++) rx.putBit(bits[i]!);
  return { frames, events };
}

describe('CRC-16 (X.25)', () => {
  it('matches the catalogued check value of "123456789"', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x906e);
  });
  it('verifies a frame with its FCS and rejects a changed one', () => {
    const f = appendFcs(Uint8Array.from([0xff, 0x13, 0x83, 0x00, 0x06, 0xf8, 0x44]));
    expect(checkFcs(f)).toBe(true);
    f[3] ^= 0x10;
    expect(checkFcs(f)).toBe(false);
  });
});

describe('HDLC framer and deframer', () => {
  it('stuffs a 0 after five 1s, so no flag appears inside a frame', () => {
    const bits = hdlcMessageBits([Uint8Array.from([0xff, 0xff, 0xff, 0x7e, 0x7e])], { preambleFlags: 1, closingFlags: 1 });
    const s = Array.from(bits).join('');
    // one opening flag, one closing flag, nothing in between with six 1s
    const inner = s.slice(8, s.length - 8);
    expect(inner.includes('111111')).toBe(false);
    expect(s.startsWith('01111110')).toBe(true);
    expect(s.endsWith('01111110')).toBe(true);
  });

  it('sends the preamble, the frames and END_OF_DATA', () => {
    const tx = new HdlcTx();
    tx.sendMessage([Uint8Array.from([0xff, 0x13, 0x84])], { preambleFlags: 38 });
    let n = 0;
    while (tx.getBit() !== END_OF_DATA) n++;
    // 38 preamble flags + (3 + 2) bytes + stuffing + 2 closing flags
    expect(n).toBeGreaterThanOrEqual(38 * 8 + 40 + 16);
    expect(n).toBeLessThan(38 * 8 + 40 + 16 + 10);
    expect(tx.done).toBe(true);
    expect(tx.getBit()).toBe(END_OF_DATA);
  });

  it('round-trips random multi-frame messages exactly, with good FCS', () => {
    const r = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const frames: Uint8Array[] = [];
      const count = 1 + Math.floor(r() * 4);
      for (let k = 0; k < count; k++) {
        const len = 3 + Math.floor(r() * 60);
        const f = new Uint8Array(len);
        for (let i = 0; i < len; i++) f[i] = r() < 0.3 ? 0xff : Math.floor(r() * 256);
        frames.push(f);
      }
      const bits = hdlcMessageBits(frames, { preambleFlags: 4, interFrameFlags: 1 + (trial % 3) });
      const got = deframe(bits).frames;
      expect(got.length).toBe(frames.length);
      got.forEach((g, i) => {
        expect(g.ok).toBe(true);
        expect(Array.from(g.frame)).toEqual(Array.from(frames[i]!));
      });
    }
  });

  it('handles flags that share their zero (011111101111110...)', () => {
    const frame = appendFcs(Uint8Array.from([0xff, 0x13, 0xfb]));
    const bits: number[] = [];
    const flagShared = [0, 1, 1, 1, 1, 1, 1];
    for (let i = 0; i < 5; i++) bits.push(...flagShared);
    bits.push(0);
    let ones = 0;
    for (const byte of frame) for (let b = 0; b < 8; b++) {
      const bit = (byte >> b) & 1;
      bits.push(bit);
      ones = bit ? ones + 1 : 0;
      if (ones === 5) { bits.push(0); ones = 0; }
    }
    bits.push(0, 1, 1, 1, 1, 1, 1, 0);
    const got = deframe(bits);
    expect(got.frames.length).toBe(1);
    expect(got.frames[0]!.ok).toBe(true);
    expect(got.events.some((e) => e.kind === 'framing-ok')).toBe(true);
  });

  it('reports a frame with a flipped bit as bad FCS instead of dropping it', () => {
    const frame = Uint8Array.from([0xff, 0x13, 0x80, 0x00, 0xce, 0xf4]);
    const bits = hdlcMessageBits([frame], { preambleFlags: 4 });
    // flip a data bit well inside the frame (after 4 flags = 32 bits); choose one not creating flags
    const copy = Uint8Array.from(bits);
    copy[32 + 20] ^= 1;
    const got = deframe(copy).frames;
    expect(got.length).toBe(1);
    expect(got[0]!.ok).toBe(false);
  });

  it('reports an abort (seven 1s) inside a frame', () => {
    const bits = Array.from(hdlcMessageBits([Uint8Array.from([0x01, 0x02, 0x03, 0x04, 0x05, 0x06])], { preambleFlags: 3 }));
    bits.splice(24 + 20, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    const got = deframe(bits);
    expect(got.events.some((e) => e.kind === 'abort')).toBe(true);
    expect(got.frames.filter((f) => f.ok).length).toBe(0);
  });

  it('never throws and stays bounded on random bits and random bytes', () => {
    const r = rng(99);
    const rx = new HdlcRx(() => {}, () => {}, { maxBytes: 64 });
    for (let i = 0; i < 300000; i++) rx.putBit(r() < 0.5 ? 0 : 1);
    // biased toward long runs of 1s and flag-like patterns
    for (let i = 0; i < 100000; i++) {
      const byte = r() < 0.5 ? 0x7e : Math.floor(r() * 256);
      for (let b = 0; b < 8; b++) rx.putBit((byte >> b) & 1);
    }
    rx.putBit(-5);
    rx.putBit(2);
    expect(rx.bitCount).toBe(300000 + 800000);
  });

  it('reports over-long frames as bad-frame events', () => {
    const f = new Uint8Array(100).fill(0x55);
    const bits = hdlcMessageBits([f], { preambleFlags: 2 });
    const events: HdlcRxEvent[] = [];
    const frames: Uint8Array[] = [];
    const rx = new HdlcRx((fr) => frames.push(fr), (e) => events.push(e), { maxBytes: 50 });
    for (const b of bits) rx.putBit(b);
    expect(frames.length).toBe(0);
    expect(events.some((e) => e.kind === 'bad-frame' && e.reason === 'too-long')).toBe(true);
  });
});
