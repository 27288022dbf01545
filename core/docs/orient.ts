/**
 * Camera photos: JPEGs store the sensor's rows and say in EXIF (tag 0x0112, Orientation 1..8)
 * how to turn them for display. `exifOrientation` reads that tag from the APP1 payload;
 * `orientGrey` applies it, so a portrait phone photo is faxed upright.
 */
import type { GreyImage } from './raster';

/** Orientation (1..8) from an EXIF payload (TIFF structure, optionally after "Exif\0\0"); 1 if absent. */
export function exifOrientation(exif: Uint8Array | undefined): number {
  if (!exif) return 1;
  // Find the TIFF header ("II*\0" or "MM\0*") near the start.
  let t = -1;
  for (let i = 0; i + 4 <= Math.min(exif.length, 16); i++) {
    if ((exif[i] === 0x49 && exif[i + 1] === 0x49 && exif[i + 2] === 0x2a && exif[i + 3] === 0) || (exif[i] === 0x4d && exif[i + 1] === 0x4d && exif[i + 2] === 0 && exif[i + 3] === 0x2a)) { t = i; break; }
  }
  if (t < 0) return 1;
  const le = exif[t] === 0x49;
  const u16 = (o: number) => (o + 2 > exif.length ? -1 : le ? exif[o]! | (exif[o + 1]! << 8) : (exif[o]! << 8) | exif[o + 1]!);
  const u32 = (o: number) => (o + 4 > exif.length ? -1 : le ? (u16(o) | (u16(o + 2) << 16)) >>> 0 : ((u16(o) << 16) | u16(o + 2)) >>> 0);
  const ifd = t + u32(t + 4);
  const n = u16(ifd);
  if (n < 0 || n > 1000) return 1;
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

/** `g` turned for display per EXIF orientation `o` (5..8 swap width and height). */
export function orientGrey(g: GreyImage, o: number): GreyImage {
  if (o < 2 || o > 8) return g;
  const { width: w, height: h, data } = g;
  const swap = o >= 5;
  const W = swap ? h : w, H = swap ? w : h;
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let sx: number, sy: number;
      switch (o) {
        case 2: sx = w - 1 - x; sy = y; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sx = x; sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        default: sx = w - 1 - y; sy = x; // 8
      }
      out[y * W + x] = data[sy * w + sx]!;
    }
  }
  return { width: W, height: H, data: out, xDpi: swap ? g.yDpi : g.xDpi, yDpi: swap ? g.xDpi : g.yDpi };
}
