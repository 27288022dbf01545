/**
 * Page chop, as HylaFAX does it: drop the trailing white space at the bottom of a page so the
 * modem does not spend seconds sending blank paper. A page is cut just below its last row with
 * ink, but only when at least `threshold` inches of white would go (HylaFAX's
 * PageChopThreshold, default 3); by default only the last page of a document is chopped.
 */
import { strideOf, type BilevelImage } from '../t4/image';

export type ChopMode = 'last' | 'all' | 'none';

export interface ChopOptions {
  mode?: ChopMode;
  /** Minimum trailing white, in inches, worth chopping. */
  threshold?: number;
}

/** Number of all-white rows at the bottom of `img`. */
export function trailingWhiteRows(img: BilevelImage): number {
  const stride = strideOf(img.width);
  // Pad bits past `width` in the last byte are ignored.
  const tailMask = img.width & 7 ? (0xff << (8 - (img.width & 7))) & 0xff : 0xff;
  for (let y = img.height - 1; y >= 0; y--) {
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const b = i === stride - 1 ? img.data[row + i]! & tailMask : img.data[row + i]!;
      if (b) return img.height - 1 - y;
    }
  }
  return img.height;
}

/** `img` without its trailing white rows if there are at least `threshold` inches of them (keeps >= 1 row). */
export function chopPage(img: BilevelImage, threshold = 3): BilevelImage {
  const white = trailingWhiteRows(img);
  if (white === 0 || white < threshold * img.yDpi) return img;
  const height = Math.max(1, img.height - white);
  return { ...img, height, data: img.data.slice(0, height * strideOf(img.width)) };
}

/** Chop the pages of a document per `opts.mode` (default: the last page only). */
export function chopDocument(pages: BilevelImage[], opts: ChopOptions = {}): BilevelImage[] {
  const mode = opts.mode ?? 'last';
  const threshold = opts.threshold ?? 3;
  if (mode === 'none') return pages;
  return pages.map((p, i) => (mode === 'all' || i === pages.length - 1 ? chopPage(p, threshold) : p));
}
