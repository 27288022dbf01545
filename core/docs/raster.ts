/**
 * A greyscale raster: the common currency between document decoders (PNG, JPEG, PDF, PGM) and the
 * page preparation steps (scale to fax width, dither to bilevel). One byte per pixel, row-major,
 * 0 = black, 255 = white (paper), so "no ink" is the natural fill. Resolution is optional: a
 * decoder fills it when the file says (PNG pHYs, PDF render dpi); 0 means unknown.
 */
import { strideOf, type BilevelImage } from '../t4/image';

export interface GreyImage {
  width: number;
  height: number;
  /** width * height bytes, 0 = black .. 255 = white. */
  data: Uint8Array;
  /** Pixels per inch across and down; 0 when unknown. */
  xDpi: number;
  yDpi: number;
}

export function createGrey(width: number, height: number, xDpi = 0, yDpi = 0): GreyImage {
  const data = new Uint8Array(width * height);
  data.fill(255);
  return { width, height, data, xDpi, yDpi };
}

/** Luma (ITU-R BT.601 weights, integer) of interleaved 8-bit RGB or RGBA, alpha composited on white. */
export function greyFromRgba(src: Uint8Array, width: number, height: number, channels: 3 | 4): GreyImage {
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += channels) {
    const y = (src[j]! * 299 + src[j + 1]! * 587 + src[j + 2]! * 114) / 1000;
    if (channels === 4) {
      const a = src[j + 3]!;
      out[i] = Math.round((y * a + 255 * (255 - a)) / 255);
    } else {
      out[i] = Math.round(y);
    }
  }
  return { width, height, data: out, xDpi: 0, yDpi: 0 };
}

/** A bilevel page as greyscale (black 0, white 255), e.g. to rescale it. */
export function greyFromBilevel(img: BilevelImage): GreyImage {
  const { width, height } = img;
  const stride = strideOf(width);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      out[o + x] = (img.data[row + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 0 : 255;
    }
  }
  return { width, height, data: out, xDpi: img.xDpi, yDpi: img.yDpi };
}

/** True when every pixel is pure black or pure white (a bilevel source that needs no dithering). */
export function isBilevelGrey(g: GreyImage): boolean {
  const d = g.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0 && d[i] !== 255) return false;
  return true;
}

/** Plain threshold to bilevel: pixels darker than `level` become black. */
export function thresholdGrey(g: GreyImage, level = 128, xDpi = g.xDpi, yDpi = g.yDpi): BilevelImage {
  const { width, height } = g;
  const stride = strideOf(width);
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const s = y * width;
    const o = y * stride;
    for (let x = 0; x < width; x++) {
      if (g.data[s + x]! < level) data[o + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { width, height, data, xDpi, yDpi };
}
