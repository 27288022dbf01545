/**
 * Line impairments for `webfax send/receive/call --line SPEC`, one direction at a time:
 * "gain=DB,noise=DBM0,snr=DB,loss=P,seed=N" (the keys of the spandsp harness's linemodel.mjs).
 * gain scales the far signal, noise adds white Gaussian noise at a level in dBm0 (snr sets it
 * relative to the -14 dBm0 fax signal after gain), loss replaces whole 160-sample blocks with
 * silence with probability P. Noise and loss come from a seeded generator, so runs repeat exactly.
 * (offset, ppm and echo belong to the shared line models; until those are in, they are refused.)
 */
import type { LineDirection } from './call';
import { meanSquareForDbm0 } from '../dsp/level';

export interface LineSpec {
  gainDb: number;
  noiseDbm0: number | null;
  loss: number;
  seed: number;
}

export function parseLineSpec(spec: string): LineSpec {
  const o: LineSpec = { gainDb: 0, noiseDbm0: null, loss: 0, seed: 1 };
  let snr: number | null = null;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split('=');
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n)) throw new Error(`"${part}" is not key=number`);
    switch (k) {
      case 'gain': o.gainDb = n; break;
      case 'noise': o.noiseDbm0 = n; break;
      case 'snr': snr = n; break;
      case 'loss': o.loss = n; break;
      case 'seed': o.seed = n; break;
      case 'offset':
      case 'ppm':
      case 'echo':
        if (n !== 0) throw new Error(`"${k}" is not supported by this line model yet`);
        break;
      default: throw new Error(`unknown key "${k}"`);
    }
  }
  if (snr !== null) o.noiseDbm0 = -14 + o.gainDb - snr;
  return o;
}

class SimpleLine implements LineDirection {
  private state: number;
  private readonly gain: number;
  private readonly sigma: number;
  private spare: number | null = null;
  constructor(private readonly spec: LineSpec, stream: number) {
    this.state = ((spec.seed * 2654435761) ^ (stream * 0x9e3779b9)) >>> 0 || 1;
    this.gain = Math.pow(10, spec.gainDb / 20);
    this.sigma = spec.noiseDbm0 === null ? 0 : Math.sqrt(meanSquareForDbm0(spec.noiseDbm0));
  }
  private uniform(): number {
    // mulberry32
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  private gauss(): number {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return s; }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  process(block: Float32Array): void {
    const lost = this.spec.loss > 0 && this.uniform() < this.spec.loss;
    for (let i = 0; i < block.length; i++) {
      const x = lost ? 0 : block[i]! * this.gain;
      block[i] = this.sigma > 0 ? x + this.sigma * this.gauss() : x;
    }
  }
}

/** A line direction from a spec; `stream` makes the two directions' noise independent. */
export function createLineModel(spec: string, stream: number): LineDirection {
  return new SimpleLine(parseLineSpec(spec), stream);
}
