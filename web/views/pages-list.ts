/**
 * A grid of fax pages (decoded or received) with a PNG download per page and PDF / TIFF-F
 * downloads of all of them (made by the engine worker from the packed rows).
 */
import type { ViewPage } from '../api';
import { h, download } from '../dom';
import { pageCanvas, canvasPng } from '../page-canvas';
import { getEngine } from '../engine-client';

export function renderPages(pages: ViewPage[], base: string): HTMLElement {
  if (pages.length === 0) return h('p', { class: 'muted' }, 'No pages.');
  const grid = h('div', { class: 'pages', 'data-testid': 'page-list' });
  for (const p of pages) grid.append(pageFigure(p, base));
  const status = h('span', { class: 'small muted', role: 'status' });
  const docButton = (kind: 'pdf' | 'tiff', label: string): HTMLButtonElement => h('button', {
    type: 'button', class: 'secondary',
    onclick: async () => {
      try {
        const bytes = await getEngine().makeDocument(kind, pages);
        download(`${base}.${kind === 'pdf' ? 'pdf' : 'tif'}`, bytes as Uint8Array<ArrayBuffer>, kind === 'pdf' ? 'application/pdf' : 'image/tiff');
        status.textContent = '';
      } catch (e) {
        status.textContent = `Could not make the ${label}: ${e instanceof Error ? e.message : String(e)}`;
      }
    },
  }, `Download ${label}`);
  return h('div', {}, h('div', { class: 'row' }, docButton('pdf', 'PDF'), docButton('tiff', 'TIFF-F'), status), grid);
}

export function pageFigure(p: ViewPage, base: string): HTMLElement {
  const canvas = pageCanvas(p);
  return h('figure', { 'data-page': p.index },
    canvas,
    h('figcaption', {},
      `Page ${p.index}: ${p.width}\u00d7${p.height}, ${p.xDpi}\u00d7${p.yDpi} dpi`, p.badRows ? `, ${p.badRows} bad rows` : '', p.note ? ` (${p.note})` : '', ' ',
      h('button', { type: 'button', class: 'secondary small', 'aria-label': `Download page ${p.index} as PNG`, onclick: async () => download(`${base}-page-${p.index}.png`, await canvasPng(canvas), 'image/png') }, 'PNG')));
}
