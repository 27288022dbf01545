/**
 * Send & receive view: a real fax call on a real line. The line is either a USB audio interface
 * (wired to a phone line or an ATA; lines/audio.ts + the line worklet) or a USB Class 1 fax
 * modem (Web Serial; lines/serial.ts + core/class1). The T.30 engine runs in the worker.
 */
import type { FaxJob } from '../api';
import { getEngine, Comlink } from '../engine-client';
import { h, clear, setStatus } from '../dom';
import { faxOptionsForm, documentPicker } from './fax-options';
import { callMonitor } from './call-monitor';
import { listAudioDevices, openAudioLine, type AudioLine } from '../lines/audio';
import { openSerialModem, serialSupported, type SerialLine } from '../lines/serial';
import { MODULATIONS } from '../../core/class1/results';
import { runClass1Call } from '../../core/class1/fax-call';
import type { ModemFamily } from '../../core/t30/negotiate';
import { toBilevel, toFaxResult, toViewPage } from '../results';

const FAMILIES: Record<string, ModemFamily> = { v17: 'v17', v29: 'v29', v27: 'v27ter' };

export function mountSendView(root: HTMLElement): void {
  const lineAudio = h('input', { type: 'radio', name: 'sr-line', value: 'audio', checked: true });
  const lineModem = h('input', { type: 'radio', name: 'sr-line', value: 'modem' });
  const inputSel = h('select', { id: 'sr-input' }, h('option', { value: '' }, 'Default input'));
  const outputSel = h('select', { id: 'sr-output' }, h('option', { value: '' }, 'Default output'));
  const listBtn = h('button', { type: 'button', class: 'secondary' }, 'Find audio devices');
  const audioBox = h('div', {},
    h('label', { class: 'block' }, 'Input (from the line)', inputSel),
    h('label', { class: 'block' }, 'Output (to the line)', outputSel),
    h('div', { class: 'row' }, listBtn),
    h('p', { class: 'small muted' }, 'Voice processing (echo cancellation, noise suppression, automatic gain) is switched off for the call.'));
  const baud = h('select', { id: 'sr-baud' }, ...[115200, 57600, 38400, 19200].map((b) => h('option', { value: b }, `${b} bit/s`)));
  const connectBtn = h('button', { type: 'button', class: 'secondary' }, 'Connect modem');
  const modemInfo = h('p', { class: 'small', role: 'status', 'aria-live': 'polite' });
  const dialNumber = h('input', { type: 'text', id: 'sr-number', inputmode: 'tel', autocomplete: 'off', placeholder: 'e.g. 5550100' });
  const modemBox = h('div', { hidden: true },
    serialSupported() ? null : h('p', { class: 'status warn' }, 'This browser has no Web Serial API; use Chrome or Edge for a USB fax modem.'),
    h('label', { class: 'block' }, 'Serial speed', baud),
    h('div', { class: 'row' }, connectBtn), modemInfo,
    h('label', { class: 'block' }, 'Number to dial (when this side calls)', dialNumber));

  const roleSend = h('input', { type: 'radio', name: 'sr-role', value: 'send', checked: true });
  const roleRecv = h('input', { type: 'radio', name: 'sr-role', value: 'receive' });
  const calling = h('input', { type: 'checkbox', id: 'sr-calling', checked: true });
  const doc = documentPicker('sr');
  const opts = faxOptionsForm('sr', '');
  const start = h('button', { type: 'button' }, 'Start the call');
  const stop = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Hang up');
  const monitor = callMonitor('sr');

  let audio: AudioLine | null = null;
  let modem: SerialLine | null = null;

  const sync = (): void => {
    audioBox.hidden = !lineAudio.checked;
    modemBox.hidden = !lineModem.checked;
    doc.element.hidden = !roleSend.checked;
  };
  for (const el of [lineAudio, lineModem, roleSend, roleRecv]) el.addEventListener('change', sync);

  listBtn.addEventListener('click', async () => {
    try {
      // Labels are only visible once the user has allowed audio access.
      const s = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const t of s.getTracks()) t.stop();
      const d = await listAudioDevices();
      fill(inputSel, d.inputs, 'Default input');
      fill(outputSel, d.outputs, 'Default output');
    } catch (e) {
      monitor.reset('');
      monitor.fail(`No access to audio devices: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  connectBtn.addEventListener('click', async () => {
    try {
      await modem?.close();
      modem = await openSerialModem(Number(baud.value));
      setStatus(modemInfo, `Talking to the modem on ${modem.describe}\u2026`);
      const info = await modem.modem.init();
      const rates = info.transmit.map((m) => MODULATIONS[m]).filter(Boolean).map((m) => `${m!.modem} ${m!.rate}`);
      setStatus(modemInfo, `Class 1 modem ready: ${[info.manufacturer, info.model, info.revision].filter(Boolean).join(' ') || 'unnamed'}; sends ${rates.join(', ') || 'no fast modulations'}.`, 'ok');
    } catch (e) {
      setStatus(modemInfo, `Modem: ${e instanceof Error ? e.message : String(e)}`, 'bad');
    }
  });

  root.append(
    h('h2', {}, 'Send & receive'),
    h('p', { class: 'muted' }, 'Fax over a real phone line: through a USB audio interface connected to the line (or to an analogue telephone adapter), or through a USB fax modem that speaks Class 1.'),
    h('div', { class: 'grid2' },
      h('div', { class: 'card' },
        h('fieldset', {}, h('legend', {}, 'Line'),
          h('label', {}, lineAudio, 'USB audio interface'),
          h('label', {}, lineModem, 'USB Class 1 fax modem')),
        audioBox, modemBox),
      h('div', { class: 'card' },
        h('fieldset', {}, h('legend', {}, 'Call'),
          h('label', {}, roleSend, 'Send a document'),
          h('label', {}, roleRecv, 'Receive'),
          h('div', {}, h('label', {}, calling, 'This side calls (sends CNG); unticked, it answers (sends CED)'))),
        doc.element,
        opts.element)),
    h('div', { class: 'row' }, start, stop),
    monitor.element);
  sync();

  start.addEventListener('click', async () => {
    const sending = roleSend.checked;
    const document_ = sending ? await doc.read() : undefined;
    monitor.reset('Starting\u2026');
    if (sending && !document_) { monitor.fail('Choose a document to send first.'); return; }
    const job: FaxJob = { ...opts.read(), role: sending ? 'send' : 'receive', calling: calling.checked, document: document_ };
    start.disabled = true;
    stop.disabled = false;
    const onEvent = Comlink.proxy((e: Parameters<typeof monitor.event>[0]) => {
      monitor.event(e);
      if (e.kind === 'done') void finish();
    });
    try {
      const caps = await getEngine().capabilities();
      if (!caps.fax) throw new Error('the T.30 fax engine is not in this build yet');
      if (lineModem.checked) {
        if (!modem) throw new Error('connect the modem first');
        await runModemCall(modem, job, onEvent);
        return;
      }
      audio = await openAudioLine(inputSel.value || undefined, outputSel.value || undefined);
      monitor.event({ kind: 'status', text: `Line open at ${audio.sampleRate} Hz; ${job.calling ? 'calling' : 'answering'}\u2026` });
      await getEngine().startAudioCall(job, Comlink.transfer(audio.port, [audio.port]), onEvent);
    } catch (e) {
      monitor.fail(`Could not start: ${e instanceof Error ? e.message : String(e)}`);
      await finish();
    }
  });
  let stopModemCall = false;
  /** Class 1: the T.30 engine runs here, beside Web Serial (it is light: frames, not audio). */
  async function runModemCall(line: SerialLine, job: FaxJob, onEvent: (e: Parameters<typeof monitor.event>[0]) => void): Promise<void> {
    const pages = job.document ? (await getEngine().prepareDocument(job.document, job.ident)).map(toBilevel) : undefined;
    stopModemCall = false;
    onEvent({ kind: 'status', text: job.calling ? `Dialling ${dialNumber.value}\u2026` : 'Waiting for the phone to ring\u2026' });
    const result = await runClass1Call(line.modem, {
      role: job.calling ? 'calling' : 'answering',
      direction: job.role,
      ident: job.ident,
      ecm: job.ecm,
      modems: job.modems.map((m) => FAMILIES[m]).filter((m): m is ModemFamily => !!m),
      pages,
      number: dialNumber.value,
      onPage: (p) => onEvent({ kind: 'page', page: toViewPage(p) }),
      onPageEvent: (e) => { if (e.kind === 'page-confirmed') onEvent({ kind: 'progress', page: e.page, fraction: 1 }); },
      log: (text) => onEvent({ kind: 'log', text }),
      shouldStop: () => stopModemCall,
      every: (ms, fn) => { const id = setInterval(fn, ms); return () => clearInterval(id); },
    });
    onEvent({ kind: 'done', result: toFaxResult(result) });
  }

  stop.addEventListener('click', async () => {
    stopModemCall = true;
    await getEngine().hangup();
    monitor.fail('Hung up.');
    await finish();
  });

  async function finish(): Promise<void> {
    start.disabled = false;
    stop.disabled = true;
    const a = audio;
    audio = null;
    await a?.close();
  }
}

function fill(sel: HTMLSelectElement, devices: MediaDeviceInfo[], def: string): void {
  clear(sel);
  sel.append(h('option', { value: '' }, def));
  devices.forEach((d, i) => sel.append(h('option', { value: d.deviceId }, d.label || `Device ${i + 1}`)));
}
