/**
 * What the loopback line does to the audio a tab hears: core's line model (core/fax/line.ts over
 * core/line: gain, frequency offset, white noise in dBm0, seeded so a run repeats exactly),
 * configured from the page's settings.
 */
import type { LineSettings } from '../api';
import { createLineModel } from '../../core/fax/line';

export function lineSpec(s: LineSettings): string {
  const parts: string[] = [];
  if (s.gainDb) parts.push(`gain=${s.gainDb}`);
  if (s.offsetHz) parts.push(`offset=${s.offsetHz}`);
  if (s.noiseDbm0 !== null) parts.push(`noise=${s.noiseDbm0}`);
  return parts.join(',');
}

export function lineImpairment(s: LineSettings, calling: boolean): ((block: Float32Array) => void) | undefined {
  const spec = lineSpec(s);
  if (!spec) return undefined;
  // Each direction its own noise stream, as in `webfax call --line`.
  const model = createLineModel(spec, calling ? 1 : 0);
  return (block) => model.process(block);
}
