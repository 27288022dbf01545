/**
 * core's call and page types -> the page's view types (used by the worker for audio calls and
 * by the Send view for Class 1 calls, which run on the main thread beside Web Serial).
 */
import type { FaxResult, ViewPage } from './api';
import type { CallResult } from '../core/t30/results';
import type { ReceivedPage } from '../core/fax/endpoint';
import type { BilevelImage } from '../core/t4/image';

export function toViewPage(p: ReceivedPage): ViewPage {
  const img = p.image;
  return {
    index: p.pageNo, width: img.width, height: img.height, xDpi: img.xDpi, yDpi: img.yDpi, badRows: p.badRows, data: img.data,
    note: `${p.coding}${p.ecm ? ', ECM' : ''}, ${p.verdict}`,
  };
}

export function imageToViewPage(img: BilevelImage, index: number): ViewPage {
  return { index, width: img.width, height: img.height, xDpi: img.xDpi, yDpi: img.yDpi, badRows: 0, data: img.data };
}

export function toBilevel(p: ViewPage): BilevelImage {
  return { width: p.width, height: p.height, data: p.data, xDpi: p.xDpi, yDpi: p.yDpi };
}

export function toFaxResult(r: CallResult): FaxResult {
  return {
    ok: r.ok, code: r.status, text: r.statusText, pagesSent: r.pagesConfirmed || r.pagesSent, pagesReceived: r.pagesReceived,
    modem: r.modem ?? undefined, rate: r.bitRate || undefined, ecm: r.modem ? r.ecm : undefined,
    remoteIdent: r.remoteIdent || undefined, seconds: r.endSample / 8000,
  };
}
