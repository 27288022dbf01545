/**
 * Line impairments for `webfax send/receive/call --line SPEC`, one direction at a time:
 * "gain=DB,noise=DBM0,snr=DB,loss=P,seed=N,gate=1" (the keys of the spandsp harness's linemodel.mjs,
 * plus gate=1: noise only in blocks that carry signal, like faxcall's --gate-noise).
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
  /** Noise only in blocks where the far signal is present (faxcall's --gate-noise). */
  gate: boolean;
}

export function parseLineSpec(spec: string): LineSpec {
  const o: LineSpec = { gainDb: 0, noiseDbm0: null, loss: 0, seed: 1, gate: false };
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
      case 'gate': o.gate = n !== 0; break;
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
    let sigma = this.sigma;
    if (this.spec.gate) {
      let any = false;
      for (let i = 0; i < block.length; i++) if (block[i] !== 0) { any = true; break; }
      if (!any) sigma = 0;
    }
    for (let i = 0; i < block.length; i++) {
      const x = lost ? 0 : block[i]! * this.gain;
      block[i] = sigma > 0 ? x + sigma * this.gauss() : x;
    }
  }
}

/** A line direction from a spec; `stream` makes the two directions' noise independent. */
export function createLineModel(spec: string, stream: number): LineDirection {
  return new SimpleLine(parseLineSpec(spec), stream);
}

/**
 * Spoils the first `times` TCFs the way faxcall's --spoil-tcf does: noise at about the signal
 * level for 0.6 s inside the 1.5 s of zeros, so no run of zeros reaches 1 s and the receiver
 * answers FTT. The same with a later window spoils page bursts (copy quality / ECM tests). The caller says where in the TCF the block is (`pos`, samples since the zeros
 * began, or -1 outside a TCF); a TCF counts as spoiled once the window has passed.
 */
export class TcfSpoiler {
  private done = 0;
  private hit = false;
  private state = 0x2545f491;
  /** `from`/`to`: the noise window in samples after the burst's training. */
  constructor(private readonly times: number, private readonly from = 3200, private readonly to = 8000) {}
  get spoiled(): number {
    return this.done;
  }
  apply(block: Float32Array, pos: number): void {
    if (this.done >= this.times) return;
    const from = this.from;
    const to = this.to;
    if (pos < 0) {
      if (this.hit) { this.done++; this.hit = false; }
      return;
    }
    for (let i = 0; i < block.length; i++) {
      const p = pos + i;
      if (p < from || p >= to) continue;
      this.hit = true;
      this.state ^= this.state << 13; this.state ^= this.state >>> 17; this.state ^= this.state << 5;
      block[i] = block[i]! + ((this.state >>> 0) / 4294967296 - 0.5) * 0.6;
    }
  }
}

/** Samples of training before a TCF's zeros, per modem (from spandsp's timings, rounded up). */
export function trainingSamples(family: string, rate: number): number {
  if (family === 'v17') return 11200;
  if (family === 'v27ter') return rate === 2400 ? 7600 : 5800;
  return 2200;
}
