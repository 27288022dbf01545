/**
 * Fax calls in the engine worker: one core/fax FaxEndpoint (T.30 engine + modems + codec) on a
 * line, either the sound card (160-sample 8 kHz blocks on a MessagePort from
 * worklets/line-io.worklet.ts) or the two-tab loopback (core/loopback/lockstep.ts over a
 * BroadcastChannel). Engine events become the page's FaxEvents.
 */
import type { FaxEvent, FaxJob, LineSettings } from '../api';
import { LockstepLine, type LineEndpoint, type LockstepMessage } from '../../core/loopback/lockstep';
import { FaxEndpoint } from '../../core/fax/endpoint';
import { toViewPage, toFaxResult } from '../results';
import type { ModemFamily } from '../../core/t30/negotiate';
import { prepareDocument } from '../../core/docs/prepare';
import { loadBrowserPdfjs } from '../pdf-raster';
import { lineImpairment } from './impair';

export const faxAvailable = true;

export interface RunningCall { stop(): void }

export const MODEMS: Record<string, ModemFamily> = { v17: 'v17', v29: 'v29', v27: 'v27ter' };

/** A FaxEndpoint as a lockstep LineEndpoint, reporting to the page as it goes. */
async function createEndpoint(job: FaxJob, onEvent: (e: FaxEvent) => void): Promise<LineEndpoint & { terminate(): void }> {
  let pages;
  if (job.role === 'send') {
    if (!job.document) throw new Error('no document to send');
    onEvent({ kind: 'status', text: `Preparing ${job.document.name}\u2026` });
    pages = await prepareDocument(new Uint8Array(job.document.bytes), { ident: job.ident, pdfjs: loadBrowserPdfjs });
    onEvent({ kind: 'status', text: `${job.document.name}: ${pages.length} page${pages.length === 1 ? '' : 's'} ready.` });
  }
  const modems = job.modems.map((m) => MODEMS[m]).filter((m): m is ModemFamily => !!m);
  if (modems.length === 0) throw new Error('allow at least one modem');
  const ep = new FaxEndpoint({
    role: job.calling ? 'calling' : 'answering',
    direction: job.role,
    ident: job.ident,
    modems,
    ecm: job.ecm,
    pages,
    onPage: (p) => onEvent({ kind: 'page', page: toViewPage(p) }),
    onPageEvent: (e) => {
      if (e.kind === 'page-sent') onEvent({ kind: 'progress', page: e.page, fraction: 0.9 });
      if (e.kind === 'page-confirmed') onEvent({ kind: 'progress', page: e.page, fraction: 1 });
      onEvent({ kind: 'log', text: `${(e.sample / 8000).toFixed(2)} s  page ${e.page} ${e.kind.replace('page-', '')}${e.response ? ` (${e.response})` : ''}` });
    },
    onPhaseE: (r) => onEvent({ kind: 'done', result: toFaxResult(r) }),
    log: (line) => onEvent({ kind: 'log', text: line }),
  });
  ep.start();
  onEvent({ kind: 'status', text: job.calling ? 'Calling\u2026' : 'Answering\u2026' });
  let blocks = 0;
  return {
    process(rx, tx) {
      if (ep.done) return false;
      ep.process(rx, tx);
      // Once a second of line audio: the page shows the line is alive.
      if (++blocks % 50 === 0) onEvent({ kind: 'line', seconds: blocks / 50 });
      return !ep.done;
    },
    terminate() {
      if (!ep.done) ep.terminate();
    },
  };
}

export async function runAudioCall(job: FaxJob, port: MessagePort, onEvent: (e: FaxEvent) => void): Promise<RunningCall> {
  const endpoint = await createEndpoint(job, onEvent);
  let running = true;
  port.onmessage = (m: MessageEvent<Float32Array>) => {
    if (!running) return;
    const out = new Float32Array(m.data.length);
    running = endpoint.process(m.data, out);
    port.postMessage(out, [out.buffer]);
  };
  return { stop() { if (running) endpoint.terminate(); running = false; port.close(); } };
}

export async function runLoopbackCall(job: FaxJob, channel: string, line: LineSettings, onEvent: (e: FaxEvent) => void): Promise<RunningCall> {
  const endpoint = await createEndpoint(job, onEvent);
  const bc = new BroadcastChannel(channel);
  const id = Math.random().toString(36).slice(2);
  onEvent({ kind: 'status', text: 'Waiting for the other tab\u2026' });
  const lockstep = new LockstepLine((m) => bc.postMessage(m), endpoint, { id, calling: job.calling, impair: lineImpairment(line, job.calling) }, (e) => {
    if (e.kind === 'paired') onEvent({ kind: 'status', text: `Connected to the other tab; ${job.calling ? 'calling' : 'answering'}\u2026` });
    if (e.kind === 'conflict') onEvent({ kind: 'status', text: `Not started: ${e.text}.` });
    if (e.kind === 'ended') { clearInterval(hello); bc.close(); }
  });
  bc.onmessage = (e: MessageEvent<LockstepMessage>) => lockstep.handle(e.data);
  const hello = setInterval(() => lockstep.announce(), 300);
  lockstep.announce();
  return {
    stop() {
      clearInterval(hello);
      if (!lockstep.done) { endpoint.terminate(); lockstep.stop(); }
      bc.close();
    },
  };
}
