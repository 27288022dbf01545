/**
 * Tiny DOM helpers for the views: build elements from tag + attributes + children, save a blob
 * as a download, and format numbers for people. No framework; every view is plain DOM.
 */
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/** Offer bytes as a file download (an object URL, revoked after the click). */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function seconds(t: number): string {
  return `${t.toFixed(2)} s`;
}

/** Set a status line's text and its tone (ok / bad / warn / plain). */
export function setStatus(el: HTMLElement, text: string, tone: '' | 'ok' | 'bad' | 'warn' = ''): void {
  el.textContent = text;
  el.className = `status ${tone}`.trim();
}
