/**
 * T.30 timers, in samples at 8 kHz. Time in core is the count of audio samples the endpoint has
 * processed, never a clock, so a call runs identically at any speed. Values are T.30's nominal
 * ones (clause 5.4.3.x); a deadline of 0 means the timer is stopped.
 */
import { SAMPLE_RATE } from '../dsp/level';

export const ms = (m: number): number => Math.round((m * SAMPLE_RATE) / 1000);

/** T0: calling station gives up waiting for any answer. */
export const T0 = ms(60_000);
/** T1: phase B gives up: no DIS (caller) or no DCS (answerer). 35 s +/- 5. */
export const T1 = ms(35_000);
/** T2: wait for a command (receiver side, e.g. after MCF, before a page). 6 s +/- 1. */
export const T2 = ms(6_000);
/** T3: procedural interrupt. */
export const T3 = ms(10_000);
/** T4: wait for a response to a command before repeating it. 3 s +/- 15 %. */
export const T4 = ms(3_000);
/** T5: ECM, waiting for the receiver to become ready (RR/RNR). */
export const T5 = ms(60_000);
/** After T4 the command is repeated; after this many tries the call is abandoned. */
export const MAX_COMMAND_TRIES = 3;

/** A one-shot timer against the endpoint's sample clock. */
export class SampleTimer {
  private deadline = 0;
  constructor(readonly name: string) {}
  start(now: number, duration: number): void { this.deadline = now + duration; }
  stop(): void { this.deadline = 0; }
  get running(): boolean { return this.deadline !== 0; }
  /** true exactly once, when `now` reaches the deadline (the timer then stops). */
  expired(now: number): boolean {
    if (this.deadline === 0 || now < this.deadline) return false;
    this.deadline = 0;
    return true;
  }
  /** Push the deadline back (used while a frame is still arriving when T4 runs out). */
  extend(now: number, atLeast: number): void {
    if (this.deadline !== 0 && this.deadline < now + atLeast) this.deadline = now + atLeast;
  }
}
