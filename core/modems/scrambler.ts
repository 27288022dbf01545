/**
 * Self-synchronising scramblers of the fax modems, one bit at a time.
 *
 * - Scrambler23: 1 + x^-18 + x^-23 (V.29, V.17, V.32): out = in ^ s[18] ^ s[23], the register
 *   shifts in the line bit. The descrambler shifts in the received line bit, so it locks after
 *   23 correct bits whatever its start state.
 * - V27terScrambler: 1 + x^-6 + x^-7 with V.27ter's guard against repeating patterns: a counter
 *   of bits since the line bit last differed from the bits 8, 9 and 12 before it; at 33 the next
 *   line bit is inverted (spandsp's reading of the recommendation; the peer must agree).
 * - trainingScrambler7(): the 1 + x^-6 + x^-7 generator V.29 uses to pick C/D in segment 3.
 * Register conventions follow spandsp so that start states (0x2A, 0x3C) mean the same thing.
 */

export class Scrambler23 {
  reg = 0;

  restart(reg = 0): void {
    this.reg = reg;
  }

  scramble(bit: number): number {
    const out = (bit ^ (this.reg >>> 17) ^ (this.reg >>> 22)) & 1;
    this.reg = ((this.reg << 1) | out) & 0x7fffff;
    return out;
  }

  descramble(bit: number): number {
    const out = (bit ^ (this.reg >>> 17) ^ (this.reg >>> 22)) & 1;
    this.reg = ((this.reg << 1) | (bit & 1)) & 0x7fffff;
    return out;
  }
}

export class V27terScrambler {
  reg = 0;
  count = 0;

  restart(reg = 0x3c): void {
    this.reg = reg;
    this.count = 0;
  }

  /** The guard: true when the line bit differs from the line bits 8, 9 and 12 ago. */
  private guardReset(lineBit: number): boolean {
    const r = this.reg;
    return ((((r >>> 7) ^ lineBit) & ((r >>> 8) ^ lineBit) & ((r >>> 11) ^ lineBit)) & 1) === 1;
  }

  scramble(bit: number): number {
    let out = (bit ^ (this.reg >>> 5) ^ (this.reg >>> 6)) & 1;
    if (this.count >= 33) {
      out ^= 1;
      this.count = 0;
    } else if (this.guardReset(out)) this.count = 0;
    else this.count++;
    this.reg = ((this.reg << 1) | out) & 0xfff;
    return out;
  }

  descramble(bit: number): number {
    const inBit = bit & 1;
    let out = (inBit ^ (this.reg >>> 5) ^ (this.reg >>> 6)) & 1;
    if (this.count >= 33) {
      out ^= 1;
      this.count = 0;
    } else if (this.guardReset(inBit)) this.count = 0;
    else this.count++;
    this.reg = ((this.reg << 1) | inBit) & 0xfff;
    return out;
  }
}

/** One step of the 7-bit 1 + x^-6 + x^-7 training generator; returns [bit, nextReg] packed as bit | reg << 1. */
export function trainingScrambler7(reg: number): number {
  const bit = reg & 1;
  let r = reg >>> 1;
  r |= ((bit ^ r) & 1) << 6;
  return bit | (r << 1);
}
