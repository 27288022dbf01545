/**
 * What a running fax call looks like on the page (Send/Receive and Loopback views): a status
 * line, progress per page, the frames exchanged, the result in words, and received pages with
 * download buttons. It consumes the engine's FaxEvents.
 */
import type { FaxEvent, FaxResult, ViewPage } from '../api';
import { h, clear, setStatus } from '../dom';
import { renderPages } from './pages-list';

export interface CallMonitor {
  element: HTMLElement;
  reset(text: string): void;
  event(e: FaxEvent): void;
  fail(text: string): void;
  /** Pages received so far in this call. */
  readonly pages: ViewPage[];
}

export function resultInWords(r: FaxResult): string {
  const how = [r.modem && r.rate ? `${r.modem} ${r.rate} bit/s` : '', r.ecm === undefined ? '' : r.ecm ? 'with ECM' : 'without ECM'].filter(Boolean).join(' ');
  const who = r.remoteIdent ? ` The other side identified itself as \u201c${r.remoteIdent}\u201d.` : '';
  const pages = r.pagesSent ? `${r.pagesSent} page${r.pagesSent === 1 ? '' : 's'} sent` : `${r.pagesReceived} page${r.pagesReceived === 1 ? '' : 's'} received`;
  return r.ok
    ? `The fax went through: ${pages}${how ? ` at ${how}` : ''}, in ${r.seconds.toFixed(1)} s of line time.${who}`
    : `The fax failed: ${r.text} (code ${r.code}). ${pages}${how ? ` at ${how}` : ''} before that.${who}`;
}

export function callMonitor(prefix: string): CallMonitor {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': `${prefix}-status` });
  const progressList = h('div', { 'aria-label': 'Progress per page' });
  const lineTime = h('p', { class: 'small muted', 'data-testid': `${prefix}-line` });
  const result = h('p', { 'data-testid': `${prefix}-result` });
  const log = h('div', { class: 'log', 'aria-label': 'Call log', tabindex: 0, hidden: true });
  const pagesBox = h('div', { 'data-testid': `${prefix}-pages` });
  const pages: ViewPage[] = [];
  const bars = new Map<number, HTMLProgressElement>();

  function bar(page: number): HTMLProgressElement {
    let b = bars.get(page);
    if (!b) {
      b = h('progress', { max: 1, value: 0, 'aria-label': `Page ${page}` });
      bars.set(page, b);
      progressList.append(h('label', { class: 'block small' }, `Page ${page}`, b));
    }
    return b;
  }

  return {
    element: h('section', { class: 'card', 'aria-label': 'Call progress', hidden: true }, status, lineTime, progressList, result,
      h('h3', {}, 'Received pages'), pagesBox, h('details', {}, h('summary', {}, 'Call log (frames exchanged)'), log)),
    pages,
    reset(text) {
      (status.parentElement as HTMLElement).hidden = false;
      setStatus(status, text);
      clear(progressList); clear(result); clear(lineTime); clear(log); clear(pagesBox);
      bars.clear();
      pages.length = 0;
      pagesBox.append(h('p', { class: 'muted' }, 'None yet.'));
      log.hidden = false;
    },
    fail(text) {
      setStatus(status, text, 'bad');
    },
    event(e) {
      switch (e.kind) {
        case 'status': setStatus(status, e.text); break;
        case 'frame': log.append(`${e.dir === 'tx' ? '\u2192' : '\u2190'} ${e.frame.name}${e.frame.fcsOk ? '' : ' (bad FCS)'}${e.frame.fields.length ? `: ${e.frame.fields.map((f) => `${f.name} ${f.value}`).join('; ')}` : ''}\n`); break;
        case 'log': log.append(`${e.text}\n`); break;
        case 'line': lineTime.textContent = `${e.seconds} s of line audio`; break;
        case 'progress': bar(e.page).value = e.fraction; break;
        case 'page':
          pages.push(e.page);
          bar(e.page.index).value = 1;
          clear(pagesBox);
          pagesBox.append(renderPages(pages, 'received'));
          break;
        case 'done':
          setStatus(status, e.result.ok ? 'Call finished.' : 'Call failed.', e.result.ok ? 'ok' : 'bad');
          result.textContent = resultInWords(e.result);
          break;
      }
    },
  };
}
