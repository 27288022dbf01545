/**
 * Row helpers shared by the T.4/T.6 encoder and decoder: a packed row (BilevelImage layout, MSB
 * first, 1 = black) <-> its list of changing elements, and byte bit-reversal for FillOrder 2.
 *
 * Changing elements (T.4 4.2.1.3.1): the pixel positions where the colour differs from the pixel
 * before, starting from an imaginary white pixel left of the row. So element 0 is the first black
 * pixel, element 1 the next white one, ...: an even index is a change to black, an odd one to
 * white. Lists are padded with the row width as sentinels so b1/b2 lookups never run off the end.
 */

/** Sentinel slots kept after the last changing element. */
export const CHANGE_SENTINELS = 4;

/** Size an Int32Array must have to hold the changes of a row of `width` pixels plus sentinels. */
export function changesCapacity(width: number): number {
  return width + 1 + CHANGE_SENTINELS;
}

/**
 * Changing elements of the packed row at `data[offset ..]` into `out`; returns how many, and
 * writes `width` into the sentinel slots after them. Whole bytes of one colour are skipped.
 */
export function findChanges(data: Uint8Array, offset: number, width: number, out: Int32Array): number {
  let n = 0;
  let x = 0;
  let invert = 0; // 0 while looking for black, 0xff while looking for white
  while (x < width) {
    let idx = offset + (x >> 3);
    let b = ((data[idx] ^ invert) << (x & 7)) & 0xff;
    if (b === 0) {
      // Rest of this byte is the current colour: skip to the next byte, then whole bytes.
      x = (x | 7) + 1;
      idx++;
      while (x < width && (data[idx] ^ invert) === 0) { x += 8; idx++; }
      if (x >= width) break;
      b = data[idx] ^ invert;
    }
    x += Math.clz32(b) - 24;
    if (x >= width) break;
    out[n++] = x;
    invert ^= 0xff;
  }
  for (let i = 0; i < CHANGE_SENTINELS; i++) out[n + i] = width;
  return n;
}

/** Set pixels [start, end) of the packed row at `data[offset ..]` to black. */
export function fillBlack(data: Uint8Array, offset: number, start: number, end: number): void {
  if (end <= start) return;
  const first = start >> 3;
  const last = (end - 1) >> 3;
  const headMask = 0xff >> (start & 7);
  const tailMask = (0xff << (7 - ((end - 1) & 7))) & 0xff;
  if (first === last) {
    data[offset + first] |= headMask & tailMask;
    return;
  }
  data[offset + first] |= headMask;
  for (let i = first + 1; i < last; i++) data[offset + i] = 0xff;
  data[offset + last] |= tailMask;
}

/** Render `count` changing elements into the packed row at `data[offset ..]` (cleared first). */
export function renderChanges(changes: Int32Array, count: number, width: number, data: Uint8Array, offset: number): void {
  const stride = (width + 7) >> 3;
  data.fill(0, offset, offset + stride);
  for (let i = 0; i < count; i += 2) {
    const end = i + 1 < count ? changes[i + 1] : width;
    fillBlack(data, offset, changes[i], end);
  }
}

/** REVERSE[b] = b with its bit order reversed (FillOrder 1 <-> 2). */
export const REVERSE = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let b = 0; b < 8; b++) if (i & (1 << b)) r |= 0x80 >> b;
  REVERSE[i] = r;
}

/** Reverse the bit order of every byte of `bytes` in place; returns it. */
export function reverseBits(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) bytes[i] = REVERSE[bytes[i]];
  return bytes;
}
