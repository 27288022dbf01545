/**
 * pdf.js for the browser, as core/formats/pdf.ts's `rasterisePdf` wants it (`PdfjsLike`): works
 * on the main thread and inside the engine worker. Core's default (pdfjs-dist's legacy build) is
 * for Node; in a page pdf.js needs three things set up by the app:
 *   - its own worker script, whose URL vite resolves (`?url`); inside a worker we start it;
 *   - in a web worker there is no `document`: canvases come from OffscreenCanvas, SVG filters are
 *     skipped (a no-op filter factory), and fonts are drawn as paths (`disableFontFace`), so the
 *     14 standard fonts' data must be fetchable: vite emits pdfjs-dist's standard_fonts/ files as
 *     assets and a small factory maps pdf.js's file names to their URLs (the same for its wasm
 *     decoders: CCITT/JBIG2, JPEG 2000, colour management).
 * Usage: `prepareDocument(bytes, { pdfjs: await loadBrowserPdfjs() })`.
 */
import type { PdfjsLike } from '../core/formats/pdf';

const fontUrls = import.meta.glob('../node_modules/pdfjs-dist/standard_fonts/*.{pfb,ttf}', {
  query: '?url', import: 'default', eager: true,
}) as Record<string, string>;
const wasmUrls = import.meta.glob('../node_modules/pdfjs-dist/wasm/*.{wasm,js}', {
  query: '?url', import: 'default', eager: true,
}) as Record<string, string>;

/** pdf.js asks for a file by name (e.g. "FoxitSans.pfb", "jbig2.wasm"); answer with the bytes of the emitted asset. */
function assetFactory(urls: Record<string, string>, what: string) {
  return class {
    constructor(_opts: { baseUrl?: string | null }) {}
    async fetch({ filename }: { filename: string }): Promise<Uint8Array> {
      const key = Object.keys(urls).find((k) => k.endsWith('/' + filename));
      if (!key) throw new Error(`pdf.js ${what} ${filename} is not bundled`);
      const res = await fetch(urls[key]!);
      if (!res.ok) throw new Error(`cannot load ${filename}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    }
  };
}
const AssetStandardFontDataFactory = assetFactory(fontUrls, 'standard font');
const AssetWasmFactory = assetFactory(wasmUrls, 'wasm module');

interface CanvasAndContext {
  canvas: OffscreenCanvas | null;
  context: OffscreenCanvasRenderingContext2D | null;
}

/** Canvases without a DOM (inside a worker). */
class OffscreenCanvasFactory {
  constructor(_opts: unknown) {}
  create(width: number, height: number): CanvasAndContext {
    if (width <= 0 || height <= 0) throw new Error('Invalid canvas size');
    const canvas = new OffscreenCanvas(width, height);
    return { canvas, context: canvas.getContext('2d', { willReadFrequently: true }) };
  }
  reset(cc: CanvasAndContext, width: number, height: number): void {
    if (!cc.canvas) throw new Error('Canvas is not specified');
    cc.canvas.width = width;
    cc.canvas.height = height;
  }
  destroy(cc: CanvasAndContext): void {
    if (cc.canvas) { cc.canvas.width = 0; cc.canvas.height = 0; }
    cc.canvas = null;
    cc.context = null;
  }
}

/** SVG filters need a document; without one pdf.js draws unfiltered (as it does in Node). */
class NoFilterFactory {
  constructor(_opts: unknown) {}
  addFilter(): string { return 'none'; }
  addHCMFilter(): string { return 'none'; }
  addAlphaFilter(): string { return 'none'; }
  addLuminosityFilter(): string { return 'none'; }
  addHighlightHCMFilter(): string { return 'none'; }
  destroy(): void {}
}

let loaded: Promise<PdfjsLike> | undefined;

/** pdf.js set up for this context (window or worker); loaded once, on first use. */
export function loadBrowserPdfjs(): Promise<PdfjsLike> {
  loaded ??= (async () => {
    const [pdfjs, worker] = await Promise.all([
      import('pdfjs-dist'),
      import('pdfjs-dist/build/pdf.worker.min.mjs?url'),
    ]);
    const workerSrc = (worker as { default: string }).default;
    pdfjs.GlobalWorkerOptions.workerSrc = workerSrc;
    const inWorker = typeof (globalThis as { document?: unknown }).document === 'undefined';
    // pdf.js starts its own worker through `window.location`, which a worker lacks, and then
    // silently runs its parser in this thread instead; so hand it a worker we started (kept for
    // every document: the loading task does not own it).
    const pdfWorker = inWorker ? pdfjs.PDFWorker.create({ port: new Worker(workerSrc, { type: 'module' }) }) : undefined;
    return {
      getDocument(src) {
        return pdfjs.getDocument({
          ...src,
          useWorkerFetch: false,
          standardFontDataUrl: 'bundled/',
          StandardFontDataFactory: AssetStandardFontDataFactory,
          wasmUrl: 'bundled/',
          WasmFactory: AssetWasmFactory,
          ...(inWorker ? { worker: pdfWorker, CanvasFactory: OffscreenCanvasFactory, FilterFactory: NoFilterFactory, disableFontFace: true, isOffscreenCanvasSupported: true } : {}),
        } as Parameters<typeof pdfjs.getDocument>[0]) as unknown as ReturnType<PdfjsLike['getDocument']>;
      },
    };
  })();
  return loaded;
}
