/**
 * The engine worker: everything heavy the page does runs here, off the main thread, behind the
 * EngineApi contract (api.ts) exposed with comlink. It adapts core's modules (the recording
 * decoder, the document writers, the T.30 endpoint) to the page's small view types.
 */
import * as Comlink from 'comlink';
import type { EngineApi, FaxEvent, FaxJob, LineSettings, ViewPage } from './api';
import { decodeAvailable, decodeRecording } from './worker/decode';
import { makeDocument, preparePages } from './worker/documents';
import { faxAvailable, runAudioCall, runLoopbackCall, type RunningCall } from './worker/fax';

let call: RunningCall | null = null;

const api: EngineApi = {
  async capabilities() {
    return { decode: decodeAvailable, fax: faxAvailable, documents: true };
  },
  decode: (input, onProgress) => decodeRecording(input, onProgress),
  prepareDocument: (doc, ident) => preparePages(doc, ident),
  makeDocument: (kind: 'pdf' | 'tiff', pages: ViewPage[]) => makeDocument(kind, pages),
  async startAudioCall(job: FaxJob, port: MessagePort, onEvent: (e: FaxEvent) => void) {
    call?.stop();
    call = await runAudioCall(job, port, onEvent);
  },
  async startLoopback(job: FaxJob, channel: string, line: LineSettings, onEvent: (e: FaxEvent) => void) {
    call?.stop();
    call = await runLoopbackCall(job, channel, line, onEvent);
  },
  async hangup() {
    call?.stop();
    call = null;
  },
};

Comlink.expose(api);
