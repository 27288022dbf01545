/**
 * Greyscale resampling and page fitting. Resampling is separable (across, then down): shrinking
 * averages the source area each output pixel covers (box filter, so thin strokes fade to grey
 * instead of vanishing), enlarging interpolates linearly between pixel centres. The weights are
 * computed once per axis; the per-pixel loops only multiply and add.
 *
 * Page fitting puts an image on a fax page of 1728 pels at 204 dpi and the chosen paper length
 * and resolution: `page` shrinks or enlarges it to fit inside the page keeping its physical aspect
 * ratio (centred across, top aligned, padded white to the full length); `width` fills the scan
 * width and splits whatever is longer than one page over several pages.
 */
import { strideOf, type BilevelImage } from '../t4/image';
import { createGrey, type GreyImage } from './raster';
import { FAX_WIDTH, FAX_XDPI, pageLines, resolutionYDpi, type Paper, type Resolution } from './geometry';

/** For each output index: first source index, tap count, and the taps' weights (summing to 1). */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  weights: Float32Array;
}

function axisWeights(srcLen: number, dstLen: number): AxisWeights {
  const start = new Int32Array(dstLen);
  const count = new Int32Array(dstLen);
  const offset = new Int32Array(dstLen);
  const scale = srcLen / dstLen;
  const w: number[] = [];
  for (let i = 0; i < dstLen; i++) {
    offset[i] = w.length;
    if (scale >= 1) {
      // Area average over [a, b) in source pixels.
      const a = i * scale;
      const b = Math.min(srcLen, (i + 1) * scale);
      const s0 = Math.floor(a);
      const s1 = Math.min(srcLen - 1, Math.ceil(b) - 1);
      start[i] = s0;
      count[i] = s1 - s0 + 1;
      for (let s = s0; s <= s1; s++) w.push((Math.min(b, s + 1) - Math.max(a, s)) / (b - a));
    } else {
      // Linear between the two nearest source pixel centres.
      const c = Math.min(srcLen - 1, Math.max(0, (i + 0.5) * scale - 0.5));
      const s0 = Math.min(srcLen - 1, Math.floor(c));
      const f = c - s0;
      start[i] = s0;
      if (s0 + 1 < srcLen && f > 0) {
        count[i] = 2;
        w.push(1 - f, f);
      } else {
        count[i] = 1;
        w.push(1);
      }
    }
  }
  return { start, count, offset, weights: Float32Array.from(w) };
}

/** Resample `src` to `width` x `height` pixels (its dpi scaled to match). */
export function resample(src: GreyImage, width: number, height: number): GreyImage {
  if (width < 1 || height < 1) throw new Error(`cannot resample to ${width}x${height}`);
  if (width === src.width && height === src.height) return src;
  const ax = axisWeights(src.width, width);
  const ay = axisWeights(src.height, height);
  // Across: src.height rows of `width` floats.
  const mid = new Float32Array(width * src.height);
  for (let y = 0; y < src.height; y++) {
    const s = y * src.width;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      const st = ax.start[x]!, n = ax.count[x]!, off = ax.offset[x]!;
      for (let k = 0; k < n; k++) acc += src.data[s + st + k]! * ax.weights[off + k]!;
      mid[o + x] = acc;
    }
  }
  // Down.
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const st = ay.start[y]!, n = ay.count[y]!, off = ay.offset[y]!;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += mid[(st + k) * width + x]! * ay.weights[off + k]!;
      out[o + x] = acc < 0 ? 0 : acc > 255 ? 255 : Math.round(acc);
    }
  }
  return {
    width, height, data: out,
    xDpi: src.xDpi ? (src.xDpi * width) / src.width : 0,
    yDpi: src.yDpi ? (src.yDpi * height) / src.height : 0,
  };
}

export type Fit = 'page' | 'width';

export interface FitOptions {
  paper?: Paper;
  resolution?: Resolution;
  fit?: Fit;
}

/** Physical height/width ratio of an image; square pixels when its resolution is unknown. */
function aspect(src: GreyImage): number {
  const xr = src.xDpi > 0 ? src.xDpi : 1;
  const yr = src.yDpi > 0 ? src.yDpi : xr;
  return (src.height / yr) / (src.width / xr);
}

/** Copy `src` into a white page of `w` x `h` at (`x0`, 0). */
function place(src: GreyImage, w: number, h: number, x0: number, xDpi: number, yDpi: number): GreyImage {
  const page = createGrey(w, h, xDpi, yDpi);
  const rows = Math.min(h, src.height);
  for (let y = 0; y < rows; y++) page.data.set(src.data.subarray(y * src.width, y * src.width + src.width), y * w + x0);
  return page;
}

/**
 * Scale a greyscale image onto fax pages (1728 pels at 204 dpi, lines per the resolution).
 * Returns one page for `fit: 'page'`, one or more for `fit: 'width'`.
 */
export function fitToPages(src: GreyImage, opts: FitOptions = {}): GreyImage[] {
  const paper = opts.paper ?? 'a4';
  const res = opts.resolution ?? 'fine';
  const yDpi = resolutionYDpi(res);
  const lines = pageLines(paper, res);
  // Physical page size in inches: scan width and paper length.
  const pageW = FAX_WIDTH / FAX_XDPI;
  const pageH = lines / yDpi;
  const a = aspect(src);
  if ((opts.fit ?? 'page') === 'page') {
    const wIn = Math.min(pageW, pageH / a);
    const w = Math.max(1, Math.min(FAX_WIDTH, Math.round(wIn * FAX_XDPI)));
    const h = Math.max(1, Math.min(lines, Math.round(wIn * a * yDpi)));
    const scaled = resample(src, w, h);
    return [place(scaled, FAX_WIDTH, lines, (FAX_WIDTH - w) >> 1, FAX_XDPI, yDpi)];
  }
  const h = Math.max(1, Math.round(pageW * a * yDpi));
  const scaled = resample(src, FAX_WIDTH, h);
  const pages: GreyImage[] = [];
  for (let y0 = 0; y0 < h; y0 += lines) {
    const n = Math.min(lines, h - y0);
    pages.push({
      width: FAX_WIDTH, height: n, xDpi: FAX_XDPI, yDpi,
      data: scaled.data.slice(y0 * FAX_WIDTH, (y0 + n) * FAX_WIDTH),
    });
  }
  return pages;
}

/**
 * A bilevel page at another line density (e.g. fine to standard) without going through grey:
 * more lines repeat the nearest source line, fewer lines OR together the source lines each one
 * covers, so one-line strokes survive the reduction.
 */
export function rescaleLines(img: BilevelImage, yDpi: number): BilevelImage {
  if (!img.yDpi || img.yDpi === yDpi) return { ...img, yDpi };
  const stride = strideOf(img.width);
  const height = Math.max(1, Math.round((img.height * yDpi) / img.yDpi));
  const data = new Uint8Array(stride * height);
  const scale = img.height / height;
  for (let j = 0; j < height; j++) {
    const o = j * stride;
    if (scale <= 1) {
      const s = Math.min(img.height - 1, Math.floor((j + 0.5) * scale));
      data.set(img.data.subarray(s * stride, s * stride + stride), o);
    } else {
      const s0 = Math.floor(j * scale);
      const s1 = Math.min(img.height, Math.max(s0 + 1, Math.floor((j + 1) * scale)));
      for (let s = s0; s < s1; s++) for (let i = 0; i < stride; i++) data[o + i] |= img.data[s * stride + i]!;
    }
  }
  return { width: img.width, height, data, xDpi: img.xDpi, yDpi };
}
