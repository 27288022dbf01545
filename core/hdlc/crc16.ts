/**
 * CRC-16 of ITU-T V.42 / X.25 / HDLC, the frame check sequence (FCS) of T.30 frames.
 * Polynomial x^16 + x^12 + x^5 + 1, processed LSB first (reflected form 0x8408), register
 * preset to 0xFFFF, result complemented. On the line the FCS goes low byte first, so running
 * the (uncomplemented) register over frame + FCS leaves the fixed residue 0xF0B8.
 */

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[i] = c;
  }
  return t;
}

/** Initial register value. */
export const CRC16_INIT = 0xffff;
/** Register value after a frame and its own (correct) FCS have been run through `crc16Update`. */
export const CRC16_GOOD_RESIDUE = 0xf0b8;

/** Advance the register by one byte. */
export function crc16Byte(crc: number, byte: number): number {
  return (crc >>> 8) ^ TABLE[(crc ^ byte) & 0xff]!;
}

/** Advance the register over `data[start..end)`. */
export function crc16Update(crc: number, data: Uint8Array, start = 0, end = data.length): number {
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]!) & 0xff]!;
  return crc;
}

/** The FCS value (already complemented) of `data[start..end)`; send `fcs & 0xff` first. */
export function crc16(data: Uint8Array, start = 0, end = data.length): number {
  return ~crc16Update(CRC16_INIT, data, start, end) & 0xffff;
}

/** A copy of `frame` with its two FCS bytes appended (low byte first). */
export function appendFcs(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length + 2);
  out.set(frame);
  const fcs = crc16(frame);
  out[frame.length] = fcs & 0xff;
  out[frame.length + 1] = fcs >>> 8;
  return out;
}

/** True when the last two bytes of `bytes` are a correct FCS of the bytes before them. */
export function checkFcs(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  if (end - start < 2) return false;
  return crc16Update(CRC16_INIT, bytes, start, end) === CRC16_GOOD_RESIDUE;
}
