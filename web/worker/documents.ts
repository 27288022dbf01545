/**
 * Pages -> PDF (core/formats/pdf.ts: MMR images at their true size) or TIFF-F, for the download
 * buttons. Runs in the engine worker.
 */
import type { FaxDocument, ViewPage } from '../api';
import { encodePdf } from '../../core/formats/pdf';
import { writeTiff } from '../../core/formats/tiff';
import { prepareDocument } from '../../core/docs/prepare';
import { loadBrowserPdfjs } from '../pdf-raster';
import { toBilevel, imageToViewPage } from '../results';

/** A document as fax pages (core/docs/prepare: scaled, dithered, chopped). */
export async function preparePages(doc: FaxDocument, ident: string): Promise<ViewPage[]> {
  const pages = await prepareDocument(new Uint8Array(doc.bytes), { ident, pdfjs: loadBrowserPdfjs });
  return pages.map((p, i) => imageToViewPage(p, i + 1));
}

export async function makeDocument(kind: 'pdf' | 'tiff', pages: ViewPage[]): Promise<Uint8Array> {
  if (pages.length === 0) throw new Error('there are no pages');
  if (kind === 'pdf') return encodePdf(pages.map(toBilevel), { title: 'webfax' });
  return writeTiff(pages.map(toBilevel), { compression: 'mmr' });
}
