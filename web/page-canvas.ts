/**
 * Draws a fax page (packed 1-bit rows, 1 = black) on a canvas at its native size; CSS stretches
 * it to the page's true aspect ratio (fax pixels are not square: 204 x 98 dpi at standard).
 */
import type { ViewPage } from './api';

export function pageCanvas(page: ViewPage): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, page.width);
  canvas.height = Math.max(1, page.height);
  const ctx = canvas.getContext('2d');
  if (ctx && page.width > 0 && page.height > 0) {
    const img = ctx.createImageData(page.width, page.height);
    unpackToRgba(page.data, page.width, page.height, img.data);
    ctx.putImageData(img, 0, 0);
  }
  const aspect = (page.width / page.xDpi) / (page.height / page.yDpi);
  canvas.style.aspectRatio = String(aspect);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `Page ${page.index}: ${page.width} by ${page.height} pixels`);
  return canvas;
}

/** 1-bit MSB-first rows -> RGBA (black on white). */
export function unpackToRgba(bits: Uint8Array, width: number, height: number, out: Uint8ClampedArray): void {
  const stride = (width + 7) >> 3;
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    let o = y * width * 4;
    for (let x = 0; x < width; x++, o += 4) {
      const black = (bits[row + (x >> 3)]! >> (7 - (x & 7))) & 1;
      const v = black ? 0 : 255;
      out[o] = v; out[o + 1] = v; out[o + 2] = v; out[o + 3] = 255;
    }
  }
}

export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
