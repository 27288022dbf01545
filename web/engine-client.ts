/**
 * The one engine worker of this tab, wrapped by comlink. Views call it like an object; long work
 * (decoding, a whole fax call) runs off the main thread so the page stays responsive.
 */
import * as Comlink from 'comlink';
import type { EngineApi } from './api';

let engine: Comlink.Remote<EngineApi> | null = null;

export function getEngine(): Comlink.Remote<EngineApi> {
  if (!engine) {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'webfax-engine' });
    engine = Comlink.wrap<EngineApi>(worker);
  }
  return engine;
}

export { Comlink };
