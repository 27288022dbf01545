/**
 * A bilevel fax page in memory: rows of packed bits, MSB first within each byte (leftmost pixel in
 * bit 7), 1 = black, each row `stride = ceil(width / 8)` bytes. Resolutions are in pixels/lines per
 * inch (fax standard: 204 x 98, fine 204 x 196, superfine 204 x 391).
 */
export interface BilevelImage {
  width: number;
  height: number;
  /** height * stride bytes. */
  data: Uint8Array;
  xDpi: number;
  yDpi: number;
}

export function strideOf(width: number): number {
  return (width + 7) >> 3;
}

export function createImage(width: number, height: number, xDpi = 204, yDpi = 98): BilevelImage {
  return { width, height, data: new Uint8Array(strideOf(width) * height), xDpi, yDpi };
}
