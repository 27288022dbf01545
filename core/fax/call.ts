/**
 * Two endpoints back to back in one process, the way spandsp's fax_tests and faxrelay.mjs join
 * them: 160-sample blocks in lockstep, each side hearing what the other sent one block earlier
 * (a fixed 20 ms delay each way), optionally through a line model per direction. Runs until both
 * reach phase E (the one that finishes first then hears silence) or a time limit.
 */
import type { FaxEndpoint } from './endpoint';

export const BLOCK = 160;

/** One direction of a line: transforms a block in place (gain, noise...); `own` is what the
 *  listening side itself sent in the same block (for talker echo). */
export interface LineDirection {
  process(block: Float32Array, own?: Float32Array): void;
}

export interface BackToBackOptions {
  maxSeconds?: number;
  /** Line from a to b, and from b to a. */
  aToB?: LineDirection;
  bToA?: LineDirection;
  /** Called with each block about to be heard by b (from a) and by a (from b), after the line
   *  models; may change them in place (the --spoil-* test aids). */
  hear?: (heardByB: Float32Array, heardByA: Float32Array) => void;
  /** Called with each block as heard by b (from a) and by a (from b), e.g. to record the line. */
  tap?: (heardByB: Float32Array, heardByA: Float32Array) => void;
}

export function runBackToBack(a: FaxEndpoint, b: FaxEndpoint, opts: BackToBackOptions = {}): { samples: number } {
  const maxSamples = Math.round((opts.maxSeconds ?? 900) * 8000);
  let toB = new Float32Array(BLOCK);
  let toA = new Float32Array(BLOCK);
  let nextToB = new Float32Array(BLOCK);
  let nextToA = new Float32Array(BLOCK);
  const silence = new Float32Array(BLOCK);
  a.start();
  b.start();
  let samples = 0;
  while (samples < maxSamples && !(a.done && b.done)) {
    // toB/toA were produced last step; what each side sent then is what it hears echoed now.
    if (opts.aToB) opts.aToB.process(toB, toA);
    if (opts.bToA) opts.bToA.process(toA, toB);
    opts.hear?.(toB, toA);
    opts.tap?.(toB, toA);
    if (!a.done) a.process(toA, nextToB); else nextToB.set(silence);
    if (!b.done) b.process(toB, nextToA); else nextToA.set(silence);
    [toB, nextToB] = [nextToB, toB];
    [toA, nextToA] = [nextToA, toA];
    samples += BLOCK;
  }
  if (!a.done) a.terminate();
  if (!b.done) b.terminate();
  return { samples };
}
