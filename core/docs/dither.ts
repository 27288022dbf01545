/**
 * Greyscale to bilevel for fax. Photos need error diffusion to stay recognisable; text and line
 * art must stay crisp, which plain error diffusion spoils by sprinkling dots along every
 * anti-aliased edge and into the paper around it. So this is Floyd-Steinberg (serpentine scan)
 * with one change: pixels that are already nearly black or nearly white are written as such and
 * swallow the error arriving at them instead of passing it on. Paper stays clean, solid strokes
 * stay solid, and only true mid-tones (photos, grey fills, edges) are dithered.
 */
import { strideOf, type BilevelImage } from '../t4/image';
import { thresholdGrey, type GreyImage } from './raster';

export type DitherMode = 'diffuse' | 'threshold';

export interface DitherOptions {
  mode?: DitherMode;
  /** Grey level at or below which a pixel is taken as solid black (no error passed on). */
  blackBelow?: number;
  /** Grey level at or above which a pixel is taken as paper white (no error passed on). */
  whiteAbove?: number;
  /** A pixel whose 3x3 neighbourhood spans at least this much grey is an edge and is thresholded (0: off). */
  edgeContrast?: number;
  /** Threshold for `threshold` mode and for the diffusion decision. */
  level?: number;
}

/** Per pixel, the grey range (max - min) of its 3x3 neighbourhood: a row pass, then a column pass. */
export function localRange(g: GreyImage): Uint8Array {
  const { width: w, height: h, data } = g;
  const hmin = new Uint8Array(w * h);
  const hmax = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++) {
      const a = data[r + (x > 0 ? x - 1 : x)]!, b = data[r + x]!, c = data[r + (x < w - 1 ? x + 1 : x)]!;
      hmin[r + x] = a < b ? (a < c ? a : c) : b < c ? b : c;
      hmax[r + x] = a > b ? (a > c ? a : c) : b > c ? b : c;
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const up = (y > 0 ? y - 1 : y) * w, mid = y * w, dn = (y < h - 1 ? y + 1 : y) * w;
    for (let x = 0; x < w; x++) {
      const lo = Math.min(hmin[up + x]!, hmin[mid + x]!, hmin[dn + x]!);
      const hi = Math.max(hmax[up + x]!, hmax[mid + x]!, hmax[dn + x]!);
      out[mid + x] = hi - lo;
    }
  }
  return out;
}

/** Dither a greyscale page (0 black .. 255 white) to a bilevel fax page with the same dpi. */
export function dither(g: GreyImage, opts: DitherOptions = {}): BilevelImage {
  const level = opts.level ?? 128;
  if ((opts.mode ?? 'diffuse') === 'threshold') return thresholdGrey(g, level);
  const lo = opts.blackBelow ?? 24;
  const hi = opts.whiteAbove ?? 232;
  const edge = opts.edgeContrast ?? 160;
  const range = edge > 0 ? localRange(g) : undefined;
  const { width, height } = g;
  const stride = strideOf(width);
  const out = new Uint8Array(stride * height);
  // Error for this row and the next, with one guard cell at each end.
  let cur = new Float32Array(width + 2);
  let nxt = new Float32Array(width + 2);
  for (let y = 0; y < height; y++) {
    const ltr = (y & 1) === 0;
    const dir = ltr ? 1 : -1;
    const s = y * width;
    const o = y * stride;
    nxt.fill(0);
    for (let i = 0; i < width; i++) {
      const x = ltr ? i : width - 1 - i;
      const v = g.data[s + x]!;
      const c = x + 1; // index into the error rows
      let black: boolean;
      if (v <= lo) {
        black = true;
      } else if (v >= hi) {
        black = false;
      } else if (range && range[s + x]! >= edge) {
        black = v < level; // an anti-aliased edge of text or a line: keep it sharp
      } else {
        const want = v + cur[c]!;
        black = want < level;
        const err = want - (black ? 0 : 255);
        cur[c + dir] += err * (7 / 16);
        nxt[c - dir] += err * (3 / 16);
        nxt[c] += err * (5 / 16);
        nxt[c + dir] += err * (1 / 16);
      }
      if (black) out[o + (x >> 3)] |= 0x80 >> (x & 7);
    }
    const t = cur; cur = nxt; nxt = t;
  }
  return { width, height, data: out, xDpi: g.xDpi, yDpi: g.yDpi };
}
