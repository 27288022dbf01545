/**
 * The webfax page: three views behind tabs (Send & receive, Loopback between tabs, Decode a
 * recording), chosen by the URL hash so each can be linked and the back button works. Views are
 * built on first visit; heavy work goes to the engine worker (engine-client.ts).
 */
import { mountSendView } from './views/send';
import { mountLoopbackView } from './views/loopback';
import { mountDecodeView } from './views/decode';
import { registerOffline } from './offline';

type ViewName = 'send' | 'loopback' | 'decode';
const views: Record<ViewName, (root: HTMLElement) => void> = {
  send: mountSendView,
  loopback: mountLoopbackView,
  decode: mountDecodeView,
};
const mounted = new Set<ViewName>();

function current(): ViewName {
  const name = location.hash.replace(/^#/, '').split('?')[0];
  return name === 'loopback' || name === 'decode' ? name : 'send';
}

function show(name: ViewName, focus: boolean): void {
  for (const v of Object.keys(views) as ViewName[]) {
    const panel = document.getElementById(`view-${v}`)!;
    const tab = document.getElementById(`tab-${v}`)!;
    const on = v === name;
    panel.hidden = !on;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    if (on && !mounted.has(v)) {
      mounted.add(v);
      views[v](panel);
    }
  }
  document.title = `webfax: ${document.getElementById(`tab-${name}`)!.querySelector('strong')!.textContent}`;
  if (focus) document.getElementById('main')!.focus();
}

// Arrow keys move between tabs (WAI-ARIA tabs pattern).
document.querySelector('.tabs')!.addEventListener('keydown', (e) => {
  const ev = e as KeyboardEvent;
  if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
  const names = Object.keys(views) as ViewName[];
  const i = names.indexOf(current());
  const next = names[(i + (ev.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length]!;
  location.hash = next;
  document.getElementById(`tab-${next}`)!.focus();
});

window.addEventListener('hashchange', () => show(current(), true));
show(current(), false);
registerOffline();

// For the e2e tests: render a PDF with this page's own pdf.js set-up (web/pdf-raster.ts), so a
// test can check how the app's PDFs render in the browser. Loaded only when called.
(window as unknown as { webfaxRenderPdf: unknown }).webfaxRenderPdf = async (bytes: Uint8Array, xDpi: number, yDpi: number) => {
  const [{ rasterisePdf }, { loadBrowserPdfjs }] = await Promise.all([import('../core/formats/pdf'), import('./pdf-raster')]);
  const pages = await rasterisePdf(bytes, { xDpi, yDpi, pdfjs: loadBrowserPdfjs });
  return pages.map((g) => ({ width: g.width, height: g.height, data: g.data }));
};
