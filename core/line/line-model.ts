/**
 * A whole simulated phone line for one direction, from a spec such as
 * { snrDb: 20, offsetHz: 7, ppm: 100, echoDb: -20, echoMs: 1, gainDb: -6, stepDb: 6, stepAt: 8000 }:
 * gain -> echo -> frequency offset -> clock drift -> noise -> level step -> lost blocks.
 * SNR is taken against `signalDbm0` (default -14, the fax modems' level), as the spandsp peer
 * does. The level step acts on signal and noise together (a gain change in the network after
 * the noisy part of the line), so the SNR stays what was asked for on both sides of the step. `applyLine()` runs a finished recording through it in one call.
 */
import { Awgn, BlockLoss, ClockDrift, Echo, FrequencyShift, Gain } from './impairments';

export interface LineSpec {
  /** Noise relative to signalDbm0 + gainDb (dB). */
  snrDb?: number;
  /** Or absolute noise level in dBm0 (wins over snrDb). */
  noiseDbm0?: number;
  signalDbm0?: number;
  gainDb?: number;
  /** Level step: after `stepAt` samples the gain becomes gainDb + stepDb. */
  stepDb?: number;
  stepAt?: number;
  echoDb?: number;
  echoMs?: number;
  offsetHz?: number;
  ppm?: number;
  /** Probability of losing each 20 ms block. */
  loss?: number;
  seed?: number;
}

export function applyLine(x: Float32Array, spec: LineSpec): Float32Array {
  const y = Float32Array.from(x);
  const gainDb = spec.gainDb ?? 0;
  if (gainDb !== 0) new Gain(gainDb).process(y);
  if (spec.echoDb !== undefined) new Echo(spec.echoDb, ((spec.echoMs ?? 1) * 8000) / 1000).process(y);
  if (spec.offsetHz) new FrequencyShift(spec.offsetHz).process(y);
  let z = y;
  if (spec.ppm) {
    const out = new Float32Array(Math.ceil(y.length * (1 + Math.abs(spec.ppm) * 1e-6)) + 64);
    const n = new ClockDrift(spec.ppm).process(y, out);
    z = out.slice(0, n);
  }
  const noise = spec.noiseDbm0 ?? (spec.snrDb !== undefined ? (spec.signalDbm0 ?? -14) + gainDb - spec.snrDb : undefined);
  if (noise !== undefined) new Awgn(noise, spec.seed ?? 1).process(z);
  if (spec.stepDb) new Gain(0, spec.stepDb, spec.stepAt ?? 0).process(z);
  if (spec.loss) new BlockLoss(spec.loss, 160, spec.seed ?? 1).process(z);
  return z;
}
