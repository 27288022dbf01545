/**
 * PRBS-23 (x^23 + x^18 + 1, as ITU-T O.151) exactly as the spandsp peer's modemtx/modemrx use it:
 * 23-bit register r = seed & 0x7FFFFF (0 -> 1); per bit b = ((r>>22) ^ (r>>17)) & 1,
 * r = ((r<<1) | b) & 0x7FFFFF; output b. Bytes of a bit stream go LSB first.
 */
export class Prbs23 {
  private r = 1;

  constructor(seed = 1) {
    this.restart(seed);
  }

  restart(seed = 1): void {
    const r = seed & 0x7fffff;
    this.r = r === 0 ? 1 : r;
  }

  next(): number {
    const b = ((this.r >>> 22) ^ (this.r >>> 17)) & 1;
    this.r = ((this.r << 1) | b) & 0x7fffff;
    return b;
  }
}

/** `n` PRBS-23 bits as a Uint8Array of 0/1. */
export function prbsBits(seed: number, n: number): Uint8Array {
  const p = new Prbs23(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = p.next();
  return out;
}

/** Pack 0/1 bits into bytes, LSB first (the last byte zero-padded). */
export function packBitsLsbFirst(bits: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** Unpack bytes into 0/1 bits, LSB first. */
export function unpackBitsLsbFirst(bytes: ArrayLike<number>, nBits = bytes.length * 8): Uint8Array {
  const out = new Uint8Array(nBits);
  for (let i = 0; i < nBits; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return out;
}
