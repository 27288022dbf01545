/**
 * Documents to fax pages: `prepareDocument(bytes, options)` sniffs the input (PDF, PNG, JPEG,
 * PBM, TIFF), turns every page into a bilevel fax page and applies HylaFAX's finishing steps.
 *
 * How: `loadDocument` decodes to source pages, either bilevel (TIFF, PBM, 1-bit PNG, PDFs of
 * CCITT images: already fax-like) or greyscale (other PDFs rendered by pdf.js, JPEG, other PNGs). `preparePages` then
 *   - keeps a bilevel page that is already a fax page (1728/2048/2432 pels across) untouched,
 *     only changing its line density when a resolution was asked for or it has none of T.4's;
 *   - fits anything else onto A4/Letter at 204 dpi and the chosen resolution (scale.ts), turning
 *     landscape pages a quarter so they fill the sheet, and makes it bilevel: thresholded if it came from a bilevel image (crisp), dithered if grey;
 *   - chops trailing white space (last page by default, chop.ts) and images the tagline.
 */
import { decode as decodeJpeg } from 'jpeg-js';
import type { BilevelImage } from '../t4/image';
import { decodePng, isPng } from '../formats/png';
import { extractFaxPages, isPdf, rasterisePdf, type PdfjsLike } from '../formats/pdf';
import { readPbm } from '../formats/pbm';
import { readTiff } from '../formats/tiff';
import { greyFromBilevel, greyFromRgba, thresholdGrey, type GreyImage } from './raster';
import { fitToPages, rescaleLines, type Fit } from './scale';
import { dither, type DitherMode } from './dither';
import { chopDocument, type ChopMode } from './chop';
import { applyTagline } from './tagline';
import { exifOrientation, orientGrey } from './orient';
import { FAX_XDPI, nearestResolution, resolutionYDpi, type Paper, type Resolution } from './geometry';

export type DocumentKind = 'pdf' | 'png' | 'jpeg' | 'pbm' | 'tiff';

/** Recognise a document by its first bytes. */
export function sniffDocument(bytes: Uint8Array): DocumentKind | undefined {
  const b = bytes;
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))) return 'tiff';
  if (isPng(b)) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 2 && b[0] === 0x50 && (b[1] === 0x31 || b[1] === 0x34)) return 'pbm';
  if (isPdf(b)) return 'pdf';
  return undefined;
}

/** A decoded page; `damage` says what was wrong with it if the file was damaged (TIFF). */
export type SourcePage = ({ kind: 'bilevel'; image: BilevelImage } | { kind: 'grey'; image: GreyImage }) & { damage?: string };

export interface LoadOptions {
  /** Line density to render PDFs at (default: that of `resolution`, else fine). */
  resolution?: Resolution;
  /** pdf.js for PDFs, or a loader called only when a PDF needs rendering (browsers pass
   *  web/pdf-raster.ts's `loadBrowserPdfjs`); default: pdfjs-dist's legacy build, for Node. */
  pdfjs?: PdfjsLike | (() => Promise<PdfjsLike>);
}

/** Fax widths of T.4: A4, B4, A3 at 8 pels/mm. */
const FAX_WIDTHS = [1728, 2048, 2432];

/** Within 3 % of standard, fine or superfine (TIFFs say 98, 196, 391, 97.79, 100, 200, ...). */
function isFaxYDpi(y: number): boolean {
  return [98, 196, 391].some((r) => Math.abs(y - r) <= r * 0.03);
}

/** Decode a document into its pages, as bilevel where the file is bilevel, else greyscale. */
export async function loadDocument(bytes: Uint8Array, opts: LoadOptions = {}): Promise<SourcePage[]> {
  const kind = sniffDocument(bytes);
  switch (kind) {
    case 'tiff':
      // A damaged page comes back with its bad rows replaced (as a receiver keeps them).
      return readTiff(bytes).map((p) => ({
        kind: 'bilevel', image: p.image,
        damage: p.badRows || p.error ? `${p.badRows} bad row${p.badRows === 1 ? '' : 's'}${p.error ? ` (${p.error})` : ''}` : undefined,
      }));
    case 'pbm':
      return [{ kind: 'bilevel', image: readPbm(bytes, { xDpi: FAX_XDPI, yDpi: 98 }) }];
    case 'png': {
      const png = await decodePng(bytes);
      if (png.bilevel) {
        const g = png.image;
        return [{ kind: 'bilevel', image: thresholdGrey(g, 128, g.xDpi || FAX_XDPI, g.yDpi || (g.xDpi ? g.xDpi : 98)) }];
      }
      return [{ kind: 'grey', image: png.image }];
    }
    case 'jpeg': {
      let raw: { width: number; height: number; data: Uint8Array; exifBuffer?: Uint8Array };
      try {
        raw = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 512 });
      } catch (e) {
        throw new Error(`JPEG: cannot decode (${(e as Error).message})`);
      }
      // Upright as the camera meant it (EXIF Orientation).
      return [{ kind: 'grey', image: orientGrey(greyFromRgba(raw.data, raw.width, raw.height, 4), exifOrientation(raw.exifBuffer)) }];
    }
    case 'pdf': {
      const fax = await extractFaxPages(bytes);
      if (fax) return fax.map((image) => ({ kind: 'bilevel', image }));
      const yDpi = Math.max(196, resolutionYDpi(opts.resolution ?? 'fine'));
      const pages = await rasterisePdf(bytes, { xDpi: FAX_XDPI, yDpi, pdfjs: opts.pdfjs });
      return pages.map((image) => ({ kind: 'grey', image }));
    }
    default:
      throw new Error('unrecognised document (expected PDF, PNG, JPEG, PBM or TIFF)');
  }
}

export interface PrepareOptions extends LoadOptions {
  paper?: Paper;
  /** Output resolution. Unset: fax pages keep theirs, everything else becomes fine. */
  resolution?: Resolution;
  /** With `resolution` unset, keep a fax-width page's line density even if it is not a T.4 one
   *  (format conversion); by default such a page is rescaled to the nearest (to send it). */
  keepLineDensity?: boolean;
  /** How non-fax images go on the page (scale.ts); default 'page'. */
  fit?: Fit;
  /** Landscape pages and images: turned to fill the portrait page ('auto', default) or not. */
  rotate?: 'auto' | 'none';
  /** Greyscale to bilevel: 'auto' (default) dithers grey sources and thresholds bilevel ones. */
  dither?: DitherMode | 'auto';
  /** Tagline format (tagline.ts), e.g. `From %n|%c|Page %p of %t`; none if unset. */
  tagline?: string;
  ident?: string;
  destination?: string;
  date?: Date | string;
  /** Page chop (chop.ts): which pages, and the least white space worth cutting in inches. */
  chop?: ChopMode;
  chopThreshold?: number;
}

/** Wider than tall, physically (pixel aspect from the dpi when known). */
function isLandscape(g: GreyImage): boolean {
  const xr = g.xDpi > 0 ? g.xDpi : 1;
  const yr = g.yDpi > 0 ? g.yDpi : xr;
  return g.width / xr > g.height / yr;
}

/** Source pages to finished fax pages (see the file header). */
export function preparePages(sources: SourcePage[], opts: PrepareOptions = {}): BilevelImage[] {
  const res = opts.resolution;
  let pages: BilevelImage[] = [];
  for (const src of sources) {
    if (src.kind === 'bilevel' && FAX_WIDTHS.includes(src.image.width)) {
      const y = src.image.yDpi;
      // A page at some other line density (200 or 300 lpi TIFFs) goes to the nearest T.4 one.
      const target = res ?? (opts.keepLineDensity || isFaxYDpi(y) ? undefined : nearestResolution(y));
      pages.push(target ? rescaleLines(src.image, resolutionYDpi(target)) : src.image);
      continue;
    }
    let grey = src.kind === 'grey' ? src.image : greyFromBilevel(src.image);
    // A landscape page fits the portrait sheet larger turned a quarter (top to the left edge).
    if ((opts.fit ?? 'page') === 'page' && opts.rotate !== 'none' && isLandscape(grey)) grey = orientGrey(grey, 8);
    const fitted = fitToPages(grey, { paper: opts.paper, resolution: res ?? 'fine', fit: opts.fit });
    const mode: DitherMode = opts.dither === 'threshold' || opts.dither === 'diffuse' ? opts.dither : src.kind === 'bilevel' ? 'threshold' : 'diffuse';
    for (const g of fitted) pages.push(dither(g, { mode }));
  }
  pages = chopDocument(pages, { mode: opts.chop ?? 'last', threshold: opts.chopThreshold });
  if (opts.tagline) {
    const fmt = opts.tagline;
    const info = { ident: opts.ident, destination: opts.destination, date: opts.date ?? new Date(), pages: pages.length };
    pages = pages.map((p, i) => applyTagline(p, fmt, { ...info, page: i + 1 }));
  }
  return pages;
}

/** Any supported document to fax pages: `loadDocument` then `preparePages`. */
export async function prepareDocument(bytes: Uint8Array, opts: PrepareOptions = {}): Promise<BilevelImage[]> {
  const sources = await loadDocument(bytes, opts);
  if (!sources.length) throw new Error('document has no pages');
  return preparePages(sources, opts);
}
