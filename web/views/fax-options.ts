/**
 * The fax options shared by the Send/Receive and Loopback views: local identifier, ECM, allowed
 * modems, and the document to send (PDF, PNG, JPEG or TIFF).
 */
import type { FaxDocument, FaxOptions } from '../api';
import { h } from '../dom';

export interface OptionsForm {
  element: HTMLElement;
  read(): FaxOptions;
}

export function faxOptionsForm(prefix: string, defaultIdent: string): OptionsForm {
  const ident = h('input', { type: 'text', id: `${prefix}-ident`, value: defaultIdent, maxlength: 20, pattern: '[0-9+ ]{0,20}', inputmode: 'tel', autocomplete: 'off' });
  const ecm = h('input', { type: 'checkbox', id: `${prefix}-ecm`, checked: true });
  const modems = [['v17', 'V.17 (14400)'], ['v29', 'V.29 (9600)'], ['v27', 'V.27ter (4800)']].map(([v, label]) =>
    [v!, label!, h('input', { type: 'checkbox', id: `${prefix}-modem-${v}`, value: v!, checked: true })] as const);
  const element = h('fieldset', {},
    h('legend', {}, 'Fax options'),
    h('label', { class: 'block' }, 'Local identifier (TSI/CSI, up to 20 digits, + and spaces)', ident),
    h('div', { class: 'row' }, h('label', {}, ecm, 'Error correction (ECM)')),
    h('div', { role: 'group', 'aria-label': 'Allowed modems' }, h('span', { class: 'small muted' }, 'Modems: '),
      ...modems.map(([, label, box]) => h('label', {}, box, label))));
  return {
    element,
    read: () => ({
      ident: ident.value.replace(/[^0-9+ ]/g, '').slice(0, 20),
      ecm: ecm.checked,
      modems: modems.filter(([, , b]) => b.checked).map(([v]) => v),
    }),
  };
}

export interface DocumentPicker {
  element: HTMLElement;
  read(): Promise<FaxDocument | undefined>;
}

export function documentPicker(prefix: string): DocumentPicker {
  const file = h('input', { type: 'file', id: `${prefix}-doc`, accept: '.pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/png,image/jpeg,image/tiff' });
  const element = h('label', { class: 'block' }, 'Document to send (PDF, PNG, JPEG or TIFF)', file);
  return {
    element,
    async read() {
      const f = file.files?.[0];
      if (!f) return undefined;
      return { name: f.name, type: f.type, bytes: await f.arrayBuffer() };
    },
  };
}
