/**
 * PDF out and in.
 *
 * Out (`encodePdf`): one page per fax page, each page a single image XObject holding the page's
 * own MMR (T.6) data under `/Filter /CCITTFaxDecode` with `/K -1` (or MH / MR on request), so a PDF costs little more
 * than the fax itself (a typical page is tens of kilobytes, not the megabytes of a flate-packed
 * bitmap). The page's size in points comes from the image's pels and its resolution, so 1728
 * pels at 204 dpi is 8.47 in wide, and rendering at the image's own dpi gives back its pels.
 * Bits are MSB first as PDF filters read them; `/BlackIs1` stays false (CCITT 1 bits come out as
 * sample 0, black in DeviceGray), which is how every viewer reads faxes.
 *
 * In, fax PDFs (`extractFaxPages`): a page that is nothing but one CCITT image drawn over the
 * whole page (what webfax, tiff2pdf and most fax software write) is read back losslessly: the
 * CCITT data is decoded with our own T.4/T.6 decoder and the dpi follows from the page size.
 *
 * In, any PDF (`rasterisePdf`): pdf.js renders each page onto a canvas from its own canvas factory (the
 * DOM's in a browser; in Node, pdf.js's legacy build uses @napi-rs/canvas, a Skia build shipped
 * inside the npm package) and the RGBA pixels become a greyscale raster at the asked dpi. The
 * pdf.js module is loaded on demand; a browser passes its own (worker already set up).
 */
import { PDFArray, PDFBool, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFStream, decodePDFRawStream } from 'pdf-lib';
import { encodeImage, type Coding } from '../t4/encode';
import { decodeImage } from '../t4/decode';
import type { BilevelImage } from '../t4/image';
import { greyFromRgba, type GreyImage } from '../docs/raster';

export function isPdf(bytes: Uint8Array): boolean {
  // "%PDF-" may follow a little junk; readers allow it within the first 1024 bytes.
  const n = Math.min(bytes.length - 4, 1024);
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d) return true;
  }
  return false;
}

export interface PdfWriteOptions {
  /** CCITT coding of the page images: 'mmr' (T.6, K -1, default and smallest), 'mr' (T.4 2-D,
   *  K 4) or 'mh' (T.4 1-D, K 0); T.4 streams carry their EOLs and RTC (EndOfLine true). */
  coding?: Coding;
  title?: string;
  /** Fixed creation date, e.g. for reproducible output. */
  date?: Date;
}

/** A PDF with one page per fax page, each an MMR-coded CCITTFaxDecode image at its true size. */
export async function encodePdf(pages: BilevelImage[], opts: PdfWriteOptions = {}): Promise<Uint8Array> {
  if (!pages.length) throw new Error('PDF: no pages to write');
  const doc = await PDFDocument.create();
  doc.setProducer('webfax');
  doc.setCreator('webfax');
  if (opts.title) doc.setTitle(opts.title);
  const date = opts.date ?? new Date();
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  for (const img of pages) {
    if (img.width < 1 || img.height < 1) throw new Error(`PDF: cannot write an empty ${img.width}x${img.height} page`);
    const xDpi = img.xDpi > 0 ? img.xDpi : 204;
    const yDpi = img.yDpi > 0 ? img.yDpi : 98;
    const coding = opts.coding ?? 'mmr';
    const K = coding === 'mmr' ? -1 : coding === 'mr' ? 4 : 0;
    const coded = encodeImage(img, { coding, k: K > 0 ? K : undefined, fillOrder: 1 });
    const ctx = doc.context;
    const xobj = ctx.register(
      ctx.stream(coded, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: img.width,
        Height: img.height,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 1,
        Filter: 'CCITTFaxDecode',
        DecodeParms: K < 0
          ? { K, Columns: img.width, Rows: img.height, BlackIs1: false }
          : { K, Columns: img.width, Rows: img.height, BlackIs1: false, EndOfLine: true },
      }),
    );
    // Rounded down to 1/10000 pt: rasterisers round the page up to whole pixels, and a size a
    // hair over W x H pels would give them an extra column or row.
    const w = Math.floor((img.width * 72 * 1e4) / xDpi) / 1e4;
    const h = Math.floor((img.height * 72 * 1e4) / yDpi) / 1e4;
    const page = doc.addPage([w, h]);
    page.node.setXObject(PDFName.of('Fax'), xobj);
    // Image space is the unit square: scale it to the page, then paint.
    const content = ctx.register(ctx.stream(`q ${fmt(w)} 0 0 ${fmt(h)} 0 0 cm /Fax Do Q`));
    page.node.set(PDFName.of('Contents'), content);
  }
  return doc.save({ useObjectStreams: true });
}

function fmt(n: number): string {
  return String(n);
}

// ---- rasterising with pdf.js -------------------------------------------------------------------

/** The parts of pdf.js this module uses (typed loosely so core needs no DOM types). */
export interface PdfjsLike {
  getDocument(src: { data: Uint8Array; isEvalSupported?: boolean; verbosity?: number; useSystemFonts?: boolean; disableFontFace?: boolean }): { promise: Promise<PdfDocLike>; destroy(): Promise<void> };
}
interface PdfDocLike {
  numPages: number;
  canvasFactory: { create(w: number, h: number): { canvas: unknown; context: Ctx2d } };
  getPage(n: number): Promise<PdfPageLike>;
  destroy(): Promise<void>;
}
interface PdfPageLike {
  getViewport(p: { scale: number }): { width: number; height: number };
  render(p: { canvas: unknown; canvasContext?: unknown; viewport: unknown; transform?: number[]; background?: string }): { promise: Promise<void> };
  cleanup(): void;
}
interface Ctx2d {
  getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number } };
}

export interface RasteriseOptions {
  /** Render resolution across and down, dots per inch. Default 204 x 196. */
  xDpi?: number;
  yDpi?: number;
  /** Pages to render (1-based); default all. */
  pages?: number[];
  /** The pdf.js module to use, or a loader for it; default: pdfjs-dist's legacy build (Node). */
  pdfjs?: PdfjsLike | (() => Promise<PdfjsLike>);
  /** Refuse pages larger than this many pixels (a hostile MediaBox), default 64 M. */
  maxPixels?: number;
}

/** Node's pdf.js. The specifier is a variable so bundlers leave it out of browser builds
 *  (browsers pass their own, see web/pdf-raster.ts). */
const NODE_PDFJS = 'pdfjs-dist/legacy/build/pdf.mjs';
async function defaultPdfjs(): Promise<PdfjsLike> {
  try {
    return (await import(/* @vite-ignore */ NODE_PDFJS)) as PdfjsLike;
  } catch (e) {
    throw new Error(`PDF: pdf.js is not available here (${(e as Error).message}); pass one in the options`);
  }
}

/** Render the pages of a PDF to greyscale rasters (white background) at the asked resolution. */
export async function rasterisePdf(bytes: Uint8Array, opts: RasteriseOptions = {}): Promise<GreyImage[]> {
  const xDpi = opts.xDpi ?? 204;
  const yDpi = opts.yDpi ?? 196;
  const maxPixels = opts.maxPixels ?? 64 << 20;
  const pdfjs = typeof opts.pdfjs === 'function' ? await opts.pdfjs() : opts.pdfjs ?? (await defaultPdfjs());
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 });
  let doc: PdfDocLike;
  try {
    doc = await task.promise;
  } catch (e) {
    throw new Error(`PDF: cannot open (${(e as Error).message})`);
  }
  try {
    const list = opts.pages ?? Array.from({ length: doc.numPages }, (_, i) => i + 1);
    const out: GreyImage[] = [];
    for (const n of list) {
      if (n < 1 || n > doc.numPages) throw new Error(`PDF: no page ${n} (it has ${doc.numPages})`);
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: xDpi / 72 });
      const sy = yDpi / xDpi;
      const w = Math.max(1, Math.round(viewport.width));
      const h = Math.max(1, Math.round(viewport.height * sy));
      if (w * h > maxPixels) throw new Error(`PDF: page ${n} is too large to render (${w}x${h})`);
      const { canvas, context } = doc.canvasFactory.create(w, h);
      await page.render({ canvas, viewport, transform: [1, 0, 0, sy, 0, 0], background: 'rgb(255,255,255)' }).promise;
      const rgba = context.getImageData(0, 0, w, h).data;
      const grey = greyFromRgba(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength), w, h, 4);
      grey.xDpi = xDpi;
      grey.yDpi = yDpi;
      out.push(grey);
      page.cleanup();
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

// ---- fax PDFs read back losslessly -----------------------------------------------------------

function num(d: PDFDict, key: string, fallback: number): number {
  const v = d.lookup(PDFName.of(key));
  return v instanceof PDFNumber ? v.asNumber() : fallback;
}

function bool(d: PDFDict, key: string, fallback: boolean): boolean {
  const v = d.lookup(PDFName.of(key));
  return v instanceof PDFBool ? v.asBoolean() : fallback;
}

/** `q a 0 0 d e f cm /Name Do Q`, the content of a page that only paints one image. */
// `q a 0 0 d e f cm /Name Do Q`; the zeros may be written as 0.0000 (tiff2pdf does).
const PAINT_ONE_IMAGE = /^\s*q\s+([\d.]+)\s+-?0(?:\.0*)?\s+-?0(?:\.0*)?\s+([\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+cm\s+\/([^\s/]+)\s+Do\s+Q\s*$/;

function contentText(doc: PDFDocument, stream: PDFStream | PDFArray | undefined): string | undefined {
  const parts = stream instanceof PDFArray ? stream.asArray().map((r) => doc.context.lookup(r)) : [stream];
  let text = '';
  for (const p of parts) {
    if (!(p instanceof PDFRawStream)) return undefined;
    const bytes = decodePDFRawStream(p).decode();
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
    text += '\n';
  }
  return text;
}

/**
 * The pages of a fax PDF, bit for bit, or undefined if any page is more than one full-page CCITT
 * image (the caller then rasterises). Never throws on a malformed PDF: it just says undefined.
 */
export async function extractFaxPages(bytes: Uint8Array): Promise<BilevelImage[] | undefined> {
  let doc: PDFDocument;
  // pdf-lib reports damage with console.log/warn; the rasteriser gives the user the one clear error.
  const con = (globalThis as unknown as { console: { log: unknown; warn: unknown } }).console;
  const saved = [con.log, con.warn];
  con.log = con.warn = () => {};
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return undefined;
  } finally {
    [con.log, con.warn] = saved;
  }
  try {
    const out: BilevelImage[] = [];
    for (const page of doc.getPages()) {
      if (page.getRotation().angle % 360 !== 0) return undefined;
      const m = contentText(doc, page.node.Contents())?.match(PAINT_ONE_IMAGE);
      if (!m) return undefined;
      const [, a, d, e, f, name] = m;
      const box = page.getMediaBox();
      const pw = Number(a), ph = Number(d);
      // The image must cover the page exactly (to a hundredth of a point).
      if (Math.abs(Number(e) - box.x) > 0.01 || Math.abs(Number(f) - box.y) > 0.01 || Math.abs(pw - box.width) > 0.01 || Math.abs(ph - box.height) > 0.01) return undefined;
      const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'));
      if (!(xobjects instanceof PDFDict)) return undefined;
      const img = xobjects.lookup(PDFName.of(name!));
      if (!(img instanceof PDFRawStream)) return undefined;
      const dict = img.dict;
      const filter = dict.lookup(PDFName.of('Filter'));
      const filterName = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter;
      if (!(filterName instanceof PDFName) || filterName.asString() !== '/CCITTFaxDecode') return undefined;
      if (bool(dict, 'ImageMask', false) || num(dict, 'BitsPerComponent', 1) !== 1) return undefined;
      const parmsRaw = dict.lookup(PDFName.of('DecodeParms'));
      const parms = parmsRaw instanceof PDFArray ? parmsRaw.lookup(0) : parmsRaw;
      const p = parms instanceof PDFDict ? parms : doc.context.obj({});
      const k = num(p, 'K', 0);
      const width = num(p, 'Columns', 1728);
      const height = num(dict, 'Height', num(p, 'Rows', 0));
      if (num(dict, 'Width', width) !== width || height < 1) return undefined;
      // PDF's defaults: rows without EOLs (EndOfLine false), not byte-aligned.
      const eol = bool(p, 'EndOfLine', false);
      const byteAlign = bool(p, 'EncodedByteAlign', false);
      // Visible black = coded black, unless BlackIs1 or a [1 0] Decode array flips it (once each).
      const decodeArr = dict.lookup(PDFName.of('Decode'));
      const flipDecode = decodeArr instanceof PDFArray && decodeArr.size() === 2 && (decodeArr.lookup(0) as PDFNumber).asNumber?.() === 1;
      const invert = bool(p, 'BlackIs1', false) !== flipDecode;
      const xDpi = Math.round((width * 72) / pw);
      const yDpi = Math.round((height * 72) / ph);
      const res = decodeImage(img.contents, { width, coding: k < 0 ? 'mmr' : k === 0 ? 'mh' : 'mr', fillOrder: 1, rows: height, xDpi, yDpi, eol: k < 0 ? undefined : eol, byteAlign });
      if (res.badRows > 0 || res.image.height !== height) return undefined;
      if (invert) {
        const data = res.image.data;
        for (let i = 0; i < data.length; i++) data[i] = ~data[i]! & 0xff;
        const tail = width & 7;
        if (tail) for (let y = 0, s = (width + 7) >> 3; y < height; y++) data[y * s + s - 1] &= (0xff << (8 - tail)) & 0xff;
      }
      out.push(res.image);
    }
    return out.length ? out : undefined;
  } catch {
    return undefined;
  }
}
