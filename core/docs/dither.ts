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
  /** Threshold for `threshold` mode and for the diffusion decision. */
  level?: number;
}

/** Dither a greyscale page (0 black .. 255 white) to a bilevel fax page with the same dpi. */
export function dither(g: GreyImage, opts: DitherOptions = {}): BilevelImage {
  const level = opts.level ?? 128;
  if ((opts.mode ?? 'diffuse') === 'threshold') return thresholdGrey(g, level);
  const lo = opts.blackBelow ?? 24;
  const hi = opts.whiteAbove ?? 232;
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
