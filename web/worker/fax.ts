/**
 * Fax calls in the engine worker: one T.30 endpoint (core) on a line, either the sound card
 * (160-sample 8 kHz blocks on a MessagePort from worklets/line-io.worklet.ts) or the two-tab
 * loopback (core/loopback/lockstep.ts over a BroadcastChannel).
 */
import type { FaxEvent, FaxJob, LineSettings } from '../api';
import { LockstepLine, type LineEndpoint, type LockstepMessage } from '../../core/loopback/lockstep';

export const faxAvailable = false;

export interface RunningCall { stop(): void }

function createEndpoint(job: FaxJob, onEvent: (e: FaxEvent) => void): LineEndpoint {
  void job; void onEvent;
  throw new Error('the T.30 fax engine is not in this build yet');
}

export async function runAudioCall(job: FaxJob, port: MessagePort, onEvent: (e: FaxEvent) => void): Promise<RunningCall> {
  const endpoint = createEndpoint(job, onEvent);
  const tx = new Float32Array(160);
  let running = true;
  port.onmessage = (m: MessageEvent<Float32Array>) => {
    if (!running) return;
    const out = new Float32Array(160);
    running = endpoint.process(m.data, out);
    tx.set(out);
    port.postMessage(out, [out.buffer]);
  };
  return { stop() { running = false; port.close(); } };
}

export async function runLoopbackCall(job: FaxJob, channel: string, line: LineSettings, onEvent: (e: FaxEvent) => void): Promise<RunningCall> {
  void line;
  const endpoint = createEndpoint(job, onEvent);
  const bc = new BroadcastChannel(channel);
  const id = Math.random().toString(36).slice(2);
  const lockstep = new LockstepLine((m) => bc.postMessage(m), endpoint, { id, calling: job.calling }, (e) => {
    if (e.kind === 'paired') onEvent({ kind: 'status', text: 'Connected to the other tab.' });
    if (e.kind === 'conflict') onEvent({ kind: 'status', text: e.text });
  });
  bc.onmessage = (e: MessageEvent<LockstepMessage>) => lockstep.handle(e.data);
  const hello = setInterval(() => lockstep.announce(), 500);
  lockstep.announce();
  return { stop() { clearInterval(hello); lockstep.stop(); bc.close(); } };
}
