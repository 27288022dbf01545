/**
 * Loopback view: this tab and another tab of the same browser fax each other over a simulated
 * phone line (core/loopback/lockstep.ts over a BroadcastChannel, optional impairments). One tab
 * calls and sends a document, the other answers and receives it.
 */
import type { FaxJob, LineSettings } from '../api';
import { getEngine, Comlink } from '../engine-client';
import { h } from '../dom';
import { faxOptionsForm, documentPicker } from './fax-options';
import { callMonitor } from './call-monitor';

export function mountLoopbackView(root: HTMLElement): void {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const startAs = params.get('role') === 'receive' ? 'receive' : 'send';
  const roleSend = h('input', { type: 'radio', name: 'lb-role', value: 'send', checked: startAs === 'send' });
  const roleRecv = h('input', { type: 'radio', name: 'lb-role', value: 'receive', checked: startAs === 'receive' });
  const doc = documentPicker('lb');
  const opts = faxOptionsForm('lb', '');
  const room = h('input', { type: 'text', id: 'lb-room', value: params.get('room') ?? 'webfax', maxlength: 40 });
  const noise = h('input', { type: 'number', id: 'lb-noise', placeholder: 'none', step: 1, max: 0, min: -90 });
  const gain = h('input', { type: 'number', id: 'lb-gain', value: 0, step: 1, min: -40, max: 10 });
  const offset = h('input', { type: 'number', id: 'lb-offset', value: 0, step: 1, min: -20, max: 20 });
  const start = h('button', { type: 'button', 'data-testid': 'lb-start' }, 'Start');
  const stop = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Hang up');
  const monitor = callMonitor('lb');
  const other = h('a', { href: `#loopback?role=${startAs === 'send' ? 'receive' : 'send'}&room=webfax`, target: '_blank', rel: 'noopener' }, 'open a second tab');

  const syncRole = (): void => {
    const sending = roleSend.checked;
    doc.element.hidden = !sending;
    other.setAttribute('href', `#loopback?role=${sending ? 'receive' : 'send'}&room=${encodeURIComponent(room.value)}`);
    (opts.element.querySelector('input[type=text]') as HTMLInputElement).value ||= sending ? '+1 555 0100' : '+1 555 0199';
  };
  roleSend.addEventListener('change', syncRole);
  roleRecv.addEventListener('change', syncRole);
  room.addEventListener('input', syncRole);

  root.append(
    h('h2', {}, 'Loopback between tabs'),
    h('p', { class: 'muted' }, 'Two tabs of this browser fax each other over a simulated phone line: 20 ms blocks of 8 kHz audio pass between them, as fast as they can be computed. Set one tab to send and the other to receive, then press Start in both (', other, ').'),
    h('div', { class: 'grid2' },
      h('div', { class: 'card' },
        h('fieldset', {}, h('legend', {}, 'This tab'),
          h('label', {}, roleSend, 'Calls and sends a document'),
          h('label', {}, roleRecv, 'Answers and receives')),
        doc.element,
        h('label', { class: 'block' }, 'Line name (both tabs must use the same)', room)),
      h('div', { class: 'card' },
        opts.element,
        h('fieldset', {}, h('legend', {}, 'Line impairments (what this tab hears)'),
          h('label', {}, 'Noise (dBm0) ', noise),
          h('label', {}, 'Gain (dB) ', gain),
          h('label', {}, 'Frequency offset (Hz) ', offset)))),
    h('div', { class: 'row' }, start, stop),
    monitor.element);
  syncRole();

  start.addEventListener('click', async () => {
    const sending = roleSend.checked;
    const document_ = sending ? await doc.read() : undefined;
    if (sending && !document_) { monitor.reset(''); monitor.fail('Choose a document to send first.'); return; }
    const job: FaxJob = { ...opts.read(), role: sending ? 'send' : 'receive', calling: sending, document: document_ };
    const line: LineSettings = {
      noiseDbm0: noise.value === '' ? null : Number(noise.value),
      gainDb: Number(gain.value) || 0,
      offsetHz: Number(offset.value) || 0,
    };
    monitor.reset('Waiting for the other tab\u2026');
    start.disabled = true;
    stop.disabled = false;
    try {
      await getEngine().startLoopback(job, `webfax-loopback:${room.value}`, line, Comlink.proxy((e) => {
        monitor.event(e);
        if (e.kind === 'done') { start.disabled = false; stop.disabled = true; }
      }));
    } catch (e) {
      monitor.fail(`Could not start: ${e instanceof Error ? e.message : String(e)}`);
      start.disabled = false;
      stop.disabled = true;
    }
  });
  stop.addEventListener('click', async () => {
    await getEngine().hangup();
    monitor.fail('Hung up.');
    start.disabled = false;
    stop.disabled = true;
  });
}
