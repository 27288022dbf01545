import { describe, it, expect } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { dither } from '../../core/docs/dither';
import { greyFromRgba, thresholdGrey, type GreyImage } from '../../core/docs/raster';
import { getPel } from '../helpers/pages';
import type { BilevelImage } from '../../core/t4/image';

/** A text and line-art page drawn with Skia's anti-aliasing: grey only along edges. */
function textPage(): GreyImage {
  const w = 1728, h = 600;
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#000';
  ctx.strokeStyle = '#000';
  for (let i = 0; i < 12; i++) {
    ctx.font = `${10 + i * 3}px sans-serif`;
    ctx.fillText('The quick brown fox jumps over the lazy dog 0123456789', 20, 30 + i * 40);
  }
  ctx.lineWidth = 1.5;
  for (let i = 0; i < 20; i++) { ctx.beginPath(); ctx.moveTo(1300, 20 + i * 25); ctx.lineTo(1700, 60 + i * 22); ctx.stroke(); }
  ctx.beginPath(); ctx.arc(1500, 300, 150, 0, 2 * Math.PI); ctx.stroke();
  // Glyph-like strokes at sub-pixel positions and angles (line art even where no font is installed).
  for (let i = 0; i < 60; i++) {
    ctx.save();
    ctx.translate(40 + (i % 20) * 60.3, 520 + Math.floor(i / 20) * 25.7);
    ctx.rotate((i * 0.37) % 1.2 - 0.6);
    ctx.fillRect(0, 0, 2.6 + (i % 4), 18.3);
    ctx.restore();
  }
  const d = ctx.getImageData(0, 0, w, h).data;
  const g = greyFromRgba(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), w, h, 4);
  return { ...g, xDpi: 204, yDpi: 196 };
}

function blackCount(b: BilevelImage): number {
  let n = 0;
  for (let y = 0; y < b.height; y++) for (let x = 0; x < b.width; x++) n += getPel(b, x, y);
  return n;
}

function diffCount(a: BilevelImage, b: BilevelImage): number {
  let n = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) n += getPel(a, x, y) ^ getPel(b, x, y);
  return n;
}

/** Black pels where the source was (nearly) paper white: the halo plain diffusion scatters. */
function halo(b: BilevelImage, g: GreyImage): number {
  let n = 0;
  for (let y = 0; y < g.height; y++) for (let x = 0; x < g.width; x++) if (g.data[y * g.width + x]! >= 240 && getPel(b, x, y)) n++;
  return n;
}

function transitions(b: BilevelImage): number {
  let n = 0;
  for (let y = 0; y < b.height; y++) for (let x = 1; x < b.width; x++) n += getPel(b, x, y) ^ getPel(b, x - 1, y);
  for (let y = 1; y < b.height; y++) for (let x = 0; x < b.width; x++) n += getPel(b, x, y) ^ getPel(b, x, y - 1);
  return n;
}

describe('dithering', () => {
  it('keeps text and line art crisp: close to a threshold render, no specks on the paper', () => {
    const g = textPage();
    const ref = thresholdGrey(g);
    const ours = dither(g);
    const plain = dither(g, { blackBelow: -1, whiteAbove: 256, edgeContrast: 0 }); // textbook Floyd-Steinberg
    const ink = blackCount(ref);
    expect(ink).toBeGreaterThan(10000);
    const oursDiff = diffCount(ours, ref) / ink;
    const plainDiff = diffCount(plain, ref) / ink;
    // Ours: within 2 % of the threshold render, as many edges, nothing on the paper.
    expect(halo(ours, g)).toBe(0);
    expect(oursDiff).toBeLessThan(0.02);
    expect(transitions(ours)).toBeLessThan(transitions(ref) * 1.05);
    // The measures can tell: textbook Floyd-Steinberg on the same page is ragged (measured 17 %, +21 % edges).
    expect(plainDiff).toBeGreaterThan(0.1);
    expect(transitions(plain)).toBeGreaterThan(transitions(ref) * 1.1);
  });

  it('renders a grey ramp monotone in density, close to the grey level', () => {
    const w = 1728, h = 200, bands = 27;
    const data = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = Math.round((x * 255) / (w - 1));
    const b = dither({ width: w, height: h, data, xDpi: 204, yDpi: 196 });
    const bw = w / bands;
    let prev = 2;
    for (let k = 0; k < bands; k++) {
      let n = 0;
      for (let y = 0; y < h; y++) for (let x = k * bw; x < (k + 1) * bw; x++) n += getPel(b, x, y);
      const density = n / (bw * h);
      let mean = 0;
      for (let x = k * bw; x < (k + 1) * bw; x++) mean += data[x]!;
      mean /= bw;
      expect(density).toBeLessThanOrEqual(prev);
      expect(Math.abs(density - (1 - mean / 255))).toBeLessThan(0.1);
      prev = density;
    }
    expect(prev).toBe(0);
  });

  it('keeps a photo recognisable: the dithered page, blurred, follows the original', () => {
    // A smooth "photo": radial shading plus a soft diagonal band.
    const w = 512, h = 512;
    const data = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const r = Math.hypot(x - 200, y - 260) / 360;
      const band = Math.exp(-(((x - y) / 60) ** 2));
      data[y * w + x] = Math.max(0, Math.min(255, Math.round(40 + 200 * r - 80 * band)));
    }
    const b = dither({ width: w, height: h, data, xDpi: 204, yDpi: 196 });
    const B = 16;
    let worst = 0;
    for (let by = 0; by < h; by += B) for (let bx = 0; bx < w; bx += B) {
      let ink = 0, grey = 0;
      for (let y = by; y < by + B; y++) for (let x = bx; x < bx + B; x++) { ink += getPel(b, x, y); grey += data[y * w + x]!; }
      worst = Math.max(worst, Math.abs(ink / (B * B) - (1 - grey / (B * B) / 255)));
    }
    expect(worst).toBeLessThan(0.12);
  });

  it('threshold mode is a plain threshold', () => {
    const g = textPage();
    expect(diffCount(dither(g, { mode: 'threshold' }), thresholdGrey(g))).toBe(0);
  });
});
