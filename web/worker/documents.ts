/**
 * Pages -> PDF (core/formats/pdf.ts: MMR images at their true size) or TIFF-F, for the download
 * buttons. Runs in the engine worker.
 */
import type { ViewPage } from '../api';
import type { BilevelImage } from '../../core/t4/image';
import { encodePdf } from '../../core/formats/pdf';

export function toBilevel(p: ViewPage): BilevelImage {
  return { width: p.width, height: p.height, data: p.data, xDpi: p.xDpi, yDpi: p.yDpi };
}

export async function makeDocument(kind: 'pdf' | 'tiff', pages: ViewPage[]): Promise<Uint8Array> {
  if (pages.length === 0) throw new Error('there are no pages');
  if (kind === 'pdf') return encodePdf(pages.map(toBilevel), { title: 'webfax' });
  throw new Error('TIFF output is not in this build yet');
}
